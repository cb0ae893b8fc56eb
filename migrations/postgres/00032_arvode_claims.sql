-- The members' claims for a justerat meeting, the arvode basis beside the
-- attendance: förlorad arbetsinkomst in hours (hundredths), a journey in km
-- (tenths) from a place, or another cost in öre with its receipt. The
-- secretariat attests a claim; an attested claim never changes, and no claim
-- is ever deleted (a submitted one is withdrawn, and kept).

-- +goose Up
CREATE TABLE arvode_claims (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id       BIGINT NOT NULL REFERENCES committees (id),
    meeting_id         BIGINT NOT NULL REFERENCES meetings (id),
    member_id          BIGINT NOT NULL REFERENCES committee_members (id),
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
    receipt            BYTEA,
    status             TEXT NOT NULL CHECK (status IN ('inlamnad', 'attesterad', 'aterkallad')),
    created_by         BIGINT REFERENCES users (id),
    created_by_label   TEXT NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    attested_by        BIGINT REFERENCES users (id),
    attested_by_label  TEXT NOT NULL DEFAULT '',
    attested_at        TIMESTAMPTZ,
    withdrawn_by_label TEXT NOT NULL DEFAULT '',
    withdrawn_at       TIMESTAMPTZ
);
CREATE INDEX arvode_claims_meeting ON arvode_claims (meeting_id, member_id, id);
CREATE INDEX arvode_claims_member ON arvode_claims (member_id, id);
-- +goose StatementBegin
CREATE FUNCTION arvode_claims_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'claims are kept, never deleted';
    END IF;
    IF OLD.status <> 'inlamnad' THEN
        RAISE EXCEPTION 'the claim is attested or withdrawn and cannot change';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER arvode_claims_final BEFORE UPDATE OR DELETE ON arvode_claims
    FOR EACH ROW EXECUTE FUNCTION arvode_claims_final();

-- +goose Down
DROP TRIGGER arvode_claims_final ON arvode_claims;
DROP FUNCTION arvode_claims_final();
DROP TABLE arvode_claims;
