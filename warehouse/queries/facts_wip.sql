-- Commodity WIP sales plan of Y against actual shipments of the planned
-- projects, by month and track (actuals only for months up to M0).
-- Parameters: $year_start, $year_end, $m0, $sees_all, $tracks.
WITH plan AS (
    SELECT month, track, project_id, planned_sales
    FROM wip_plan
    WHERE month >= $year_start AND month < $year_end
        AND ($sees_all OR list_contains($tracks, track))
),
project AS (
    SELECT project_id, min(track) AS track
    FROM plan
    GROUP BY project_id
),
shipped AS (
    SELECT s.month, p.track, sum(s.amount) AS actual_sales
    FROM shipments AS s
    JOIN project AS p ON p.project_id = s.project_id
    WHERE s.plan_or_actual = 'actual' AND s.month >= $year_start AND s.month <= $m0
    GROUP BY ALL
),
planned AS (
    SELECT month, track, sum(planned_sales) AS planned_sales
    FROM plan
    GROUP BY ALL
)
SELECT
    coalesce(p.month, s.month) AS month,
    coalesce(p.track, s.track) AS track,
    CAST(coalesce(p.planned_sales, 0) AS DECIMAL(18, 2)) AS planned_sales,
    CASE WHEN coalesce(p.month, s.month) <= $m0
        THEN CAST(coalesce(s.actual_sales, 0) AS DECIMAL(18, 2)) END AS actual_sales
FROM planned AS p
FULL OUTER JOIN shipped AS s ON s.month = p.month AND s.track = p.track
ORDER BY month, track
