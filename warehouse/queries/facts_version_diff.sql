-- Every precision submission of an integrated deal submitted on or before D,
-- compared with the rolling submission current at its submitted_at (the
-- latest rolling one submitted at or before that instant), month by month and
-- field by field; a month missing on one side counts as zeros. Only the pairs
-- that differ somewhere are returned. A precision submission with no rolling
-- one before it is compared with an empty rolling forecast (all zeros).
-- Limitation: every precision submission up to D is compared at each check,
-- not only those since the last one — about a second at ten years of history.
-- Parameter: $as_of.
WITH precision_submission AS (
    SELECT DISTINCT f.deal_id, f.submitted_at
    FROM forecasts AS f
    JOIN deals AS d ON d.deal_id = f.deal_id
    WHERE f.version = 'precision'
        AND f.submitted_at < CAST($as_of AS DATE) + INTERVAL 1 DAY
        AND d.business_line = 'integrated'
),
rolling_submission AS (
    SELECT DISTINCT deal_id, submitted_at
    FROM forecasts
    WHERE version = 'rolling'
        AND submitted_at < CAST($as_of AS DATE) + INTERVAL 1 DAY
        AND deal_id IN (SELECT deal_id FROM precision_submission)
),
pair AS (
    SELECT p.deal_id, p.submitted_at AS precision_at, r.submitted_at AS rolling_at
    FROM precision_submission AS p
    ASOF LEFT JOIN rolling_submission AS r
        ON r.deal_id = p.deal_id AND p.submitted_at >= r.submitted_at
),
precision_rows AS (
    SELECT p.deal_id, p.precision_at, f.month, f.order_amount, f.mold_sets,
           f.mold_sales, f.product_sales
    FROM pair AS p
    JOIN forecasts AS f
        ON f.deal_id = p.deal_id AND f.version = 'precision' AND f.submitted_at = p.precision_at
),
rolling_rows AS (
    SELECT p.deal_id, p.precision_at, f.month, f.order_amount, f.mold_sets,
           f.mold_sales, f.product_sales
    FROM pair AS p
    JOIN forecasts AS f
        ON f.deal_id = p.deal_id AND f.version = 'rolling' AND f.submitted_at = p.rolling_at
),
by_month AS (
    SELECT
        coalesce(p.deal_id, r.deal_id) AS deal_id,
        coalesce(p.precision_at, r.precision_at) AS precision_at,
        coalesce(p.month, r.month) AS month,
        coalesce(p.order_amount, 0) AS precision_orders,
        coalesce(r.order_amount, 0) AS rolling_orders,
        coalesce(p.mold_sales, 0) + coalesce(p.product_sales, 0) AS precision_sales,
        coalesce(r.mold_sales, 0) + coalesce(r.product_sales, 0) AS rolling_sales,
        coalesce(p.order_amount, 0) <> coalesce(r.order_amount, 0)
            OR coalesce(p.mold_sets, 0) <> coalesce(r.mold_sets, 0)
            OR coalesce(p.mold_sales, 0) <> coalesce(r.mold_sales, 0)
            OR coalesce(p.product_sales, 0) <> coalesce(r.product_sales, 0) AS differs
    FROM precision_rows AS p
    FULL OUTER JOIN rolling_rows AS r
        ON r.deal_id = p.deal_id AND r.precision_at = p.precision_at AND r.month = p.month
),
compared AS (
    SELECT
        deal_id,
        precision_at,
        CAST(sum(precision_sales) AS DECIMAL(18, 2)) AS precision_sales,
        CAST(sum(rolling_sales) AS DECIMAL(18, 2)) AS rolling_sales,
        CAST(sum(precision_orders) AS DECIMAL(18, 2)) AS precision_orders,
        CAST(sum(rolling_orders) AS DECIMAL(18, 2)) AS rolling_orders,
        list(strftime(month, '%Y-%m') ORDER BY month) FILTER (WHERE differs) AS months_changed
    FROM by_month
    GROUP BY deal_id, precision_at
    HAVING bool_or(differs)
)
SELECT
    c.deal_id,
    c.precision_at,
    p.rolling_at,
    d.track,
    d.account_manager,
    d.profit_center,
    c.precision_sales,
    c.rolling_sales,
    c.precision_orders,
    c.rolling_orders,
    c.months_changed
FROM compared AS c
JOIN pair AS p ON p.deal_id = c.deal_id AND p.precision_at = c.precision_at
JOIN deals AS d ON d.deal_id = c.deal_id
ORDER BY c.precision_at, c.deal_id
