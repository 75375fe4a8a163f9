-- What changed between two snapshots, one row per deal and kind of change:
--   new         in $current, not in $previous (and not lost)
--   won         opportunity in $previous, mold_development or mass_production now
--   lost        lost now, not lost (or absent) before
--   pulled_in   expected order month earlier than before
--   pushed_out  expected order month later than before
--   grown       forecast sales of $year higher than before
--   shrunk      forecast sales of $year lower than before
-- A deal's figures come from its current forecast in each snapshot (precision
-- if it has one, else rolling): order month = first month with an order
-- amount, sales = Σ mold_sales + product_sales over the months of $year.
-- Scoped like deals, on the deal's latest snapshot attributes.
WITH chosen AS (
    SELECT label, deal_id,
           CASE WHEN bool_or(version = 'precision') THEN 'precision' ELSE 'rolling' END
               AS version
    FROM snapshot_forecasts
    WHERE label IN ($current, $previous)
    GROUP BY label, deal_id
),
figures AS (
    SELECT f.label, f.deal_id,
           min(f.month) FILTER (WHERE f.order_amount > 0) AS order_month,
           coalesce(sum(f.mold_sales + f.product_sales)
                        FILTER (WHERE year(f.month) = $year), 0) AS sales
    FROM snapshot_forecasts AS f
    JOIN chosen AS c
      ON c.label = f.label AND c.deal_id = f.deal_id
     AND CAST(f.version AS VARCHAR) = c.version
    GROUP BY f.label, f.deal_id
),
frozen AS (
    SELECT d.label, d.deal_id, d.deal_name, CAST(d.business_line AS VARCHAR) AS business_line,
           d.track, d.account_manager, d.customer, d.effective_phase,
           g.order_month, coalesce(g.sales, 0) AS sales
    FROM snapshot_deals AS d
    LEFT JOIN figures AS g USING (label, deal_id)
    WHERE d.label IN ($current, $previous)
),
paired AS (
    SELECT coalesce(c.deal_id, p.deal_id) AS deal_id,
           coalesce(c.deal_name, p.deal_name) AS deal_name,
           coalesce(c.business_line, p.business_line) AS business_line,
           coalesce(c.track, p.track) AS track,
           coalesce(c.account_manager, p.account_manager) AS account_manager,
           coalesce(c.customer, p.customer) AS customer,
           p.effective_phase AS phase_before,
           c.effective_phase AS phase_after,
           p.order_month AS order_month_before,
           c.order_month AS order_month_after,
           p.sales AS sales_before,
           c.sales AS sales_after,
           p.deal_id IS NOT NULL AND c.deal_id IS NOT NULL
               AND c.effective_phase <> 'lost' AND p.effective_phase <> 'lost' AS in_both
    FROM (SELECT * FROM frozen WHERE label = $current) AS c
    FULL JOIN (SELECT * FROM frozen WHERE label = $previous) AS p USING (deal_id)
),
changes AS (
    SELECT *,
           list_filter([
               CASE WHEN phase_before IS NULL AND phase_after <> 'lost' THEN 'new' END,
               CASE WHEN phase_before = 'opportunity'
                         AND phase_after IN ('mold_development', 'mass_production')
                    THEN 'won' END,
               CASE WHEN phase_after = 'lost' AND coalesce(phase_before, '') <> 'lost'
                    THEN 'lost' END,
               CASE WHEN in_both AND order_month_after < order_month_before
                    THEN 'pulled_in' END,
               CASE WHEN in_both AND order_month_after > order_month_before
                    THEN 'pushed_out' END,
               CASE WHEN in_both AND sales_after > sales_before THEN 'grown' END,
               CASE WHEN in_both AND sales_after < sales_before THEN 'shrunk' END
           ], lambda x: x IS NOT NULL) AS kinds
    FROM paired
    WHERE $sees_all OR list_contains($tracks, track) OR account_manager = $account_manager
)
SELECT unnest(kinds) AS change,
       deal_id, deal_name, business_line, track, account_manager, customer,
       phase_before, phase_after, order_month_before, order_month_after,
       sales_before, sales_after,
       coalesce(sales_after, 0) - coalesce(sales_before, 0) AS sales_change
FROM changes
WHERE len(kinds) > 0
ORDER BY list_position(['new', 'won', 'lost', 'pulled_in', 'pushed_out', 'grown', 'shrunk'], change),
         track, deal_id;
