-- Payment files: the bank's files of incoming payments (BgMax from Bankgirot,
-- ISO 20022 camt.054) read in by the economist. A file is kept with its bytes
-- and the payments read from it as a preview; committing it registers the
-- matched payments (invoice_payments) in one transaction and records, per
-- payment of the file, what was done with it (payment_file_lines). The same
-- file (SHA-256) is committed once per committee. Nothing here is ever
-- deleted, and a file changes only by being committed, once.

-- +goose Up
CREATE TABLE payment_files (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees (id),
    format        TEXT NOT NULL CHECK (format IN ('bgmax', 'camt054')),
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size          BIGINT NOT NULL,
    content       BYTEA NOT NULL,
    -- when the bank wrote the file, as the file says
    file_created  TEXT NOT NULL DEFAULT '',
    -- the file as read: deposits and payments, as JSON
    payments_json TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('preview', 'committed')),
    created_at    TIMESTAMPTZ NOT NULL,
    created_by    TEXT NOT NULL,
    committed_at  TIMESTAMPTZ,
    committed_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX payment_files_committee ON payment_files (committee_id, id);
CREATE UNIQUE INDEX payment_files_once ON payment_files (committee_id, sha256) WHERE status = 'committed';

-- payment_file_lines: what committing did with each payment of the file.
CREATE TABLE payment_file_lines (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_id     BIGINT NOT NULL REFERENCES payment_files (id),
    seq         INTEGER NOT NULL,
    part        INTEGER NOT NULL DEFAULT 0,
    line        INTEGER NOT NULL,
    paid_on     DATE NOT NULL,
    amount_ore  BIGINT NOT NULL,
    reference   TEXT NOT NULL DEFAULT '',
    payer       TEXT NOT NULL DEFAULT '',
    bank_ref    TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL CHECK (outcome IN ('paid', 'partial', 'over', 'unmatched', 'deduction')),
    matched_by  TEXT NOT NULL DEFAULT '',
    invoice_id  BIGINT REFERENCES invoices (id),
    payment_id  BIGINT REFERENCES invoice_payments (id),
    registered_ore BIGINT NOT NULL DEFAULT 0,
    reason      TEXT NOT NULL DEFAULT '',
    UNIQUE (file_id, seq, part)
);

-- +goose StatementBegin
CREATE FUNCTION payment_files_commit_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a payment file is never deleted';
    END IF;
    IF OLD.status <> 'preview' OR NEW.status <> 'committed'
       OR (to_jsonb(NEW) - 'status' - 'committed_at' - 'committed_by') IS DISTINCT FROM (to_jsonb(OLD) - 'status' - 'committed_at' - 'committed_by') THEN
        RAISE EXCEPTION 'a payment file changes only by being committed, once';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER payment_files_commit_only BEFORE UPDATE OR DELETE ON payment_files
    FOR EACH ROW EXECUTE FUNCTION payment_files_commit_only();
CREATE TRIGGER payment_file_lines_no_change BEFORE UPDATE OR DELETE ON payment_file_lines
    FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_change();

-- +goose Down
DROP TRIGGER payment_file_lines_no_change ON payment_file_lines;
DROP TRIGGER payment_files_commit_only ON payment_files;
DROP FUNCTION payment_files_commit_only();
DROP TABLE payment_file_lines;
DROP TABLE payment_files;
