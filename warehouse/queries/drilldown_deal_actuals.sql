-- A deal's actuals by month up to the as-of month: shipments matched to it as
-- the rules match them (by deal_id, else through its project), and SAP orders.
WITH shipped AS (
    SELECT month,
           sum(amount) FILTER (WHERE kind = 'mold') AS mold_shipped,
           sum(amount) FILTER (WHERE kind = 'product') AS product_shipped
    FROM deal_shipments(DATE '1900-01-01', date_trunc('month', CAST($as_of AS DATE)))
    WHERE deal_id = $deal_id
    GROUP BY month
),
ordered AS (
    SELECT date_trunc('month', order_date) AS month, sum(net_value) AS orders
    FROM orders
    WHERE deal_id = $deal_id AND order_date <= $as_of
    GROUP BY 1
)
SELECT CAST(coalesce(s.month, o.month) AS DATE) AS month,
       coalesce(s.mold_shipped, 0) AS mold_shipped,
       coalesce(s.product_shipped, 0) AS product_shipped,
       coalesce(o.orders, 0) AS orders
FROM shipped AS s
FULL JOIN ordered AS o ON o.month = s.month
ORDER BY month
