-- Freeze each deal's current rolling and current precision submission (every
-- month of each) as of $as_of into snapshot $label.
INSERT INTO snapshot_forecasts
SELECT $label, s.deal_id, s.version, s.submitted_at, s.month, s.order_amount,
       s.mold_sets, s.mold_sales, s.product_sales
FROM latest_submissions($as_of) AS s
WHERE s.deal_id IN (SELECT deal_id FROM deals)
