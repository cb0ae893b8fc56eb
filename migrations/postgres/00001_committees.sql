-- Committees (gemensamma nämnder), their parties and the parties' memberships.
-- Timestamps are bound from Go in UTC.

-- +goose Up
CREATE TABLE parties (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('kommun', 'region')),
    org_number        TEXT NOT NULL DEFAULT '',
    municipality_code TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE committees (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    started_on    DATE NOT NULL,
    host_party_id BIGINT REFERENCES parties (id),
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE committee_parties (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    party_id     BIGINT NOT NULL REFERENCES parties (id),
    position     INTEGER NOT NULL CHECK (position >= 1),
    member_from  DATE NOT NULL,
    member_to    DATE,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (committee_id, party_id, member_from),
    CHECK (member_to IS NULL OR member_to >= member_from)
);

CREATE INDEX committee_parties_party ON committee_parties (party_id);

-- +goose Down
DROP TABLE committee_parties;
DROP TABLE committees;
DROP TABLE parties;
