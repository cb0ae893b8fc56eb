-- Services billed to one party and the yearly funding cycle (issue 17).
--
-- services: a service the committee bills to one party, with the decision
-- that allows it: billed from the ledger (kind 'ledger', the costs booked on
-- its cost object in the host's ledger, e.g. serverdrift on Objekt 6663 for
-- Åre kommun) or staff time (kind 'time', days or hours × a rate, e.g. the
-- e-strateg's days for Bräcke kommun until 2020-06-26). A service is never
-- deleted; ending it sets ended_on.
--
-- service_bills: one billing of a service for a period of months, with what
-- made its amount (the ledger's costs and what earlier bills inside the
-- period had billed, or the quantity × the rate), and the direct allocation
-- it became, which the ordinary invoicing issues. Bills never change.
--
-- allocation_periods: the period an allocation's invoices concern when it is
-- not the whole budget year (a service bill of January–August). A row is
-- written with its allocation and never changes.
--
-- funding_indexations: the committee's decision on the base contribution of
-- a year (uppräkning): the previous year's × (1 + the index it names), or
-- unchanged; with the paragraph (or decision text) and the amounts it gave.
-- A new decision for the same year is a new version; the latest is in force.

-- +goose Up
CREATE TABLE services (
    id            INTEGER PRIMARY KEY,
    committee_id  INTEGER NOT NULL REFERENCES committees (id),
    kind          TEXT NOT NULL CHECK (kind IN ('ledger', 'time')),
    name          TEXT NOT NULL,
    party_id      INTEGER NOT NULL REFERENCES parties (id),
    cost_object   TEXT NOT NULL DEFAULT '',
    unit          TEXT NOT NULL DEFAULT '' CHECK (unit IN ('', 'day', 'hour')),
    rate_ore      BIGINT,
    decision      TEXT NOT NULL,
    paragraph_id  INTEGER REFERENCES paragraphs (id),
    case_id       INTEGER REFERENCES cases (id),
    description   TEXT NOT NULL DEFAULT '',
    starts_on     TEXT,
    ends_on       TEXT,
    created_at    TIMESTAMP NOT NULL,
    created_by    TEXT NOT NULL,
    CHECK (kind <> 'ledger' OR cost_object <> ''),
    CHECK (kind <> 'time' OR (unit <> '' AND rate_ore > 0))
);
CREATE INDEX services_committee ON services (committee_id, id);

CREATE TABLE service_bills (
    id             INTEGER PRIMARY KEY,
    service_id     INTEGER NOT NULL REFERENCES services (id),
    period_from    INTEGER NOT NULL,
    period_to      INTEGER NOT NULL CHECK (period_to >= period_from),
    costs_ore      BIGINT NOT NULL DEFAULT 0,
    earlier_ore    BIGINT NOT NULL DEFAULT 0,
    quantity       TEXT NOT NULL DEFAULT '',
    amount_ore     BIGINT NOT NULL CHECK (amount_ore <> 0),
    note           TEXT NOT NULL DEFAULT '',
    allocation_id  INTEGER NOT NULL UNIQUE REFERENCES allocations (id),
    created_at     TIMESTAMP NOT NULL,
    created_by     TEXT NOT NULL
);
CREATE INDEX service_bills_service ON service_bills (service_id, period_from);

CREATE TABLE allocation_periods (
    allocation_id INTEGER PRIMARY KEY REFERENCES allocations (id),
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL CHECK (period_end >= period_start)
);

CREATE TABLE funding_indexations (
    id               INTEGER PRIMARY KEY,
    committee_id     INTEGER NOT NULL REFERENCES committees (id),
    year             INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
    version          INTEGER NOT NULL CHECK (version >= 1),
    rule             TEXT NOT NULL CHECK (rule IN ('index', 'unchanged')),
    index_name       TEXT NOT NULL DEFAULT '',
    index_percent    TEXT NOT NULL DEFAULT '',
    previous_ore     BIGINT NOT NULL CHECK (previous_ore >= 0),
    base_ore         BIGINT NOT NULL CHECK (base_ore >= 0),
    decision         TEXT NOT NULL,
    paragraph_id     INTEGER REFERENCES paragraphs (id),
    note             TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    created_by       TEXT NOT NULL,
    UNIQUE (committee_id, year, version)
);

-- +goose StatementBegin
CREATE TRIGGER service_bills_immutable BEFORE UPDATE ON service_bills
BEGIN
    SELECT RAISE(ABORT, 'a service bill never changes');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER service_bills_kept BEFORE DELETE ON service_bills
BEGIN
    SELECT RAISE(ABORT, 'a service bill is never deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER allocation_periods_immutable BEFORE UPDATE ON allocation_periods
BEGIN
    SELECT RAISE(ABORT, 'an allocation''s period never changes');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER funding_indexations_immutable BEFORE UPDATE ON funding_indexations
BEGIN
    SELECT RAISE(ABORT, 'an indexation decision never changes: record a new version');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER funding_indexations_immutable;
DROP TRIGGER allocation_periods_immutable;
DROP TRIGGER service_bills_kept;
DROP TRIGGER service_bills_immutable;
DROP TABLE funding_indexations;
DROP TABLE allocation_periods;
DROP TABLE service_bills;
DROP TABLE services;
