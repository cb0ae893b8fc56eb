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
    id                 BIGSERIAL PRIMARY KEY,
    paragraph_id       BIGINT NOT NULL REFERENCES paragraphs (id),
    recipient          TEXT NOT NULL,
    recipient_label    TEXT NOT NULL,
    party_id           BIGINT REFERENCES parties (id),
    user_id            BIGINT REFERENCES users (id),
    to_email           TEXT NOT NULL,
    to_name            TEXT NOT NULL,
    mail_id            BIGINT NOT NULL REFERENCES mails (id),
    dispatched_at      TIMESTAMPTZ NOT NULL,
    dispatched_by      BIGINT REFERENCES users (id),
    dispatched_by_name TEXT NOT NULL,
    UNIQUE (paragraph_id, recipient)
);
CREATE INDEX dispatches_party ON dispatches (party_id);

CREATE TABLE dispatch_receipts (
    id               BIGSERIAL PRIMARY KEY,
    dispatch_id      BIGINT NOT NULL REFERENCES dispatches (id),
    registry_number  TEXT NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL,
    received_by      BIGINT NOT NULL REFERENCES users (id),
    received_by_name TEXT NOT NULL
);
CREATE INDEX dispatch_receipts_dispatch ON dispatch_receipts (dispatch_id, id);

-- +goose StatementBegin
CREATE FUNCTION dispatches_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % is not allowed: expediering keeps its history', TG_OP, TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER dispatches_no_change BEFORE UPDATE OR DELETE ON dispatches
    FOR EACH ROW EXECUTE FUNCTION dispatches_refuse_change();
CREATE TRIGGER dispatches_no_truncate BEFORE TRUNCATE ON dispatches
    FOR EACH STATEMENT EXECUTE FUNCTION dispatches_refuse_change();
CREATE TRIGGER dispatch_receipts_no_change BEFORE UPDATE OR DELETE ON dispatch_receipts
    FOR EACH ROW EXECUTE FUNCTION dispatches_refuse_change();
CREATE TRIGGER dispatch_receipts_no_truncate BEFORE TRUNCATE ON dispatch_receipts
    FOR EACH STATEMENT EXECUTE FUNCTION dispatches_refuse_change();

-- +goose Down
DROP TRIGGER dispatch_receipts_no_truncate ON dispatch_receipts;
DROP TRIGGER dispatch_receipts_no_change ON dispatch_receipts;
DROP TRIGGER dispatches_no_truncate ON dispatches;
DROP TRIGGER dispatches_no_change ON dispatches;
DROP FUNCTION dispatches_refuse_change();
DROP TABLE dispatch_receipts;
DROP TABLE dispatches;
ALTER TABLE parties DROP COLUMN registry_email;
