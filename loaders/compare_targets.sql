-- How many incoming targets are new and how many change the current amount.
SELECT
    count(*) FILTER (WHERE c.amount IS NULL) AS inserted,
    count(*) FILTER (WHERE c.amount IS NOT NULL AND c.amount <> i.amount) AS replaced
FROM incoming AS i
LEFT JOIN targets AS c
    ON c.year = i.year
    AND CAST(c.business_line AS VARCHAR) = i.business_line
    AND CAST(c.metric AS VARCHAR) = i.metric
    AND c.month = i.month
    AND c.track = i.track
    AND c.account_manager = i.account_manager
    AND c.profit_center = i.profit_center
