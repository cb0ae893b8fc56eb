-- Committees (gemensamma nämnder), their parties and the parties' memberships.
-- Dates are ISO text (YYYY-MM-DD); timestamps are bound from Go in UTC.

-- +goose Up
CREATE TABLE parties (
    id                INTEGER PRIMARY KEY,
    slug              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('kommun', 'region')),
    org_number        TEXT NOT NULL DEFAULT '',
    municipality_code TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMP NOT NULL
);

CREATE TABLE committees (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    started_on    TEXT NOT NULL,
    host_party_id INTEGER REFERENCES parties (id),
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE committee_parties (
    id           INTEGER PRIMARY KEY,
    committee_id INTEGER NOT NULL REFERENCES committees (id),
    party_id     INTEGER NOT NULL REFERENCES parties (id),
    position     INTEGER NOT NULL CHECK (position >= 1),
    member_from  TEXT NOT NULL,
    member_to    TEXT,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (committee_id, party_id, member_from),
    CHECK (member_to IS NULL OR member_to >= member_from)
);

CREATE INDEX committee_parties_party ON committee_parties (party_id);

-- +goose Down
DROP TABLE committee_parties;
DROP TABLE committees;
DROP TABLE parties;
