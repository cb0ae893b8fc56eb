-- Allocations: splits of money between a committee's parties, each tied to the
-- case and decision behind it, with every share's amount (integer öre), exact
-- quota, weight and the figure the weight came from. An allocation is never
-- changed: a correction is a new allocation that supersedes it. Triggers refuse
-- any other change.

-- +goose Up
CREATE TABLE allocations (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    committee_id   BIGINT NOT NULL REFERENCES committees (id),
    kind           TEXT NOT NULL CHECK (kind IN ('base_funding', 'project', 'direct', 'refund')),
    title          TEXT NOT NULL,
    method         TEXT NOT NULL CHECK (method IN ('equal', 'population', 'percent', 'direct')),
    unit           TEXT NOT NULL CHECK (unit IN ('ore', 'krona')),
    total_ore      BIGINT NOT NULL CHECK (total_ore <> 0),
    host_share     TEXT,
    reference_date DATE,
    budget_year    INTEGER,
    cost_object    TEXT NOT NULL DEFAULT '',
    case_id        BIGINT REFERENCES cases (id),
    decision       TEXT NOT NULL DEFAULT '',
    stated_share_ore BIGINT,
    supersedes_id  BIGINT UNIQUE REFERENCES allocations (id),
    superseded_by  BIGINT REFERENCES allocations (id),
    created_at     TIMESTAMPTZ NOT NULL,
    created_by     TEXT NOT NULL
);
CREATE INDEX allocations_committee ON allocations (committee_id, id);
CREATE INDEX allocations_case ON allocations (case_id);

CREATE TABLE allocation_shares (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    allocation_id     BIGINT NOT NULL REFERENCES allocations (id),
    party_id          BIGINT NOT NULL REFERENCES parties (id),
    position          INTEGER NOT NULL,
    host              BOOLEAN NOT NULL,
    amount_ore        BIGINT NOT NULL,
    quota             TEXT NOT NULL,
    weight            TEXT NOT NULL,
    weight_kind       TEXT NOT NULL,
    population        BIGINT,
    population_date   DATE,
    population_source TEXT NOT NULL DEFAULT '',
    residue           BOOLEAN NOT NULL,
    UNIQUE (allocation_id, party_id)
);
CREATE INDEX allocation_shares_party ON allocation_shares (party_id, allocation_id);

-- Saved allocations change in one way only: being superseded, once.
-- +goose StatementBegin
CREATE FUNCTION allocations_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a saved allocation is never deleted';
    END IF;
    IF OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL
       OR (to_jsonb(NEW) - 'superseded_by') IS DISTINCT FROM (to_jsonb(OLD) - 'superseded_by') THEN
        RAISE EXCEPTION 'a saved allocation is immutable: supersede it with a new one';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER allocations_immutable BEFORE UPDATE OR DELETE ON allocations
    FOR EACH ROW EXECUTE FUNCTION allocations_immutable();
-- +goose StatementBegin
CREATE FUNCTION allocation_shares_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a saved allocation is immutable';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER allocation_shares_immutable BEFORE UPDATE OR DELETE ON allocation_shares
    FOR EACH ROW EXECUTE FUNCTION allocation_shares_immutable();

-- +goose Down
DROP TRIGGER allocation_shares_immutable ON allocation_shares;
DROP FUNCTION allocation_shares_immutable();
DROP TRIGGER allocations_immutable ON allocations;
DROP FUNCTION allocations_immutable();
DROP TABLE allocation_shares;
DROP TABLE allocations;
