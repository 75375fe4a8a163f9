-- Record one delivery attempt of a message, numbered after the attempts before it.
INSERT INTO outbox_attempts (
    message_id, attempt_no, attempted_at, outcome, address, error, next_attempt_at
)
SELECT $message_id,
       coalesce(max(attempt_no), 0) + 1,
       $attempted_at, $outcome, $address, $error, $next_attempt_at
FROM outbox_attempts
WHERE message_id = $message_id
RETURNING attempt_no;
