-- One row per load attempt, whatever its outcome (load_log is append-only).
INSERT INTO load_log (
    load_id, kind, file_name, sha256, outcome, rows_read, rows_loaded,
    rows_rejected, problem_count, detail, user_name, started_at, finished_at
)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
