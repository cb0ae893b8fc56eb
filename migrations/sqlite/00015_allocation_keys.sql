-- Keys that real decisions use (issue 16 §4). A mixed key splits parts of the
-- total by different methods (e.g. 50 % in equal shares and 50 % by
-- population): the allocation's method is 'mixed', its shares hold each
-- party's sum over the parts, and allocation_parts and allocation_part_shares
-- keep every part with its own total, method and shares, so that each part
-- can be shown. A fixed key renormalised over a subset of its parties needs
-- no column: its shares keep each party's key percentage as their weight,
-- and the participants' sum differs from 100.
--
-- SQLite cannot alter a CHECK constraint, and rebuilding the allocations
-- table would have to drop it under the tables that refer to it. The method's
-- CHECK is therefore widened in the schema text itself (the procedure SQLite's
-- documentation gives for changing a CHECK constraint, section 7 of "ALTER
-- TABLE"): widening accepts every existing row. writable_schema=RESET reloads
-- this connection's schema; the CREATE TABLE statements below change the
-- schema version, so that every other connection reloads it too.

-- +goose Up
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, 'CHECK (method IN (''equal'', ''population'', ''percent'', ''direct''))',
                       'CHECK (method IN (''equal'', ''population'', ''percent'', ''direct'', ''mixed''))')
WHERE type = 'table' AND name = 'allocations';
PRAGMA writable_schema = RESET;

CREATE TABLE allocation_parts (
    id            INTEGER PRIMARY KEY,
    allocation_id INTEGER NOT NULL REFERENCES allocations (id),
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
    id                INTEGER PRIMARY KEY,
    allocation_id     INTEGER NOT NULL REFERENCES allocations (id),
    part_position     INTEGER NOT NULL,
    party_id          INTEGER NOT NULL REFERENCES parties (id),
    position          INTEGER NOT NULL,
    amount_ore        BIGINT NOT NULL,
    quota             TEXT NOT NULL,
    weight            TEXT NOT NULL,
    weight_kind       TEXT NOT NULL,
    population        BIGINT,
    population_date   TEXT,
    population_source TEXT NOT NULL DEFAULT '',
    residue           BOOLEAN NOT NULL,
    UNIQUE (allocation_id, part_position, party_id),
    FOREIGN KEY (allocation_id, part_position) REFERENCES allocation_parts (allocation_id, position)
);

-- Like the rest of a saved allocation, its parts never change.
-- +goose StatementBegin
CREATE TRIGGER allocation_parts_no_update BEFORE UPDATE ON allocation_parts
BEGIN
    SELECT RAISE(ABORT, 'a saved allocation is immutable');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER allocation_parts_no_delete BEFORE DELETE ON allocation_parts
BEGIN
    SELECT RAISE(ABORT, 'a saved allocation is immutable');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER allocation_part_shares_no_update BEFORE UPDATE ON allocation_part_shares
BEGIN
    SELECT RAISE(ABORT, 'a saved allocation is immutable');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER allocation_part_shares_no_delete BEFORE DELETE ON allocation_part_shares
BEGIN
    SELECT RAISE(ABORT, 'a saved allocation is immutable');
END;
-- +goose StatementEnd

-- +goose Down
-- Going back is refused while a mixed allocation exists: the narrower CHECK
-- would not hold for it.
CREATE TEMP TABLE allocation_keys_down (mixed INTEGER CHECK (mixed = 0));
INSERT INTO allocation_keys_down SELECT COUNT(*) FROM allocations WHERE method = 'mixed';
DROP TABLE allocation_keys_down;
DROP TRIGGER allocation_part_shares_no_delete;
DROP TRIGGER allocation_part_shares_no_update;
DROP TRIGGER allocation_parts_no_delete;
DROP TRIGGER allocation_parts_no_update;
DROP TABLE allocation_part_shares;
DROP TABLE allocation_parts;
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, 'CHECK (method IN (''equal'', ''population'', ''percent'', ''direct'', ''mixed''))',
                       'CHECK (method IN (''equal'', ''population'', ''percent'', ''direct''))')
WHERE type = 'table' AND name = 'allocations';
PRAGMA writable_schema = RESET;
