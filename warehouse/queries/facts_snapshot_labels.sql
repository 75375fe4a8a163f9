-- Labels of the snapshots of months of year Y ('YYYY-MM') that existed at D:
-- a snapshot taken as of a later date is a fact dated after D and does not
-- count (SPEC §4), so a board for D reads the same whenever it is run.
-- Parameters: $year, $as_of.
SELECT label
FROM snapshots
WHERE label LIKE CAST($year AS VARCHAR) || '-%'
    AND as_of <= $as_of
ORDER BY label
