-- The earliest successful load of the same kind with the same file content.
SELECT load_id, rows_read
FROM load_log
WHERE kind = ? AND sha256 = ? AND outcome = 'loaded'
ORDER BY load_id
LIMIT 1
