-- Login attempts: every check of a password or a two-factor code is counted
-- here before it is made, so that the limits hold across every instance of
-- gns serve on one database and cannot be raced by attempts in parallel. A
-- successful check removes its attempt; failures stay until they are older
-- than the longest window. Attempts for one account are counted one at a
-- time: each takes the lock row of its account's bucket (an upsert, so a row
-- lock on PostgreSQL; SQLite serialises writers anyway), so parallel attempts
-- see each other and exactly the allowed number get their check.
--
-- Every page asks whether demo users can log in (the demo banner); a partial
-- index answers without a scan, so no instance needs to remember the answer.

-- +goose Up
CREATE TABLE login_attempts (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account      TEXT NOT NULL,
    address      TEXT NOT NULL,
    attempted_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_attempts_account ON login_attempts (account, attempted_at);
CREATE INDEX login_attempts_address ON login_attempts (address, attempted_at);
CREATE TABLE login_attempt_locks (
    bucket  INTEGER PRIMARY KEY,
    touched BIGINT NOT NULL
);
CREATE INDEX users_demo_active ON users (id) WHERE demo AND disabled_at IS NULL;

-- +goose Down
DROP INDEX users_demo_active;
DROP TABLE login_attempt_locks;
DROP TABLE login_attempts;
