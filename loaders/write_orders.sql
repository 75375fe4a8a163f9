-- SAP orders are only ever added (orders already loaded identically have been
-- taken out of `incoming`).
INSERT INTO orders
SELECT order_no, order_date, business_line, track, account_manager, profit_center,
       customer, deal_id, net_value, currency, $load_id
FROM incoming;
