-- Monthly sales of version 1 of the $year baseline: the current forecast at
-- $as_of, months of $year that carry mold or product sales.
INSERT INTO baseline_months
SELECT $year, f.deal_id, 1, f.month, f.mold_sales, f.product_sales
FROM current_forecast($as_of) AS f
JOIN baseline_versions AS b
    ON b.year = $year AND b.version = 1 AND b.deal_id = f.deal_id
WHERE year(f.month) = $year AND (f.mold_sales <> 0 OR f.product_sales <> 0)
