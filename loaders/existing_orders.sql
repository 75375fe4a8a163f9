-- Incoming SAP orders whose order_no is already loaded, and whether the row is
-- the same in every column.
SELECT
    i.line_no,
    coalesce(
        o.order_date = i.order_date
        AND CAST(o.business_line AS VARCHAR) = i.business_line
        AND o.track = i.track
        AND o.account_manager = i.account_manager
        AND o.profit_center IS NOT DISTINCT FROM i.profit_center
        AND o.customer IS NOT DISTINCT FROM i.customer
        AND o.deal_id IS NOT DISTINCT FROM i.deal_id
        AND o.net_value = i.net_value
        AND o.currency = i.currency,
        false
    ) AS identical
FROM incoming AS i
JOIN orders AS o ON o.order_no = i.order_no
