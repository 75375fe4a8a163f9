-- Forecast and actual of every integrated deal in each requested snapshot, for
-- the month the snapshot is labelled with (SPEC §4, weighted forecast accuracy).
-- Stage, track and manager are those frozen in the snapshot. F is the
-- snapshot's forecast for the month: its precision submission when the deal
-- has one in the snapshot, else its rolling one; order amount for
-- opportunities, mold + product sales otherwise. A is SAP order intake of the
-- deal in the month for opportunities, actual shipments otherwise.
-- Parameters: $labels (list of 'YYYY-MM'), $first_month and $last_month
-- (first days of the earliest and latest labelled months), $sees_all,
-- $tracks, $account_manager.
WITH snapshot_deal AS (
    SELECT
        label,
        CAST(strptime(label || '-01', '%Y-%m-%d') AS DATE) AS month,
        deal_id,
        track,
        account_manager,
        effective_phase
    FROM snapshot_deals
    WHERE list_contains($labels, label)
        AND business_line = 'integrated'
        AND effective_phase IN ('opportunity', 'mold_development', 'mass_production')
        AND ($sees_all OR list_contains($tracks, track) OR account_manager = $account_manager)
),
snapshot_version AS (
    SELECT label, deal_id,
           CASE WHEN bool_or(version = 'precision') THEN 'precision' ELSE 'rolling' END
               AS version
    FROM snapshot_forecasts
    WHERE list_contains($labels, label)
    GROUP BY label, deal_id
),
forecast AS (
    SELECT f.label, f.deal_id,
           sum(f.order_amount) AS order_amount,
           sum(f.mold_sales + f.product_sales) AS sales
    FROM snapshot_forecasts AS f
    JOIN snapshot_version AS v
        ON v.label = f.label AND v.deal_id = f.deal_id
        AND CAST(f.version AS VARCHAR) = v.version
    JOIN snapshot_deal AS s
        ON s.label = f.label AND s.deal_id = f.deal_id AND s.month = f.month
    GROUP BY f.label, f.deal_id
),
shipped AS (
    SELECT deal_id, month, sum(amount) AS amount
    FROM deal_shipments($first_month, $last_month)
    GROUP BY deal_id, month
),
ordered AS (
    SELECT deal_id, CAST(date_trunc('month', order_date) AS DATE) AS month,
           sum(net_value) AS amount
    FROM orders
    WHERE coalesce(deal_id, '') <> ''
        AND order_date >= $first_month
        AND order_date < $last_month + INTERVAL 1 MONTH
    GROUP BY ALL
)
SELECT
    s.label,
    s.track,
    s.account_manager,
    s.effective_phase,
    s.deal_id,
    CAST(coalesce(CASE WHEN s.effective_phase = 'opportunity' THEN f.order_amount ELSE f.sales END, 0)
        AS DECIMAL(18, 2)) AS forecast,
    CAST(coalesce(CASE WHEN s.effective_phase = 'opportunity' THEN o.amount ELSE sh.amount END, 0)
        AS DECIMAL(18, 2)) AS actual
FROM snapshot_deal AS s
LEFT JOIN forecast AS f ON f.label = s.label AND f.deal_id = s.deal_id
LEFT JOIN shipped AS sh ON sh.deal_id = s.deal_id AND sh.month = s.month
LEFT JOIN ordered AS o ON o.deal_id = s.deal_id AND o.month = s.month
ORDER BY s.label, s.deal_id
