-- Labels of the snapshots taken for months of year Y ('YYYY-MM'). Parameter: $year.
SELECT label
FROM snapshots
WHERE label LIKE CAST($year AS VARCHAR) || '-%'
ORDER BY label
