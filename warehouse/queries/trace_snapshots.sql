-- Every snapshot holding deal $deal_id: its phase and stage there, and the
-- totals of its frozen rolling and precision forecasts.
SELECT s.label, s.as_of, d.effective_phase, CAST(d.stage AS VARCHAR) AS stage,
       CAST(coalesce(sum(f.order_amount) FILTER (WHERE f.version = 'rolling'), 0)
            AS DECIMAL(18, 2)) AS rolling_order_amount,
       CAST(coalesce(sum(f.mold_sales + f.product_sales)
                         FILTER (WHERE f.version = 'rolling'), 0)
            AS DECIMAL(18, 2)) AS rolling_sales,
       CAST(coalesce(sum(f.order_amount) FILTER (WHERE f.version = 'precision'), 0)
            AS DECIMAL(18, 2)) AS precision_order_amount,
       CAST(coalesce(sum(f.mold_sales + f.product_sales)
                         FILTER (WHERE f.version = 'precision'), 0)
            AS DECIMAL(18, 2)) AS precision_sales,
       bool_or(f.version = 'precision') IS TRUE AS has_precision
FROM snapshot_deals AS d
JOIN snapshots AS s USING (label)
LEFT JOIN snapshot_forecasts AS f
    ON f.label = d.label AND f.deal_id = d.deal_id
WHERE d.deal_id = $deal_id
GROUP BY s.label, s.as_of, d.effective_phase, d.stage
ORDER BY s.label
