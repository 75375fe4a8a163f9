-- Every outbox message with its status derived from its attempts (the message
-- row itself never changes): delivered once any attempt succeeded, retrying
-- after a failed attempt, queued before the first. Scoped like deals:
-- $sees_all, or the message's track among $tracks, or its account manager.
WITH tried AS (
    SELECT message_id,
           count(*) AS attempts,
           min(attempted_at) FILTER (WHERE outcome = 'delivered') AS delivered_at,
           max(attempted_at) AS last_attempt_at,
           arg_max(error, attempt_no) AS last_error,
           arg_max(next_attempt_at, attempt_no) AS next_attempt_at
    FROM outbox_attempts
    GROUP BY message_id
),
status AS (
    SELECT m.message_id, m.alert_id, m.purpose, m.kind, m.channel,
           m.recipient_kind, m.recipient, m.track, m.account_manager,
           m.subject, m.body, m.idempotency_key, m.queued_at,
           coalesce(t.attempts, 0) AS attempts,
           CASE
               WHEN t.delivered_at IS NOT NULL THEN 'delivered'
               WHEN t.attempts IS NULL THEN 'queued'
               ELSE 'retrying'
           END AS status,
           t.delivered_at,
           t.last_attempt_at,
           CASE WHEN t.delivered_at IS NULL THEN t.last_error END AS last_error,
           CASE WHEN t.delivered_at IS NULL THEN t.next_attempt_at END AS next_attempt_at
    FROM outbox_messages AS m
    LEFT JOIN tried AS t USING (message_id)
    WHERE $sees_all
       OR list_contains($tracks, m.track)
       OR m.account_manager = $account_manager
)
SELECT *
FROM status
WHERE ($status IS NULL OR status = $status)
  AND ($due_at IS NULL
       OR (status <> 'delivered'
           AND (next_attempt_at IS NULL OR next_attempt_at <= $due_at)))
ORDER BY message_id;
