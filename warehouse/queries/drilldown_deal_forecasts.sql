-- A deal's latest rolling and latest precision submission at the as-of date,
-- side by side month by month; a version's columns are null where it has no
-- row for the month (or the deal has no submission of that version yet).
WITH latest AS (
    SELECT * FROM latest_submissions($as_of) WHERE deal_id = $deal_id
),
rolling AS (SELECT * FROM latest WHERE version = 'rolling'),
precision AS (SELECT * FROM latest WHERE version = 'precision')
SELECT coalesce(r.month, p.month) AS month,
       r.order_amount AS rolling_order,
       p.order_amount AS precision_order,
       r.mold_sets AS rolling_mold_sets,
       p.mold_sets AS precision_mold_sets,
       r.mold_sales + r.product_sales AS rolling_sales,
       p.mold_sales + p.product_sales AS precision_sales,
       r.submitted_at AS rolling_submitted_at,
       p.submitted_at AS precision_submitted_at
FROM rolling AS r
FULL JOIN precision AS p ON p.month = r.month
ORDER BY month
