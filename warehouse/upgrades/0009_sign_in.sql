-- Version 9: local sign-in. A user's password is kept only as an argon2id hash
-- (null: the user cannot sign in with a password until an admin sets one), and
-- every sign-in attempt is appended to sign_in_attempts, from which lock-out is
-- derived (warehouse/sign_in.py): nothing about an attempt is ever rewritten.

ALTER TABLE users ADD COLUMN password_hash VARCHAR;

CREATE SEQUENCE sign_in_attempt_id_seq START 1;

-- user_name is the name as typed (or the e-mail for single sign-on), whether or
-- not a user carries it, so that unknown names lock out like known ones.
-- outcome: success | failure (wrong password, unknown user) | locked (refused
-- unchecked during a lock-out) | reset (an admin set a new password, which
-- ends any lock-out). method: password | sso | admin.
CREATE TABLE sign_in_attempts (
    attempt_id BIGINT PRIMARY KEY DEFAULT nextval('sign_in_attempt_id_seq'),
    user_name VARCHAR NOT NULL,
    attempted_at TIMESTAMP NOT NULL,
    outcome VARCHAR NOT NULL CHECK (outcome IN ('success', 'failure', 'locked', 'reset')),
    method VARCHAR NOT NULL CHECK (method IN ('password', 'sso', 'admin')),
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TRIGGER sign_in_attempts_no_update AFTER UPDATE ON sign_in_attempts FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('sign_in_attempts is append-only: an attempt is never rewritten');
CREATE TRIGGER sign_in_attempts_no_delete AFTER DELETE ON sign_in_attempts FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('sign_in_attempts is append-only: an attempt is never deleted');
