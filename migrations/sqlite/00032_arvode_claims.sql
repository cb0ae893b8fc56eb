-- The members' claims for a justerat meeting, the arvode basis beside the
-- attendance: förlorad arbetsinkomst in hours (hundredths), a journey in km
-- (tenths) from a place, or another cost in öre with its receipt. The
-- secretariat attests a claim; an attested claim never changes, and no claim
-- is ever deleted (a submitted one is withdrawn, and kept).

-- +goose Up
CREATE TABLE arvode_claims (
    id                 INTEGER PRIMARY KEY,
    committee_id       INTEGER NOT NULL REFERENCES committees (id),
    meeting_id         INTEGER NOT NULL REFERENCES meetings (id),
    member_id          INTEGER NOT NULL REFERENCES committee_members (id),
    kind               TEXT NOT NULL CHECK (kind IN ('arbetsinkomst', 'resa', 'utlagg')),
    hours_hundredths   BIGINT NOT NULL DEFAULT 0 CHECK (hours_hundredths >= 0),
    km_tenths          BIGINT NOT NULL DEFAULT 0 CHECK (km_tenths >= 0),
    travel_from        TEXT NOT NULL DEFAULT '',
    amount_ore         BIGINT NOT NULL DEFAULT 0 CHECK (amount_ore >= 0),
    description        TEXT NOT NULL DEFAULT '',
    receipt_name       TEXT NOT NULL DEFAULT '',
    receipt_type       TEXT NOT NULL DEFAULT '',
    receipt_size       BIGINT NOT NULL DEFAULT 0,
    receipt_sha256     TEXT NOT NULL DEFAULT '',
    receipt            BLOB,
    status             TEXT NOT NULL CHECK (status IN ('inlamnad', 'attesterad', 'aterkallad')),
    created_by         INTEGER REFERENCES users (id),
    created_by_label   TEXT NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    attested_by        INTEGER REFERENCES users (id),
    attested_by_label  TEXT NOT NULL DEFAULT '',
    attested_at        TIMESTAMP,
    withdrawn_by_label TEXT NOT NULL DEFAULT '',
    withdrawn_at       TIMESTAMP
);
CREATE INDEX arvode_claims_meeting ON arvode_claims (meeting_id, member_id, id);
CREATE INDEX arvode_claims_member ON arvode_claims (member_id, id);
-- +goose StatementBegin
CREATE TRIGGER arvode_claims_attested BEFORE UPDATE ON arvode_claims
WHEN OLD.status <> 'inlamnad'
BEGIN
    SELECT RAISE(ABORT, 'the claim is attested or withdrawn and cannot change');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER arvode_claims_kept BEFORE DELETE ON arvode_claims
BEGIN
    SELECT RAISE(ABORT, 'claims are kept, never deleted');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER arvode_claims_kept;
DROP TRIGGER arvode_claims_attested;
DROP TABLE arvode_claims;
