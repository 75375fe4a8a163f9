-- A deal's quotes dated on or before the as-of date, newest first.
SELECT quote_id, stage, quoted_on, amount
FROM quotes
WHERE deal_id = $deal_id AND quoted_on <= $as_of
ORDER BY quoted_on DESC, quote_id
