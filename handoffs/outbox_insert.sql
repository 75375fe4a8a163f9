-- Queue one message unless a message with the same idempotency key exists:
-- queueing is idempotent, and the table is append-only, so nothing is replaced.
INSERT INTO outbox_messages (
    idempotency_key, alert_id, purpose, channel, recipient_kind, recipient,
    kind, track, account_manager, subject, body, queued_at
)
SELECT $idempotency_key, $alert_id, $purpose, $channel, $recipient_kind, $recipient,
       $kind, $track, $account_manager, $subject, $body, $queued_at
WHERE NOT EXISTS (
    SELECT 1 FROM outbox_messages WHERE idempotency_key = $idempotency_key
)
RETURNING message_id;
