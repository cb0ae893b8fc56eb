-- Allocations: splits of money between a committee's parties, each tied to the
-- case and decision behind it, with every share's amount (integer öre), exact
-- quota, weight and the figure the weight came from. An allocation is never
-- changed: a correction is a new allocation that supersedes it. Triggers refuse
-- any other change.

-- +goose Up
CREATE TABLE allocations (
    id             INTEGER PRIMARY KEY,
    committee_id   INTEGER NOT NULL REFERENCES committees (id),
    kind           TEXT NOT NULL CHECK (kind IN ('base_funding', 'project', 'direct', 'refund')),
    title          TEXT NOT NULL,
    method         TEXT NOT NULL CHECK (method IN ('equal', 'population', 'percent', 'direct')),
    unit           TEXT NOT NULL CHECK (unit IN ('ore', 'krona')),
    total_ore      BIGINT NOT NULL CHECK (total_ore <> 0),
    host_share     TEXT,
    reference_date TEXT,
    budget_year    INTEGER,
    cost_object    TEXT NOT NULL DEFAULT '',
    case_id        INTEGER REFERENCES cases (id),
    decision       TEXT NOT NULL DEFAULT '',
    stated_share_ore BIGINT,
    supersedes_id  INTEGER UNIQUE REFERENCES allocations (id),
    superseded_by  INTEGER REFERENCES allocations (id),
    created_at     TIMESTAMP NOT NULL,
    created_by     TEXT NOT NULL
);
CREATE INDEX allocations_committee ON allocations (committee_id, id);
CREATE INDEX allocations_case ON allocations (case_id);

CREATE TABLE allocation_shares (
    id                INTEGER PRIMARY KEY,
    allocation_id     INTEGER NOT NULL REFERENCES allocations (id),
    party_id          INTEGER NOT NULL REFERENCES parties (id),
    position          INTEGER NOT NULL,
    host              BOOLEAN NOT NULL,
    amount_ore        BIGINT NOT NULL,
    quota             TEXT NOT NULL,
    weight            TEXT NOT NULL,
    weight_kind       TEXT NOT NULL,
    population        BIGINT,
    population_date   TEXT,
    population_source TEXT NOT NULL DEFAULT '',
    residue           BOOLEAN NOT NULL,
    UNIQUE (allocation_id, party_id)
);
CREATE INDEX allocation_shares_party ON allocation_shares (party_id, allocation_id);

-- Saved allocations change in one way only: being superseded, once.
-- +goose StatementBegin
CREATE TRIGGER allocations_immutable BEFORE UPDATE ON allocations
WHEN OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.committee_id IS NOT OLD.committee_id OR NEW.kind IS NOT OLD.kind
  OR NEW.title IS NOT OLD.title OR NEW.method IS NOT OLD.method OR NEW.unit IS NOT OLD.unit
  OR NEW.total_ore IS NOT OLD.total_ore OR NEW.host_share IS NOT OLD.host_share
  OR NEW.reference_date IS NOT OLD.reference_date OR NEW.budget_year IS NOT OLD.budget_year
  OR NEW.cost_object IS NOT OLD.cost_object OR NEW.case_id IS NOT OLD.case_id
  OR NEW.decision IS NOT OLD.decision OR NEW.stated_share_ore IS NOT OLD.stated_share_ore
  OR NEW.supersedes_id IS NOT OLD.supersedes_id OR NEW.created_at IS NOT OLD.created_at
  OR NEW.created_by IS NOT OLD.created_by
BEGIN
    SELECT RAISE(ABORT, 'a saved allocation is immutable: supersede it with a new one');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER allocations_no_delete BEFORE DELETE ON allocations
BEGIN
    SELECT RAISE(ABORT, 'a saved allocation is never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER allocation_shares_no_update BEFORE UPDATE ON allocation_shares
BEGIN
    SELECT RAISE(ABORT, 'a saved allocation is immutable');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER allocation_shares_no_delete BEFORE DELETE ON allocation_shares
BEGIN
    SELECT RAISE(ABORT, 'a saved allocation is immutable');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER allocation_shares_no_delete;
DROP TRIGGER allocation_shares_no_update;
DROP TRIGGER allocations_no_delete;
DROP TRIGGER allocations_immutable;
DROP TABLE allocation_shares;
DROP TABLE allocations;
