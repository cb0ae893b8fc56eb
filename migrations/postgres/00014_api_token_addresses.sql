-- The addresses each API token has been used from. A request with a token
-- writes only when there is something new to record (see RecordAPITokenUse):
-- the token's last use at most once a minute, and an entry in the audit
-- trail on its first use of a day and on its first use from an address not
-- in this table. Before, every request updated the token and appended to
-- the audit trail, so a program that polled the API grew the trail by a row
-- per read. The addresses already in the audit trail are taken over.

-- +goose Up
CREATE TABLE api_token_addresses (
    token_id      BIGINT NOT NULL REFERENCES api_tokens (id),
    remote_addr   TEXT NOT NULL,
    first_used_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (token_id, remote_addr)
);
INSERT INTO api_token_addresses (token_id, remote_addr, first_used_at)
SELECT t.id, a.remote_addr, MIN(a.at)
FROM audit_log a JOIN api_tokens t ON CAST(t.id AS TEXT) = a.entity_id
WHERE a.entity = 'api_token' AND a.action = 'token_use'
GROUP BY t.id, a.remote_addr;

-- +goose Down
DROP TABLE api_token_addresses;
