-- The latest baseline version of each deal for $year that the actor may see
-- ($sees_all, or the deal's track in $tracks, or its manager = $account_manager;
-- track and manager are the deal's latest loaded ones), with its sales for the
-- year. locked: locked at baseline time, or the deal is now in mold development
-- or mass production.
WITH latest AS (
    SELECT year, deal_id, max(version) AS version
    FROM baseline_versions
    WHERE year = $year
    GROUP BY year, deal_id
),
totals AS (
    SELECT m.deal_id,
           sum(m.mold_sales) AS mold_sales,
           sum(m.product_sales) AS product_sales
    FROM baseline_months AS m
    JOIN latest AS l USING (year, deal_id, version)
    GROUP BY m.deal_id
)
SELECT b.year, b.deal_id, d.deal_name, b.version, b.business_line,
       coalesce(d.track, b.track) AS track,
       coalesce(d.account_manager, b.account_manager) AS account_manager,
       b.effective_phase,
       b.locked OR coalesce(
           effective_phase(d.phase, d.stage) IN ('mold_development', 'mass_production'),
           false
       ) AS locked,
       b.expected_order_month,
       b.expected_order_amount,
       CAST(coalesce(t.mold_sales, 0) AS DECIMAL(18, 2)) AS mold_sales,
       CAST(coalesce(t.product_sales, 0) AS DECIMAL(18, 2)) AS product_sales,
       CAST(coalesce(t.mold_sales, 0) + coalesce(t.product_sales, 0) AS DECIMAL(18, 2))
           AS sales,
       b.written_at, b.written_by, b.migration_id
FROM baseline_versions AS b
JOIN latest AS l USING (year, deal_id, version)
LEFT JOIN deals AS d USING (deal_id)
LEFT JOIN totals AS t USING (deal_id)
WHERE CAST($sees_all AS BOOLEAN)
   OR list_contains(CAST($tracks AS VARCHAR[]), coalesce(d.track, b.track))
   OR coalesce(d.account_manager, b.account_manager) = $account_manager
ORDER BY b.deal_id
