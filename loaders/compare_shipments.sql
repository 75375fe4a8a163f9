-- How many incoming shipments are new and how many change the current amount.
SELECT
    count(*) FILTER (WHERE c.amount IS NULL) AS inserted,
    count(*) FILTER (WHERE c.amount IS NOT NULL AND c.amount <> i.amount) AS replaced
FROM incoming AS i
LEFT JOIN shipments AS c
    ON c.month = i.month
    AND c.deal_id = i.deal_id
    AND c.project_id = i.project_id
    AND CAST(c.kind AS VARCHAR) = i.kind
    AND c.source = i.source
    AND CAST(c.plan_or_actual AS VARCHAR) = i.plan_or_actual
