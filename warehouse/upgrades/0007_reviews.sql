-- Version 7: the notes and tasks a track director records in the monthly review
-- of each account manager (PDCA step D2), shown again at the next review.
-- Append-only: a correction is a new note.

CREATE SEQUENCE review_note_id_seq START 1;

CREATE TABLE review_notes (
    note_id BIGINT PRIMARY KEY DEFAULT nextval('review_note_id_seq'),
    review_month DATE NOT NULL,          -- first day of the month reviewed
    track VARCHAR NOT NULL,
    account_manager VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('note', 'task')),
    body VARCHAR NOT NULL,
    due_on DATE,                         -- for tasks: when it should be done
    written_by VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TRIGGER review_notes_no_update AFTER UPDATE ON review_notes FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('review notes are append-only: write a new note instead');
CREATE TRIGGER review_notes_no_delete AFTER DELETE ON review_notes FOR EACH STATEMENT
    INSERT INTO append_only_guard SELECT error('review notes are append-only: they are never deleted');
