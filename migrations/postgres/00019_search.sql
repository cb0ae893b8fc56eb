-- Search: one full-text index over what the secretariat and the members look
-- for (cases, paragraphs, agenda items, assignments, case documents with the
-- text read from their files, invoices), kept up to date in the transaction
-- of each change.
--
-- search_entries keeps each object's title and body with a tsvector made
-- with the Swedish configuration (title weighted A, body B) and a GIN index
-- over it; the rest serves the filters, the access check and the link. Its
-- id is the object's id times 8 plus the kind's code
-- (store/internal/search).
--
-- The triggers below only note which objects changed in search_pending; the
-- store rewrites their entries from Go before the transaction commits (the
-- document text is read from the file there), and `gns reindex` rebuilds
-- the whole index. This migration leaves the index empty: Migrate runs the
-- reindex after it.

-- +goose Up
CREATE TABLE search_entries (
    id           BIGINT PRIMARY KEY,
    kind         TEXT NOT NULL,
    object_id    BIGINT NOT NULL,
    committee_id BIGINT NOT NULL,
    year         INTEGER NOT NULL,
    audience     TEXT NOT NULL,
    party_id     BIGINT NOT NULL DEFAULT 0,
    ref          TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    tsv          TSVECTOR NOT NULL
);
CREATE INDEX search_entries_tsv ON search_entries USING GIN (tsv);

CREATE TABLE search_pending (
    kind      TEXT NOT NULL,
    object_id BIGINT NOT NULL,
    PRIMARY KEY (kind, object_id)
);

-- +goose StatementBegin
CREATE FUNCTION search_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_pending (kind, object_id) VALUES (TG_ARGV[0], OLD.id) ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO search_pending (kind, object_id) VALUES (TG_ARGV[0], NEW.id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION search_mark_motion() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_pending (kind, object_id) VALUES ('paragraph', OLD.paragraph_id) ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO search_pending (kind, object_id) VALUES ('paragraph', NEW.paragraph_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- Who may read a meeting's agenda items and paragraphs changes when its
-- kallelse is published and when its minutes are locked.
-- +goose StatementBegin
CREATE FUNCTION search_mark_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_pending (kind, object_id) SELECT 'agenda', id FROM agenda_items WHERE meeting_id = NEW.id ON CONFLICT DO NOTHING;
    INSERT INTO search_pending (kind, object_id) SELECT 'paragraph', id FROM paragraphs WHERE meeting_id = NEW.id ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER search_cases AFTER INSERT OR UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION search_mark('case');
CREATE TRIGGER search_documents AFTER INSERT ON case_documents FOR EACH ROW EXECUTE FUNCTION search_mark('document');
CREATE TRIGGER search_paragraphs AFTER INSERT OR UPDATE OR DELETE ON paragraphs FOR EACH ROW EXECUTE FUNCTION search_mark('paragraph');
CREATE TRIGGER search_motions AFTER INSERT OR UPDATE OR DELETE ON motions FOR EACH ROW EXECUTE FUNCTION search_mark_motion();
CREATE TRIGGER search_agenda AFTER INSERT OR UPDATE OR DELETE ON agenda_items FOR EACH ROW EXECUTE FUNCTION search_mark('agenda');
CREATE TRIGGER search_assignments AFTER INSERT OR UPDATE ON assignments FOR EACH ROW EXECUTE FUNCTION search_mark('assignment');
CREATE TRIGGER search_invoices AFTER INSERT ON invoices FOR EACH ROW EXECUTE FUNCTION search_mark('invoice');
CREATE TRIGGER search_meetings AFTER UPDATE OF published_at, locked_at, meeting_date ON meetings FOR EACH ROW
    WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.locked_at IS DISTINCT FROM NEW.locked_at
          OR OLD.meeting_date IS DISTINCT FROM NEW.meeting_date)
    EXECUTE FUNCTION search_mark_meeting();

-- +goose Down
DROP TRIGGER search_meetings ON meetings;
DROP TRIGGER search_invoices ON invoices;
DROP TRIGGER search_assignments ON assignments;
DROP TRIGGER search_agenda ON agenda_items;
DROP TRIGGER search_motions ON motions;
DROP TRIGGER search_paragraphs ON paragraphs;
DROP TRIGGER search_documents ON case_documents;
DROP TRIGGER search_cases ON cases;
DROP FUNCTION search_mark_meeting();
DROP FUNCTION search_mark_motion();
DROP FUNCTION search_mark();
DROP TABLE search_pending;
DROP TABLE search_entries;
