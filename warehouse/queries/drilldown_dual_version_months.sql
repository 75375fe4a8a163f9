-- One precision submission of a deal ($deal_id, $precision_at) against the
-- rolling submission current when it was made (the comparison the version_diff
-- alert makes), month by month; a month missing on one side counts as zeros.
WITH rolling_at AS (
    SELECT max(submitted_at) AS submitted_at
    FROM forecasts
    WHERE deal_id = $deal_id AND version = 'rolling' AND submitted_at <= $precision_at
),
precision_rows AS (
    SELECT month, order_amount, mold_sets, mold_sales, product_sales
    FROM forecasts
    WHERE deal_id = $deal_id AND version = 'precision' AND submitted_at = $precision_at
),
rolling_rows AS (
    SELECT f.month, f.order_amount, f.mold_sets, f.mold_sales, f.product_sales
    FROM forecasts AS f
    JOIN rolling_at AS r ON f.submitted_at = r.submitted_at
    WHERE f.deal_id = $deal_id AND f.version = 'rolling'
)
SELECT coalesce(p.month, r.month) AS month,
       coalesce(r.order_amount, 0) AS rolling_order,
       coalesce(p.order_amount, 0) AS precision_order,
       coalesce(r.mold_sets, 0) AS rolling_mold_sets,
       coalesce(p.mold_sets, 0) AS precision_mold_sets,
       coalesce(r.mold_sales, 0) + coalesce(r.product_sales, 0) AS rolling_sales,
       coalesce(p.mold_sales, 0) + coalesce(p.product_sales, 0) AS precision_sales
FROM precision_rows AS p
FULL JOIN rolling_rows AS r ON r.month = p.month
ORDER BY month
