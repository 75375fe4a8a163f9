-- Queue a batch of messages, the registered frame outbox_batch (one row per
-- message, numbered by ordinal in queueing order), except those whose
-- idempotency key is already queued: queueing is idempotent, and the table is
-- append-only, so nothing is replaced.
--
-- Message ids follow the batch order, as one insert per message would number
-- them: the fresh messages ranked by ordinal take the new sequence values
-- ranked by value (nextval over many rows may hand them out in any order).
INSERT INTO outbox_messages (
    message_id, idempotency_key, alert_id, purpose, channel, recipient_kind,
    recipient, kind, track, account_manager, subject, body, queued_at
)
WITH fresh AS (
    SELECT b.*, row_number() OVER (ORDER BY b.ordinal) AS place
    FROM outbox_batch AS b
    ANTI JOIN outbox_messages AS m USING (idempotency_key)
),
ids AS (
    SELECT message_id, row_number() OVER (ORDER BY message_id) AS place
    FROM (SELECT nextval('outbox_message_id_seq') AS message_id FROM fresh)
)
SELECT i.message_id, f.idempotency_key, f.alert_id, f.purpose, f.channel,
       f.recipient_kind, f.recipient, f.kind, f.track, f.account_manager,
       f.subject, f.body, $queued_at
FROM fresh AS f
JOIN ids AS i USING (place)
ORDER BY i.message_id
RETURNING message_id;
