-- Payment files: the bank's files of incoming payments (BgMax from Bankgirot,
-- ISO 20022 camt.054) read in by the economist. A file is kept with its bytes
-- and the payments read from it as a preview; committing it registers the
-- matched payments (invoice_payments) in one transaction and records, per
-- payment of the file, what was done with it (payment_file_lines). The same
-- file (SHA-256) is committed once per committee. Nothing here is ever
-- deleted, and a file changes only by being committed, once.

-- +goose Up
CREATE TABLE payment_files (
    id            INTEGER PRIMARY KEY,
    committee_id  INTEGER NOT NULL REFERENCES committees (id),
    format        TEXT NOT NULL CHECK (format IN ('bgmax', 'camt054')),
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size          BIGINT NOT NULL,
    content       BLOB NOT NULL,
    -- when the bank wrote the file, as the file says
    file_created  TEXT NOT NULL DEFAULT '',
    -- the file as read: deposits and payments, as JSON
    payments_json TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('preview', 'committed')),
    created_at    TIMESTAMP NOT NULL,
    created_by    TEXT NOT NULL,
    committed_at  TIMESTAMP,
    committed_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX payment_files_committee ON payment_files (committee_id, id);
CREATE UNIQUE INDEX payment_files_once ON payment_files (committee_id, sha256) WHERE status = 'committed';

-- payment_file_lines: what committing did with each payment of the file.
CREATE TABLE payment_file_lines (
    id          INTEGER PRIMARY KEY,
    file_id     INTEGER NOT NULL REFERENCES payment_files (id),
    seq         INTEGER NOT NULL,
    part        INTEGER NOT NULL DEFAULT 0,
    line        INTEGER NOT NULL,
    paid_on     TEXT NOT NULL,
    amount_ore  BIGINT NOT NULL,
    reference   TEXT NOT NULL DEFAULT '',
    payer       TEXT NOT NULL DEFAULT '',
    bank_ref    TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL CHECK (outcome IN ('paid', 'partial', 'over', 'unmatched', 'deduction')),
    matched_by  TEXT NOT NULL DEFAULT '',
    invoice_id  INTEGER REFERENCES invoices (id),
    payment_id  INTEGER REFERENCES invoice_payments (id),
    registered_ore BIGINT NOT NULL DEFAULT 0,
    reason      TEXT NOT NULL DEFAULT '',
    UNIQUE (file_id, seq, part)
);

-- +goose StatementBegin
CREATE TRIGGER payment_files_commit_only BEFORE UPDATE ON payment_files
WHEN OLD.status <> 'preview' OR NEW.status <> 'committed'
  OR NEW.id IS NOT OLD.id OR NEW.committee_id IS NOT OLD.committee_id OR NEW.format IS NOT OLD.format
  OR NEW.file_name IS NOT OLD.file_name OR NEW.sha256 IS NOT OLD.sha256 OR NEW.size IS NOT OLD.size
  OR NEW.content IS NOT OLD.content OR NEW.file_created IS NOT OLD.file_created OR NEW.payments_json IS NOT OLD.payments_json
  OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
BEGIN
    SELECT RAISE(ABORT, 'a payment file changes only by being committed, once');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payment_files_no_delete BEFORE DELETE ON payment_files
BEGIN
    SELECT RAISE(ABORT, 'a payment file is never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payment_file_lines_no_update BEFORE UPDATE ON payment_file_lines
BEGIN
    SELECT RAISE(ABORT, 'what a payment file did is never changed');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payment_file_lines_no_delete BEFORE DELETE ON payment_file_lines
BEGIN
    SELECT RAISE(ABORT, 'what a payment file did is never deleted');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER payment_file_lines_no_delete;
DROP TRIGGER payment_file_lines_no_update;
DROP TRIGGER payment_files_no_delete;
DROP TRIGGER payment_files_commit_only;
DROP TABLE payment_file_lines;
DROP TABLE payment_files;
