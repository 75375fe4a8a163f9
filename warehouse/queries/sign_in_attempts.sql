-- One name's sign-in attempts up to $now since its latest success or password
-- reset (earlier ones can no longer lock it), oldest first: what lock-out is
-- derived from. Parameters: $user_name, $now.
WITH since AS (
    SELECT max(attempted_at) AS attempted_at
    FROM sign_in_attempts
    WHERE user_name = $user_name
        AND outcome IN ('success', 'reset')
        AND attempted_at <= $now
)
SELECT a.attempted_at, a.outcome
FROM sign_in_attempts AS a, since AS s
WHERE a.user_name = $user_name
    AND a.attempted_at <= $now
    AND (s.attempted_at IS NULL OR a.attempted_at >= s.attempted_at)
ORDER BY a.attempted_at, a.attempt_id
