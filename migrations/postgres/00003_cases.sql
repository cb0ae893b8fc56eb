-- Cases (ärenden): the committee's register, with documents, links between
-- cases and a timeline. A case is never deleted, and documents and timeline
-- entries are never changed or removed; triggers enforce it.
--
-- case_counters holds, per committee and year, the highest running number in
-- use. Registration raises it by one with an upsert in the transaction that
-- stores the case, so numbers are gap-free and never shared; importing a
-- case from an older register with its own number raises it to at least that
-- number, so GNS never hands out a number that is taken.

-- +goose Up
CREATE TABLE case_counters (
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    year         INTEGER NOT NULL,
    last_seq     INTEGER NOT NULL CHECK (last_seq >= 1),
    PRIMARY KEY (committee_id, year)
);

CREATE TABLE cases (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id    BIGINT NOT NULL REFERENCES committees (id),
    year            INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    -- title and description folded by domain.FoldSwedish, for LIKE searches
    search_text     TEXT NOT NULL,
    handler_user_id BIGINT REFERENCES users (id),
    status          TEXT NOT NULL CHECK (status IN ('registered', 'in_preparation', 'on_agenda', 'decided', 'closed')),
    registered_on   DATE,
    imported        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    closed_at       TIMESTAMPTZ,
    UNIQUE (committee_id, year, seq),
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
-- The list pages by number, newest first, within one committee: the unique
-- index serves the plain list and the year filter; these serve the status and
-- handler filters without reading past the page.
CREATE INDEX cases_status ON cases (committee_id, status, year, seq);
CREATE INDEX cases_handler ON cases (committee_id, handler_user_id, year, seq);

CREATE TABLE case_documents (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id           BIGINT NOT NULL REFERENCES cases (id),
    kind              TEXT NOT NULL CHECK (kind IN ('officer_report', 'decision_basis', 'attachment')),
    title             TEXT NOT NULL,
    file_name         TEXT NOT NULL,
    content_type      TEXT NOT NULL,
    size              BIGINT NOT NULL CHECK (size > 0),
    sha256            TEXT NOT NULL,
    content           BYTEA NOT NULL,
    uploaded_by       BIGINT REFERENCES users (id),
    uploaded_by_label TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_documents_case ON case_documents (case_id, id);

-- A link between two cases is one row, the lower id first.
CREATE TABLE case_links (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id        BIGINT NOT NULL REFERENCES cases (id),
    linked_case_id BIGINT NOT NULL REFERENCES cases (id),
    created_at     TIMESTAMPTZ NOT NULL,
    CHECK (case_id < linked_case_id),
    UNIQUE (case_id, linked_case_id)
);
CREATE INDEX case_links_linked ON case_links (linked_case_id);

-- The timeline. kind is checked in Go: later parts add meeting and decision
-- events.
CREATE TABLE case_events (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id         BIGINT NOT NULL REFERENCES cases (id),
    at              TIMESTAMPTZ NOT NULL,
    actor_user_id   BIGINT REFERENCES users (id),
    actor           TEXT NOT NULL,
    kind            TEXT NOT NULL,
    from_status     TEXT,
    to_status       TEXT,
    document_id     BIGINT REFERENCES case_documents (id),
    related_case_id BIGINT REFERENCES cases (id),
    note            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events (case_id, at, id);

-- +goose StatementBegin
CREATE FUNCTION cases_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % is not allowed: the case register keeps its history', TG_OP, TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_refuse_change();
CREATE TRIGGER cases_no_truncate BEFORE TRUNCATE ON cases
    FOR EACH STATEMENT EXECUTE FUNCTION cases_refuse_change();
CREATE TRIGGER case_documents_no_change BEFORE UPDATE OR DELETE ON case_documents
    FOR EACH ROW EXECUTE FUNCTION cases_refuse_change();
CREATE TRIGGER case_documents_no_truncate BEFORE TRUNCATE ON case_documents
    FOR EACH STATEMENT EXECUTE FUNCTION cases_refuse_change();
CREATE TRIGGER case_events_no_change BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION cases_refuse_change();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION cases_refuse_change();

-- +goose Down
DROP TRIGGER case_events_no_truncate ON case_events;
DROP TRIGGER case_events_no_change ON case_events;
DROP TRIGGER case_documents_no_truncate ON case_documents;
DROP TRIGGER case_documents_no_change ON case_documents;
DROP TRIGGER cases_no_truncate ON cases;
DROP TRIGGER cases_no_delete ON cases;
DROP FUNCTION cases_refuse_change();
DROP TABLE case_events;
DROP TABLE case_links;
DROP TABLE case_documents;
DROP TABLE cases;
DROP TABLE case_counters;
