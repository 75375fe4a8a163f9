-- How many incoming quotes are new and how many change the current row.
SELECT
    count(*) FILTER (WHERE c.quote_id IS NULL) AS inserted,
    count(*) FILTER (
        WHERE c.quote_id IS NOT NULL AND (
            c.deal_id IS DISTINCT FROM i.deal_id
            OR CAST(c.stage AS VARCHAR) IS DISTINCT FROM i.stage
            OR c.quoted_on IS DISTINCT FROM i.quoted_on
            OR c.amount IS DISTINCT FROM i.amount
        )
    ) AS replaced
FROM incoming AS i
LEFT JOIN quotes AS c ON c.quote_id = i.quote_id
