-- The latest load attempts, accepted, rejected or unchanged, newest first.
SELECT load_id, kind, file_name, outcome, rows_read, rows_loaded, rows_rejected,
       problem_count, user_name, started_at, finished_at, sha256
FROM load_log
ORDER BY load_id DESC
LIMIT $limit
