-- What changed for each deal between two snapshots ($from_label earlier,
-- $to_label later), in the viewer's scope by the later attributes. A deal's
-- forecast in a snapshot is its precision version if the snapshot holds one,
-- else its rolling version. value = forecast sales (mold + product) over the
-- months of the later snapshot's year; order month = first month with a
-- positive order amount. One change per deal, the first that applies:
-- new, won, lost, pulled_in, pushed_out, grown, shrunk.
WITH versions AS (
    SELECT label, deal_id,
           CASE WHEN bool_or(version = 'precision') THEN 'precision' ELSE 'rolling' END
               AS version
    FROM snapshot_forecasts
    WHERE label IN ($from_label, $to_label)
    GROUP BY label, deal_id
),
figures AS (
    SELECT f.label, f.deal_id,
           sum(f.mold_sales + f.product_sales) FILTER (
               WHERE year(f.month) = year(CAST($to_month AS DATE))) AS value,
           min(f.month) FILTER (WHERE f.order_amount > 0) AS order_month
    FROM snapshot_forecasts AS f
    JOIN versions AS v
        ON v.label = f.label AND v.deal_id = f.deal_id
        AND CAST(f.version AS VARCHAR) = v.version
    GROUP BY f.label, f.deal_id
),
later AS (
    SELECT d.deal_id, d.deal_name, d.track, d.account_manager, d.customer,
           d.effective_phase, coalesce(f.value, 0) AS value, f.order_month
    FROM snapshot_deals AS d
    LEFT JOIN figures AS f ON f.label = d.label AND f.deal_id = d.deal_id
    WHERE d.label = $to_label AND d.business_line = 'integrated'
        AND ($sees_all OR list_contains(CAST($tracks AS VARCHAR[]), d.track)
             OR d.account_manager = $manager)
),
earlier AS (
    SELECT d.deal_id, d.effective_phase, coalesce(f.value, 0) AS value, f.order_month
    FROM snapshot_deals AS d
    LEFT JOIN figures AS f ON f.label = d.label AND f.deal_id = d.deal_id
    WHERE d.label = $from_label
),
classified AS (
    SELECT l.*, e.effective_phase AS earlier_phase,
           coalesce(e.value, 0) AS earlier_value, e.order_month AS earlier_order_month,
           CASE
               WHEN e.deal_id IS NULL THEN 'new'
               WHEN e.effective_phase = 'opportunity'
                   AND l.effective_phase IN ('mold_development', 'mass_production')
                   THEN 'won'
               WHEN e.effective_phase <> 'lost' AND l.effective_phase = 'lost' THEN 'lost'
               WHEN l.order_month < e.order_month THEN 'pulled_in'
               WHEN l.order_month > e.order_month THEN 'pushed_out'
               WHEN l.value > coalesce(e.value, 0) THEN 'grown'
               WHEN l.value < coalesce(e.value, 0) THEN 'shrunk'
           END AS change
    FROM later AS l
    LEFT JOIN earlier AS e USING (deal_id)
)
SELECT deal_id, deal_name, track, account_manager, customer, change,
       earlier_phase, effective_phase AS later_phase,
       earlier_order_month, order_month AS later_order_month,
       earlier_value,
       CASE WHEN change = 'lost' THEN 0 ELSE value END AS later_value,
       CASE WHEN change = 'lost' THEN 0 ELSE value END - earlier_value AS difference
FROM classified
WHERE change IS NOT NULL
ORDER BY track, change, deal_id
