-- Integrated sales target and actual sales of each track in each closed month
-- of Y (SPEC §5 sales_shortfall). Actual sales are the actual shipments of the
-- track's deals that are not Lost, matched by deal or project number; only
-- months before M0 are reported. Targets with a blank track are not a track's.
-- Parameters: $year, $year_start, $m0, $sees_all, $tracks, $account_manager.
WITH target AS (
    SELECT track, make_date($year, month, 1) AS month, sum(amount) AS sales_target
    FROM targets
    WHERE year = $year AND business_line = 'integrated' AND metric = 'sales'
        AND track <> '' AND make_date($year, month, 1) < $m0
        AND ($sees_all OR list_contains($tracks, track) OR account_manager = $account_manager)
    GROUP BY ALL
),
actual AS (
    SELECT d.track, s.month, sum(s.amount) AS actual_sales
    FROM deal_shipments($year_start, $m0 - INTERVAL 1 DAY) AS s
    JOIN deals AS d ON d.deal_id = s.deal_id
    WHERE d.business_line = 'integrated' AND d.stage <> 'Lost'
        AND ($sees_all OR list_contains($tracks, d.track) OR d.account_manager = $account_manager)
    GROUP BY ALL
)
SELECT
    coalesce(t.track, a.track) AS track,
    coalesce(t.month, a.month) AS month,
    CAST(coalesce(t.sales_target, 0) AS DECIMAL(18, 2)) AS sales_target,
    CAST(coalesce(a.actual_sales, 0) AS DECIMAL(18, 2)) AS actual_sales
FROM target AS t
FULL OUTER JOIN actual AS a ON a.track = t.track AND a.month = t.month
ORDER BY track, month
