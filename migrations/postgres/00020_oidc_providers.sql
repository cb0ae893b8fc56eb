-- Single sign-on with OpenID Connect: the organisations' identity providers as
-- the admin configures them (the client secret sealed with the server's key,
-- like the TOTP secrets), users linked by the admin to a provider's subject,
-- the logins under way (state, nonce and PKCE verifier, kept here so that
-- they are used once and only by the GNS that began them; only a hash of the
-- state is stored), and the sessions begun through a provider (for its
-- logout). A provider is disabled, never deleted.

-- +goose Up
CREATE TABLE oidc_providers (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          TEXT NOT NULL,
    issuer        TEXT NOT NULL UNIQUE,
    client_id     TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    domains       TEXT NOT NULL,
    mfa_acr       TEXT NOT NULL DEFAULT '',
    disabled_at   TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE oidc_links (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES oidc_providers (id),
    subject     TEXT NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (provider_id, subject)
);

CREATE TABLE oidc_logins (
    state_hash    TEXT PRIMARY KEY,
    provider_id   BIGINT NOT NULL REFERENCES oidc_providers (id),
    nonce         TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    next_path     TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE sso_sessions (
    session_id  BIGINT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    provider_id BIGINT NOT NULL REFERENCES oidc_providers (id),
    id_token    TEXT NOT NULL
);

-- +goose Down
DROP TABLE sso_sessions;
DROP TABLE oidc_logins;
DROP TABLE oidc_links;
DROP TABLE oidc_providers;
