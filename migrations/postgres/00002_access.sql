-- Access: users and their roles, two-factor login, sessions, API tokens, and the
-- append-only audit trail. Secrets are stored only as hashes (passwords with
-- argon2id, tokens with SHA-256) or encrypted (TOTP secrets).

-- +goose Up
CREATE TABLE users (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email               TEXT NOT NULL,
    email_fold          TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    password_changed_at TIMESTAMPTZ NOT NULL,
    totp_secret         TEXT,
    totp_pending        TEXT,
    totp_enabled_at     TIMESTAMPTZ,
    totp_last_step      BIGINT NOT NULL DEFAULT 0,
    demo                BOOLEAN NOT NULL DEFAULT FALSE,
    disabled_at         TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE user_roles (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    role         TEXT NOT NULL CHECK (role IN ('admin', 'secretariat', 'economist', 'party', 'member', 'auditor')),
    committee_id BIGINT REFERENCES committees (id),
    party_id     BIGINT REFERENCES parties (id),
    created_at   TIMESTAMPTZ NOT NULL,
    CHECK (role <> 'party' OR (committee_id IS NOT NULL AND party_id IS NOT NULL)),
    CHECK (role = 'party' OR party_id IS NULL)
);
CREATE UNIQUE INDEX user_roles_unique ON user_roles (user_id, role, COALESCE(committee_id, 0), COALESCE(party_id, 0));

CREATE TABLE recovery_codes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    code_hash  TEXT NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- Roles whose users must log in with two factors.
CREATE TABLE mfa_required_roles (
    role TEXT PRIMARY KEY CHECK (role IN ('admin', 'secretariat', 'economist', 'party', 'member', 'auditor'))
);
INSERT INTO mfa_required_roles (role) VALUES ('admin'), ('secretariat'), ('economist');

CREATE TABLE sessions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    mfa_done     BOOLEAN NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_log (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    actor_user_id BIGINT,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    before_json   TEXT,
    after_json    TEXT,
    remote_addr   TEXT NOT NULL DEFAULT '',
    request_id    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);

-- The audit trail is append-only.
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TRIGGER audit_log_no_truncate ON audit_log;
DROP TRIGGER audit_log_no_change ON audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE audit_log;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE mfa_required_roles;
DROP TABLE recovery_codes;
DROP TABLE user_roles;
DROP TABLE users;
