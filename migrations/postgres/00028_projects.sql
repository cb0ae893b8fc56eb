-- Projects (samverkansprojekt, issue 17): a project of the committee with its
-- case, its cost objects in the host's ledger, its key (an allocation method
-- with its population reference date or fixed percentages), the parties
-- taking part with the dates they joined and left, a budget per year and
-- report row, its funding (the parties' contributions, external grants such
-- as ERUF with their decision, each party's own co-financing), the
-- allocations that invoiced it in advance, and its settlements.
--
-- Money is integer öre. History is never deleted: a budget line is revised by
-- a newer line for the same year and row, a participant's leaving is a date,
-- and a settlement with its shares never changes (triggers).

-- +goose Up
CREATE TABLE projects (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id    BIGINT NOT NULL REFERENCES committees (id),
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    case_id         BIGINT REFERENCES cases (id),
    -- the key: equal, population (at population_date, with an optional host
    -- share in percent) or percent (each participant's key_percent,
    -- renormalised over the parties taking part in a month)
    method          TEXT NOT NULL CHECK (method IN ('equal', 'population', 'percent')),
    host_share      TEXT,
    population_date DATE,
    decision        TEXT NOT NULL DEFAULT '',
    closed_on       DATE,
    created_at      TIMESTAMPTZ NOT NULL,
    created_by      TEXT NOT NULL,
    UNIQUE (committee_id, name),
    CHECK ((method = 'population') = (population_date IS NOT NULL))
);

CREATE TABLE project_objects (
    project_id BIGINT NOT NULL REFERENCES projects (id),
    dimension  INTEGER NOT NULL CHECK (dimension > 0),
    object     TEXT NOT NULL CHECK (object <> ''),
    name       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, dimension, object)
);

CREATE TABLE project_participants (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  BIGINT NOT NULL REFERENCES projects (id),
    party_id    BIGINT NOT NULL REFERENCES parties (id),
    joined_on   DATE NOT NULL,
    left_on     DATE,
    key_percent TEXT,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT NOT NULL,
    CHECK (left_on IS NULL OR left_on >= joined_on)
);
CREATE INDEX project_participants_project ON project_participants (project_id, joined_on);
CREATE INDEX project_participants_party ON project_participants (party_id);

-- project_budget_lines: the latest line (highest id) of a year and row is in
-- force; earlier ones stay as history. Amounts in the report's signs
-- (revenue positive, costs negative).
CREATE TABLE project_budget_lines (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    year       INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
    row_id     BIGINT NOT NULL REFERENCES report_rows (id),
    amount_ore BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX project_budget_lines_project ON project_budget_lines (project_id, year, row_id, id);

CREATE TABLE project_funding (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id),
    year       INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
    kind       TEXT NOT NULL CHECK (kind IN ('contribution', 'grant', 'cofinancing')),
    party_id   BIGINT REFERENCES parties (id),
    funder     TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL CHECK (status IN ('planned', 'applied', 'granted', 'refused', 'not_applied')),
    decision   TEXT NOT NULL DEFAULT '',
    amount_ore BIGINT NOT NULL CHECK (amount_ore >= 0),
    note       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    CHECK ((kind = 'grant') = (party_id IS NULL))
);
CREATE INDEX project_funding_project ON project_funding (project_id, year);

CREATE TABLE project_settlements (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id   BIGINT NOT NULL REFERENCES projects (id),
    year         INTEGER NOT NULL,
    from_month   INTEGER NOT NULL CHECK (from_month BETWEEN 1 AND 12),
    to_month     INTEGER NOT NULL CHECK (to_month BETWEEN 1 AND 12),
    kind         TEXT NOT NULL CHECK (kind IN ('year', 'close')),
    cost_ore     BIGINT NOT NULL,
    external_ore BIGINT NOT NULL,
    net_ore      BIGINT NOT NULL,
    months       INTEGER NOT NULL,
    decision     TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    created_by   TEXT NOT NULL,
    UNIQUE (project_id, year),
    CHECK (from_month <= to_month)
);

CREATE TABLE project_settlement_shares (
    settlement_id  BIGINT NOT NULL REFERENCES project_settlements (id),
    party_id       BIGINT NOT NULL REFERENCES parties (id),
    position       INTEGER NOT NULL,
    months         INTEGER NOT NULL,
    weight         TEXT NOT NULL,
    quota          TEXT NOT NULL,
    share_ore      BIGINT NOT NULL,
    advance_ore    BIGINT NOT NULL,
    difference_ore BIGINT NOT NULL,
    residue        BOOLEAN NOT NULL,
    PRIMARY KEY (settlement_id, party_id)
);

-- project_allocations: the allocations that invoice the project, in advance
-- for a year or as the differences of a settlement.
CREATE TABLE project_allocations (
    project_id    BIGINT NOT NULL REFERENCES projects (id),
    allocation_id BIGINT NOT NULL UNIQUE REFERENCES allocations (id),
    year          INTEGER NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('advance', 'settlement')),
    settlement_id BIGINT REFERENCES project_settlements (id),
    created_at    TIMESTAMPTZ NOT NULL,
    created_by    TEXT NOT NULL,
    CHECK ((role = 'settlement') = (settlement_id IS NOT NULL))
);
CREATE INDEX project_allocations_project ON project_allocations (project_id, year);

CREATE TRIGGER project_settlements_no_change BEFORE UPDATE OR DELETE ON project_settlements
    FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_change();
CREATE TRIGGER project_settlement_shares_no_change BEFORE UPDATE OR DELETE ON project_settlement_shares
    FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_change();
CREATE TRIGGER project_allocations_no_change BEFORE UPDATE OR DELETE ON project_allocations
    FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_change();
CREATE TRIGGER project_budget_lines_no_change BEFORE UPDATE OR DELETE ON project_budget_lines
    FOR EACH ROW EXECUTE FUNCTION invoicing_refuse_change();

-- +goose Down
DROP TRIGGER project_budget_lines_no_change ON project_budget_lines;
DROP TRIGGER project_allocations_no_change ON project_allocations;
DROP TRIGGER project_settlement_shares_no_change ON project_settlement_shares;
DROP TRIGGER project_settlements_no_change ON project_settlements;
DROP TABLE project_allocations;
DROP TABLE project_settlement_shares;
DROP TABLE project_settlements;
DROP TABLE project_funding;
DROP TABLE project_budget_lines;
DROP TABLE project_participants;
DROP TABLE project_objects;
DROP TABLE projects;
