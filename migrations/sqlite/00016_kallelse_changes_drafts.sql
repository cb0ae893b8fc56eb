-- Guards against silent damage and lost work, and a section of the interim
-- report.
--
-- kallelse_changes: once a meeting's kallelse is published, every later change
-- to the meeting or its föredragningslista is recorded here, so the meeting
-- page, the kallelse and its PDF say the kallelse is "ändrad" and what
-- changed, and mail to the members can say the same.
--
-- ledger_imports.discarded_at: a preview the economist abandons is discarded
-- (kept, with who and when, but never committed and out of the way).
--
-- form_drafts: what a user submitted after the session had ended, sealed with
-- the server's key and kept for that user alone, so that after logging in
-- again the form comes back with what was typed. A draft is read once and
-- removed; drafts older than a day are removed.

-- +goose Up
CREATE TABLE kallelse_changes (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    changed_at TIMESTAMP NOT NULL,
    changed_by TEXT NOT NULL DEFAULT '',
    what       TEXT NOT NULL
);
CREATE INDEX kallelse_changes_meeting ON kallelse_changes (meeting_id, changed_at);

ALTER TABLE ledger_imports ADD COLUMN discarded_at TIMESTAMP;
ALTER TABLE ledger_imports ADD COLUMN discarded_by TEXT NOT NULL DEFAULT '';
DROP TRIGGER ledger_imports_commit_only;
-- +goose StatementBegin
CREATE TRIGGER ledger_imports_commit_only BEFORE UPDATE ON ledger_imports
WHEN OLD.status <> 'preview' OR OLD.discarded_at IS NOT NULL
  OR NOT ((NEW.status = 'committed' AND NEW.discarded_at IS NULL AND NEW.discarded_by IS OLD.discarded_by)
       OR (NEW.status = 'preview' AND NEW.discarded_at IS NOT NULL
           AND NEW.committed_at IS OLD.committed_at AND NEW.committed_by IS OLD.committed_by))
  OR NEW.id IS NOT OLD.id OR NEW.committee_id IS NOT OLD.committee_id OR NEW.format IS NOT OLD.format
  OR NEW.file_name IS NOT OLD.file_name OR NEW.sha256 IS NOT OLD.sha256 OR NEW.size IS NOT OLD.size
  OR NEW.content IS NOT OLD.content OR NEW.year IS NOT OLD.year OR NEW.periods IS NOT OLD.periods
  OR NEW.details_json IS NOT OLD.details_json OR NEW.company IS NOT OLD.company
  OR NEW.org_number IS NOT OLD.org_number OR NEW.through IS NOT OLD.through
  OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
BEGIN
    SELECT RAISE(ABORT, 'an import changes only by being committed or discarded, once');
END;
-- +goose StatementEnd

-- The interim report's section "Verksamhetens utfall mot föregående år" is a
-- text of its own, as in the committee's delårsrapport.
ALTER TABLE interim_reports ADD COLUMN prior_comment TEXT NOT NULL DEFAULT '';

CREATE TABLE form_drafts (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    path       TEXT NOT NULL,
    sealed     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX form_drafts_user ON form_drafts (user_id, created_at);

-- +goose Down
DROP TABLE form_drafts;
ALTER TABLE interim_reports DROP COLUMN prior_comment;
DROP TRIGGER ledger_imports_commit_only;
-- +goose StatementBegin
CREATE TRIGGER ledger_imports_commit_only BEFORE UPDATE ON ledger_imports
WHEN OLD.status <> 'preview' OR NEW.status <> 'committed'
  OR NEW.id IS NOT OLD.id OR NEW.committee_id IS NOT OLD.committee_id OR NEW.format IS NOT OLD.format
  OR NEW.file_name IS NOT OLD.file_name OR NEW.sha256 IS NOT OLD.sha256 OR NEW.size IS NOT OLD.size
  OR NEW.content IS NOT OLD.content OR NEW.year IS NOT OLD.year OR NEW.periods IS NOT OLD.periods
  OR NEW.details_json IS NOT OLD.details_json OR NEW.company IS NOT OLD.company
  OR NEW.org_number IS NOT OLD.org_number OR NEW.through IS NOT OLD.through
  OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
BEGIN
    SELECT RAISE(ABORT, 'an import changes only by being committed, once');
END;
-- +goose StatementEnd
ALTER TABLE ledger_imports DROP COLUMN discarded_by;
ALTER TABLE ledger_imports DROP COLUMN discarded_at;
DROP TABLE kallelse_changes;
