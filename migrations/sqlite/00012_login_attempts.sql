-- Login attempts: every check of a password or a two-factor code is counted
-- here before it is made, so that the limits hold across every instance of
-- gns serve on one database and cannot be raced by attempts in parallel. A
-- successful check removes its attempt; failures stay until they are older
-- than the longest window.

-- +goose Up
CREATE TABLE login_attempts (
    id           INTEGER PRIMARY KEY,
    account      TEXT NOT NULL,
    address      TEXT NOT NULL,
    attempted_at TIMESTAMP NOT NULL
);
CREATE INDEX login_attempts_account ON login_attempts (account, attempted_at);
CREATE INDEX login_attempts_address ON login_attempts (address, attempted_at);

-- +goose Down
DROP TABLE login_attempts;
