-- How many incoming WIP plan rows are new and how many change the current row.
SELECT
    count(*) FILTER (WHERE c.project_id IS NULL) AS inserted,
    count(*) FILTER (
        WHERE c.project_id IS NOT NULL AND (
            c.track IS DISTINCT FROM i.track
            OR c.profit_center IS DISTINCT FROM i.profit_center
            OR c.planned_sales IS DISTINCT FROM i.planned_sales
        )
    ) AS replaced
FROM incoming AS i
LEFT JOIN wip_plan AS c ON c.month = i.month AND c.project_id = i.project_id
