-- The registry: the parties' invoice and contact details, population figures
-- with their history, the committees' members, and the governing documents
-- (reglemente, samarbetsöverenskommelse) in numbered versions.
--
-- Nothing here is deleted. A population figure is corrected by a new row that
-- supersedes the old one, which keeps its value; a member leaves by the end of
-- the term; a membership by its end date; a governing document by a newer
-- version. Triggers enforce it.

-- +goose Up
ALTER TABLE parties ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE parties ADD COLUMN invoice_reference TEXT NOT NULL DEFAULT '';
ALTER TABLE parties ADD COLUMN peppol_id TEXT NOT NULL DEFAULT '';
ALTER TABLE parties ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE parties ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE parties ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
-- Organisation numbers and kommunkoder identify one party each, when known.
CREATE UNIQUE INDEX parties_org_number ON parties (org_number) WHERE org_number <> '';
CREATE UNIQUE INDEX parties_municipality_code ON parties (municipality_code) WHERE municipality_code <> '';

CREATE TABLE populations (
    id                INTEGER PRIMARY KEY,
    party_id          INTEGER NOT NULL REFERENCES parties (id),
    reference_date    TEXT NOT NULL,
    inhabitants       BIGINT NOT NULL CHECK (inhabitants > 0),
    source            TEXT NOT NULL,
    recorded_at       TIMESTAMP NOT NULL,
    recorded_by       INTEGER REFERENCES users (id),
    recorded_by_label TEXT NOT NULL,
    -- why this row replaced an earlier one; '' for a first figure
    correction_reason TEXT NOT NULL DEFAULT '',
    -- set when a correction replaced this row
    corrected_at      TIMESTAMP,
    superseded_by     INTEGER REFERENCES populations (id)
);
-- One figure in force per party and reference date.
CREATE UNIQUE INDEX populations_current ON populations (party_id, reference_date) WHERE corrected_at IS NULL;
CREATE INDEX populations_date ON populations (reference_date, party_id);

CREATE TABLE committee_members (
    id              INTEGER PRIMARY KEY,
    committee_id    INTEGER NOT NULL REFERENCES committees (id),
    name            TEXT NOT NULL,
    political_party TEXT NOT NULL,
    appointed_by    INTEGER REFERENCES parties (id),
    role            TEXT NOT NULL CHECK (role IN ('ordforande', 'vice_ordforande', 'ledamot', 'ersattare')),
    term_from       TEXT NOT NULL,
    term_to         TEXT,
    user_id         INTEGER REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    CHECK (term_to IS NULL OR term_to >= term_from)
);
CREATE INDEX committee_members_committee ON committee_members (committee_id, term_from);
CREATE INDEX committee_members_user ON committee_members (user_id);

CREATE TABLE committee_documents (
    id                 INTEGER PRIMARY KEY,
    committee_id       INTEGER NOT NULL REFERENCES committees (id),
    kind               TEXT NOT NULL CHECK (kind IN ('reglemente', 'samarbetsoverenskommelse')),
    version            INTEGER NOT NULL CHECK (version >= 1),
    title              TEXT NOT NULL,
    decision_reference TEXT NOT NULL,
    decided_on         TEXT NOT NULL,
    valid_from         TEXT,
    file_name          TEXT NOT NULL,
    content_type       TEXT NOT NULL,
    size               BIGINT NOT NULL CHECK (size > 0),
    sha256             TEXT NOT NULL,
    content            BLOB NOT NULL,
    uploaded_by        INTEGER REFERENCES users (id),
    uploaded_by_label  TEXT NOT NULL,
    uploaded_at        TIMESTAMP NOT NULL,
    UNIQUE (committee_id, kind, version)
);

-- A figure is never changed or deleted; a correction marks it corrected
-- (corrected_at, then superseded_by, each once) and adds a new row.
-- +goose StatementBegin
CREATE TRIGGER populations_no_change BEFORE UPDATE ON populations
WHEN OLD.superseded_by IS NOT NULL
  OR (OLD.corrected_at IS NOT NULL AND NEW.corrected_at IS NOT OLD.corrected_at)
  OR NEW.party_id <> OLD.party_id OR NEW.reference_date <> OLD.reference_date
  OR NEW.inhabitants <> OLD.inhabitants OR NEW.source <> OLD.source
  OR NEW.recorded_at <> OLD.recorded_at OR NEW.recorded_by IS NOT OLD.recorded_by
  OR NEW.recorded_by_label <> OLD.recorded_by_label OR NEW.correction_reason <> OLD.correction_reason
BEGIN
    SELECT RAISE(ABORT, 'population figures are never changed: record a correction');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER populations_no_delete BEFORE DELETE ON populations
BEGIN
    SELECT RAISE(ABORT, 'population figures are never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER committee_documents_no_update BEFORE UPDATE ON committee_documents
BEGIN
    SELECT RAISE(ABORT, 'governing documents are never changed: add a version');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER committee_documents_no_delete BEFORE DELETE ON committee_documents
BEGIN
    SELECT RAISE(ABORT, 'governing documents are never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER committee_members_no_delete BEFORE DELETE ON committee_members
BEGIN
    SELECT RAISE(ABORT, 'members are never deleted: end the term');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER committee_parties_no_delete BEFORE DELETE ON committee_parties
BEGIN
    SELECT RAISE(ABORT, 'memberships are never deleted: end the membership');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER committee_parties_no_delete;
DROP TRIGGER committee_members_no_delete;
DROP TRIGGER committee_documents_no_delete;
DROP TRIGGER committee_documents_no_update;
DROP TRIGGER populations_no_delete;
DROP TRIGGER populations_no_change;
DROP TABLE committee_documents;
DROP TABLE committee_members;
DROP TABLE populations;
DROP INDEX parties_municipality_code;
DROP INDEX parties_org_number;
ALTER TABLE parties DROP COLUMN contact_phone;
ALTER TABLE parties DROP COLUMN contact_email;
ALTER TABLE parties DROP COLUMN contact_name;
ALTER TABLE parties DROP COLUMN peppol_id;
ALTER TABLE parties DROP COLUMN invoice_reference;
ALTER TABLE parties DROP COLUMN address;
