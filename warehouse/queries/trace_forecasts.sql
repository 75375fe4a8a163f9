-- Every forecast submission of deal $deal_id: version, revision number within
-- the version, submitted_at, and its totals over all its months.
SELECT version,
       row_number() OVER (PARTITION BY version ORDER BY submitted_at) AS revision,
       submitted_at,
       count(*) AS months,
       CAST(sum(order_amount) AS DECIMAL(18, 2)) AS order_amount,
       sum(mold_sets) AS mold_sets,
       CAST(sum(mold_sales) AS DECIMAL(18, 2)) AS mold_sales,
       CAST(sum(product_sales) AS DECIMAL(18, 2)) AS product_sales
FROM forecasts
WHERE deal_id = $deal_id
GROUP BY version, submitted_at
ORDER BY submitted_at, version
