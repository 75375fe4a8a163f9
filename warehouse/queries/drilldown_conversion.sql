-- Every deal in the viewer's scope created on or before the as-of date, with its
-- outcome at that date and its amounts: the rows behind the conversion analysis.
-- won: the deal reached mold development or mass production (Secured counts)
-- with secured_on, if given, on or before the as-of date; lost: stage Lost;
-- open otherwise. Forecast amounts are the current forecast's, all months.
WITH scoped AS (
    SELECT d.*, effective_phase(d.phase, d.stage) AS effective_phase
    FROM deals AS d
    WHERE d.created_on <= $as_of
        AND ($sees_all OR list_contains(CAST($tracks AS VARCHAR[]), d.track)
             OR d.account_manager = $manager)
),
forecast AS (
    SELECT deal_id,
           sum(order_amount) AS order_amount,
           sum(mold_sales) AS mold_sales,
           sum(product_sales) AS product_sales
    FROM current_forecast($as_of)
    GROUP BY deal_id
),
booked AS (
    SELECT deal_id, sum(net_value) AS orders
    FROM orders
    WHERE order_date <= $as_of AND deal_id IS NOT NULL
    GROUP BY deal_id
)
SELECT s.deal_id, s.deal_name, CAST(s.business_line AS VARCHAR) AS business_line,
       s.track, s.account_manager, coalesce(s.customer, '') AS customer,
       s.created_on,
       year(s.created_on) || '-Q' || quarter(s.created_on) AS created_quarter,
       CASE
           WHEN s.effective_phase = 'lost' THEN 'lost'
           WHEN s.effective_phase IN ('mold_development', 'mass_production')
               AND (s.secured_on IS NULL OR s.secured_on <= $as_of) THEN 'won'
           ELSE 'open'
       END AS outcome,
       coalesce(f.order_amount, 0) AS forecast_order_amount,
       coalesce(f.mold_sales, 0) AS forecast_mold_sales,
       coalesce(f.product_sales, 0) AS forecast_product_sales,
       coalesce(b.orders, 0) AS actual_orders
FROM scoped AS s
LEFT JOIN forecast AS f USING (deal_id)
LEFT JOIN booked AS b USING (deal_id)
ORDER BY s.deal_id
