-- Version 1 of the $year baseline for every deal not lost at $as_of: its
-- effective phase, its lock (mold_development and mass_production are locked)
-- and its expected order from the current forecast at $as_of: the first month
-- of $year with a positive order amount, and the order amount of that month.
INSERT INTO baseline_versions
WITH expected_orders AS (
    SELECT deal_id,
           min(month) FILTER (WHERE order_amount > 0) AS expected_order_month,
           arg_min(order_amount, month) FILTER (WHERE order_amount > 0)
               AS expected_order_amount
    FROM current_forecast($as_of)
    WHERE year(month) = $year
    GROUP BY deal_id
),
committed AS (
    SELECT deal_id, business_line, track, account_manager,
           effective_phase(phase, stage) AS phase_then
    FROM deals
)
SELECT $year, c.deal_id, 1, c.business_line, c.track, c.account_manager,
       c.phase_then,
       c.phase_then IN ('mold_development', 'mass_production'),
       o.expected_order_month,
       coalesce(o.expected_order_amount, 0),
       $written_at, $written_by, NULL
FROM committed AS c
LEFT JOIN expected_orders AS o USING (deal_id)
WHERE c.phase_then <> 'lost'
