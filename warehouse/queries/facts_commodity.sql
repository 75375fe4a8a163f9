-- Commodity order targets of year Y and SAP order intake of Y up to D, by
-- month, account manager, profit centre and track, flagged with whether the
-- actor sees the manager, the profit centre and the rows split by neither.
-- Targets carry '' where not split; orders carry '' for a blank profit
-- centre. Parameters: $year, $year_start, $as_of, $sees_all,
-- $visible_managers, $visible_profit_centers.
WITH target_rows AS (
    SELECT 'target' AS source, month, account_manager, profit_center, track, amount
    FROM targets
    WHERE year = $year AND business_line = 'commodity' AND metric = 'orders'
),
order_rows AS (
    SELECT 'orders' AS source, CAST(month(order_date) AS INTEGER) AS month,
           account_manager, coalesce(profit_center, '') AS profit_center, track,
           sum(net_value) AS amount
    FROM orders
    WHERE business_line = 'commodity' AND order_date >= $year_start AND order_date <= $as_of
    GROUP BY ALL
),
both_sources AS (
    SELECT * FROM target_rows
    UNION ALL
    SELECT * FROM order_rows
)
SELECT
    source,
    month,
    account_manager,
    profit_center,
    track,
    CAST(amount AS DECIMAL(18, 2)) AS amount,
    account_manager <> ''
        AND ($sees_all OR list_contains($visible_managers, account_manager)) AS manager_visible,
    profit_center <> ''
        AND ($sees_all OR list_contains($visible_profit_centers, profit_center)) AS profit_center_visible,
    account_manager = '' AND profit_center = '' AND $sees_all AS unsplit_visible
FROM both_sources
ORDER BY source, month, account_manager, profit_center
