-- Version 8: the alert outbox (SPEC §5): messages queued for delivery by e-mail or
-- group-chat webhook, and every delivery attempt. Both tables are append-only: a
-- message row never changes once queued, and its status (queued, retrying,
-- delivered) is derived from its attempts, the last of which says when to try
-- again.

CREATE SEQUENCE outbox_message_id_seq START 1;

-- One message to one recipient on one channel about one alert event.
-- recipient_kind / recipient:
--   'user'    / a user name (the address is read from users.email when sending)
--   'mailbox' / an e-mail address (the business-analysis PDCA mailbox)
--   'webhook' / a track (the URL is read from the delivery settings when sending)
-- idempotency_key = sha256(alert_id, purpose, channel, recipient): queueing the
-- same message twice is a no-op, and receivers see the key as Message-ID or a
-- JSON field so that a resent message can be recognised.
CREATE TABLE outbox_messages (
    message_id BIGINT PRIMARY KEY DEFAULT nextval('outbox_message_id_seq'),
    idempotency_key VARCHAR NOT NULL UNIQUE,
    alert_id VARCHAR NOT NULL,
    purpose VARCHAR NOT NULL CHECK (purpose IN ('raised', 'escalated')),
    channel VARCHAR NOT NULL CHECK (channel IN ('email', 'webhook')),
    recipient_kind VARCHAR NOT NULL CHECK (recipient_kind IN ('user', 'mailbox', 'webhook')),
    recipient VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    track VARCHAR,
    account_manager VARCHAR,
    subject VARCHAR NOT NULL,
    body VARCHAR NOT NULL,
    queued_at TIMESTAMP NOT NULL
);

-- Every delivery attempt, successful or not. A message is delivered once one of
-- its attempts is; a failed attempt carries the error and next_attempt_at, the
-- earliest time of the next try (exponential back-off).
CREATE TABLE outbox_attempts (
    message_id BIGINT NOT NULL,
    attempt_no INTEGER NOT NULL,
    attempted_at TIMESTAMP NOT NULL,
    outcome VARCHAR NOT NULL CHECK (outcome IN ('delivered', 'failed')),
    address VARCHAR,               -- e-mail address, or webhook URL without its query
    error VARCHAR,
    next_attempt_at TIMESTAMP,     -- null once delivered
    PRIMARY KEY (message_id, attempt_no)
);

CREATE TRIGGER outbox_messages_no_update AFTER UPDATE ON outbox_messages FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('outbox_messages is append-only: a queued message is never rewritten');
CREATE TRIGGER outbox_messages_no_delete AFTER DELETE ON outbox_messages FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('outbox_messages is append-only: a queued message is never deleted');
CREATE TRIGGER outbox_attempts_no_update AFTER UPDATE ON outbox_attempts FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('outbox_attempts is append-only: delivery history is never rewritten');
CREATE TRIGGER outbox_attempts_no_delete AFTER DELETE ON outbox_attempts FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('outbox_attempts is append-only: delivery history is never deleted');
