-- Expediering of protokollsutdrag (issue 18). A party's registry address
-- (registratorns e-post, where its diarium takes in what it is sent); each
-- dispatch of a paragraph's utdrag to one recipient (a party, or a user of a
-- role such as the economist) with the mail that carried it; and each
-- receipt a party user records for its party, with the party's own
-- diarienummer. A recipient gets a paragraph's utdrag once (UNIQUE), and
-- neither dispatches nor receipts are changed or deleted: a corrected
-- diarienummer is a new receipt, the earlier one stays as history.

-- +goose Up
ALTER TABLE parties ADD COLUMN registry_email TEXT NOT NULL DEFAULT '';

CREATE TABLE dispatches (
    id                 INTEGER PRIMARY KEY,
    paragraph_id       INTEGER NOT NULL REFERENCES paragraphs (id),
    recipient          TEXT NOT NULL,
    recipient_label    TEXT NOT NULL,
    party_id           INTEGER REFERENCES parties (id),
    user_id            INTEGER REFERENCES users (id),
    to_email           TEXT NOT NULL,
    to_name            TEXT NOT NULL,
    mail_id            INTEGER NOT NULL REFERENCES mails (id),
    dispatched_at      TIMESTAMP NOT NULL,
    dispatched_by      INTEGER REFERENCES users (id),
    dispatched_by_name TEXT NOT NULL,
    UNIQUE (paragraph_id, recipient)
);
CREATE INDEX dispatches_party ON dispatches (party_id);

CREATE TABLE dispatch_receipts (
    id              INTEGER PRIMARY KEY,
    dispatch_id     INTEGER NOT NULL REFERENCES dispatches (id),
    registry_number TEXT NOT NULL,
    received_at     TIMESTAMP NOT NULL,
    received_by     INTEGER NOT NULL REFERENCES users (id),
    received_by_name TEXT NOT NULL
);
CREATE INDEX dispatch_receipts_dispatch ON dispatch_receipts (dispatch_id, id);

-- +goose StatementBegin
CREATE TRIGGER dispatches_no_update BEFORE UPDATE ON dispatches
BEGIN
    SELECT RAISE(ABORT, 'dispatches are never changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER dispatches_no_delete BEFORE DELETE ON dispatches
BEGIN
    SELECT RAISE(ABORT, 'dispatches are never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER dispatch_receipts_no_update BEFORE UPDATE ON dispatch_receipts
BEGIN
    SELECT RAISE(ABORT, 'receipts are never changed: record a new one');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER dispatch_receipts_no_delete BEFORE DELETE ON dispatch_receipts
BEGIN
    SELECT RAISE(ABORT, 'receipts are never deleted');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER dispatch_receipts_no_delete;
DROP TRIGGER dispatch_receipts_no_update;
DROP TRIGGER dispatches_no_delete;
DROP TRIGGER dispatches_no_update;
DROP TABLE dispatch_receipts;
DROP TABLE dispatches;
ALTER TABLE parties DROP COLUMN registry_email;
