-- Incoming forecast rows whose key (deal_id, version, submitted_at, month) is
-- already loaded, and whether every figure matches the stored row.
SELECT
    i.line_no,
    coalesce(
        f.order_amount = i.order_amount
        AND f.mold_sets = i.mold_sets
        AND f.mold_sales = i.mold_sales
        AND f.product_sales = i.product_sales,
        false
    ) AS identical
FROM incoming AS i
JOIN forecasts AS f
    ON f.deal_id = i.deal_id
    AND f.version = CAST(i.version AS forecast_version)
    AND f.submitted_at = i.submitted_at
    AND f.month = i.month
