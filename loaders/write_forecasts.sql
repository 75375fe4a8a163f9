-- Forecast submissions are only ever added (the rows already loaded
-- identically have been taken out of `incoming`).
INSERT INTO forecasts
SELECT deal_id, version, submitted_at, month, order_amount, mold_sets, mold_sales,
       product_sales, $load_id
FROM incoming;
