-- How many incoming deals are new and how many change the current row.
SELECT
    count(*) FILTER (WHERE c.deal_id IS NULL) AS inserted,
    count(*) FILTER (
        WHERE c.deal_id IS NOT NULL AND (
            c.deal_name IS DISTINCT FROM i.deal_name
            OR CAST(c.business_line AS VARCHAR) IS DISTINCT FROM i.business_line
            OR c.track IS DISTINCT FROM i.track
            OR c.account_manager IS DISTINCT FROM i.account_manager
            OR c.profit_center IS DISTINCT FROM i.profit_center
            OR c.customer IS DISTINCT FROM i.customer
            OR CAST(c.phase AS VARCHAR) IS DISTINCT FROM i.phase
            OR CAST(c.stage AS VARCHAR) IS DISTINCT FROM i.stage
            OR c.created_on IS DISTINCT FROM i.created_on
            OR c.secured_on IS DISTINCT FROM i.secured_on
            OR c.project_id IS DISTINCT FROM i.project_id
            OR c.planned_mp_on IS DISTINCT FROM i.planned_mp_on
        )
    ) AS replaced
FROM incoming AS i
LEFT JOIN deals AS c ON c.deal_id = i.deal_id
