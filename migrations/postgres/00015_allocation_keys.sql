-- Keys that real decisions use (issue 16 §4). A mixed key splits parts of the
-- total by different methods (e.g. 50 % in equal shares and 50 % by
-- population): the allocation's method is 'mixed', its shares hold each
-- party's sum over the parts, and allocation_parts and allocation_part_shares
-- keep every part with its own total, method and shares, so that each part
-- can be shown. A fixed key renormalised over a subset of its parties needs
-- no column: its shares keep each party's key percentage as their weight,
-- and the participants' sum differs from 100.

-- +goose Up
ALTER TABLE allocations DROP CONSTRAINT allocations_method_check;
ALTER TABLE allocations ADD CONSTRAINT allocations_method_check
    CHECK (method IN ('equal', 'population', 'percent', 'direct', 'mixed'));

CREATE TABLE allocation_parts (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    allocation_id BIGINT NOT NULL REFERENCES allocations (id),
    position      INTEGER NOT NULL,
    percent       TEXT NOT NULL,
    method        TEXT NOT NULL CHECK (method IN ('equal', 'population', 'percent')),
    host_share    TEXT,
    renormalise   BOOLEAN NOT NULL,
    total_ore     BIGINT NOT NULL,
    quota         TEXT NOT NULL,
    residue       BOOLEAN NOT NULL,
    UNIQUE (allocation_id, position)
);

CREATE TABLE allocation_part_shares (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    allocation_id     BIGINT NOT NULL REFERENCES allocations (id),
    part_position     INTEGER NOT NULL,
    party_id          BIGINT NOT NULL REFERENCES parties (id),
    position          INTEGER NOT NULL,
    amount_ore        BIGINT NOT NULL,
    quota             TEXT NOT NULL,
    weight            TEXT NOT NULL,
    weight_kind       TEXT NOT NULL,
    population        BIGINT,
    population_date   DATE,
    population_source TEXT NOT NULL DEFAULT '',
    residue           BOOLEAN NOT NULL,
    UNIQUE (allocation_id, part_position, party_id),
    FOREIGN KEY (allocation_id, part_position) REFERENCES allocation_parts (allocation_id, position)
);

-- Like the rest of a saved allocation, its parts never change.
-- +goose StatementBegin
CREATE FUNCTION allocation_parts_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a saved allocation is immutable';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER allocation_parts_immutable BEFORE UPDATE OR DELETE ON allocation_parts
    FOR EACH ROW EXECUTE FUNCTION allocation_parts_immutable();
CREATE TRIGGER allocation_part_shares_immutable BEFORE UPDATE OR DELETE ON allocation_part_shares
    FOR EACH ROW EXECUTE FUNCTION allocation_parts_immutable();

-- +goose Down
DROP TRIGGER allocation_part_shares_immutable ON allocation_part_shares;
DROP TRIGGER allocation_parts_immutable ON allocation_parts;
DROP FUNCTION allocation_parts_immutable();
DROP TABLE allocation_part_shares;
DROP TABLE allocation_parts;
ALTER TABLE allocations DROP CONSTRAINT allocations_method_check;
ALTER TABLE allocations ADD CONSTRAINT allocations_method_check
    CHECK (method IN ('equal', 'population', 'percent', 'direct'));
