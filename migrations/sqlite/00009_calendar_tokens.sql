-- Calendar feeds: a calendar application subscribes to a user's meetings
-- without a session, so the feed's address carries a secret token. Only its
-- SHA-256 is stored; a user has at most one and may replace it, which makes
-- the old address stop working.

-- +goose Up
CREATE TABLE calendar_tokens (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id),
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);

-- +goose Down
DROP TABLE calendar_tokens;
