-- Search: one full-text index over what the secretariat and the members look
-- for (cases, paragraphs, agenda items, assignments, case documents with the
-- text read from their files, invoices), kept up to date in the transaction
-- of each change.
--
-- search_entries is an FTS5 table: title and body are indexed (unicode61
-- folds case for all of Unicode, so "åre" finds "Åre"; å, ä and ö stay
-- letters of their own), and stems holds the Swedish stem of each of their
-- words, made in Go, since FTS5 has no Swedish stemmer ("protokollet" and
-- "protokollen" are both "protokoll" there); the rest is kept beside them
-- for the filters, the access check and the link. Its rowid is the object's id times 8 plus the
-- kind's code (store/internal/search), so an entry is found without a lookup.
--
-- The triggers below only note which objects changed in search_pending; the
-- store rewrites their entries from Go before the transaction commits (the
-- document text is read from the file there), and `gns reindex` rebuilds
-- the whole index. This migration leaves the index empty: Migrate runs the
-- reindex after it.

-- +goose Up
CREATE VIRTUAL TABLE search_entries USING fts5 (
    title,
    body,
    stems,
    kind UNINDEXED,
    object_id UNINDEXED,
    committee_id UNINDEXED,
    year UNINDEXED,
    audience UNINDEXED,
    party_id UNINDEXED,
    ref UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '2 3 4'
);

CREATE TABLE search_pending (
    kind      TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    PRIMARY KEY (kind, object_id)
) WITHOUT ROWID;

-- +goose StatementBegin
CREATE TRIGGER search_cases_ins AFTER INSERT ON cases
BEGIN INSERT OR IGNORE INTO search_pending (kind, object_id) VALUES ('case', NEW.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_cases_upd AFTER UPDATE ON cases
BEGIN INSERT OR IGNORE INTO search_pending (kind, object_id) VALUES ('case', NEW.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_documents_ins AFTER INSERT ON case_documents
BEGIN INSERT OR IGNORE INTO search_pending (kind, object_id) VALUES ('document', NEW.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_paragraphs_ins AFTER INSERT ON paragraphs
BEGIN INSERT OR IGNORE INTO search_pending (kind, object_id) VALUES ('paragraph', NEW.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_paragraphs_upd AFTER UPDATE ON paragraphs
BEGIN INSERT OR IGNORE INTO search_pending (kind, object_id) VALUES ('paragraph', NEW.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_paragraphs_del AFTER DELETE ON paragraphs
BEGIN INSERT OR IGNORE INTO search_pending (kind, object_id) VALUES ('paragraph', OLD.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_motions_ins AFTER INSERT ON motions
BEGIN INSERT OR IGNORE INTO search_pending (kind, object_id) VALUES ('paragraph', NEW.paragraph_id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_motions_upd AFTER UPDATE ON motions
BEGIN INSERT OR IGNORE INTO search_pending (kind, object_id) VALUES ('paragraph', NEW.paragraph_id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_motions_del AFTER DELETE ON motions
BEGIN INSERT OR IGNORE INTO search_pending (kind, object_id) VALUES ('paragraph', OLD.paragraph_id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_agenda_ins AFTER INSERT ON agenda_items
BEGIN INSERT OR IGNORE INTO search_pending (kind, object_id) VALUES ('agenda', NEW.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_agenda_upd AFTER UPDATE ON agenda_items
BEGIN INSERT OR IGNORE INTO search_pending (kind, object_id) VALUES ('agenda', NEW.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_agenda_del AFTER DELETE ON agenda_items
BEGIN INSERT OR IGNORE INTO search_pending (kind, object_id) VALUES ('agenda', OLD.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_assignments_ins AFTER INSERT ON assignments
BEGIN INSERT OR IGNORE INTO search_pending (kind, object_id) VALUES ('assignment', NEW.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_assignments_upd AFTER UPDATE ON assignments
BEGIN INSERT OR IGNORE INTO search_pending (kind, object_id) VALUES ('assignment', NEW.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_invoices_ins AFTER INSERT ON invoices
BEGIN INSERT OR IGNORE INTO search_pending (kind, object_id) VALUES ('invoice', NEW.id); END;
-- +goose StatementEnd
-- Who may read a meeting's agenda items and paragraphs changes when its
-- kallelse is published and when its minutes are locked.
-- +goose StatementBegin
CREATE TRIGGER search_meetings_upd AFTER UPDATE OF published_at, locked_at, meeting_date ON meetings
BEGIN
    INSERT OR IGNORE INTO search_pending (kind, object_id) SELECT 'agenda', id FROM agenda_items WHERE meeting_id = NEW.id;
    INSERT OR IGNORE INTO search_pending (kind, object_id) SELECT 'paragraph', id FROM paragraphs WHERE meeting_id = NEW.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER search_meetings_upd;
DROP TRIGGER search_invoices_ins;
DROP TRIGGER search_assignments_upd;
DROP TRIGGER search_assignments_ins;
DROP TRIGGER search_agenda_del;
DROP TRIGGER search_agenda_upd;
DROP TRIGGER search_agenda_ins;
DROP TRIGGER search_motions_del;
DROP TRIGGER search_motions_upd;
DROP TRIGGER search_motions_ins;
DROP TRIGGER search_paragraphs_del;
DROP TRIGGER search_paragraphs_upd;
DROP TRIGGER search_paragraphs_ins;
DROP TRIGGER search_documents_ins;
DROP TRIGGER search_cases_upd;
DROP TRIGGER search_cases_ins;
DROP TABLE search_pending;
DROP TABLE search_entries;
