-- Accounts and everything that proves who someone is. Times are epoch ms.
CREATE TABLE users (
    id                 TEXT PRIMARY KEY,
    email              TEXT NOT NULL,          -- trimmed and lower-cased
    email_verified_at  BIGINT,
    display_name       TEXT NOT NULL,
    password_hash      TEXT,                   -- argon2id PHC string
    role               TEXT NOT NULL,          -- user | admin
    status             TEXT NOT NULL,          -- active | suspended
    totp_secret        TEXT,                   -- base32, once enrolment is confirmed
    totp_pending       TEXT,                   -- base32, between enrolment and its first code
    totp_last_step     BIGINT,                 -- a code is accepted once
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

-- A login on one device. Its refresh tokens form one family: reuse of a spent
-- token revokes the session, and with it every token of the family.
CREATE TABLE sessions (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device          TEXT NOT NULL,
    address         TEXT NOT NULL,
    client_id       TEXT,                      -- set when an OAuth app holds the session
    scope           TEXT,                      -- what that app may do
    created_at      BIGINT NOT NULL,
    last_used_at    BIGINT NOT NULL,
    revoked_at      BIGINT,
    revoked_reason  TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
    token_hash  TEXT PRIMARY KEY,              -- SHA-256 of the opaque token
    session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Single-use tokens sent by mail or handed out between login steps.
CREATE TABLE one_time_tokens (
    token_hash  TEXT PRIMARY KEY,
    purpose     TEXT NOT NULL,                 -- verify-email | reset-password | second-factor
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id);

CREATE TABLE recovery_codes (
    code_hash  TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    used_at    BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- Keys that sign access tokens, published as JWKS. The newest active key
-- signs; retired keys still verify until the tokens they signed expire.
CREATE TABLE signing_keys (
    id           TEXT PRIMARY KEY,             -- the JWT `kid`
    algorithm    TEXT NOT NULL,                -- EdDSA (Ed25519)
    public_key   TEXT NOT NULL,                -- base64url, raw
    private_key  TEXT NOT NULL,                -- PKCS#8 sealed with a key derived from ATHLOS_SECRET_KEY
    created_at   BIGINT NOT NULL,
    retired_at   BIGINT
);

-- Fixed-window counters, shared by every replica through the database.
CREATE TABLE rate_limits (
    bucket        TEXT PRIMARY KEY,
    window_start  BIGINT NOT NULL,
    hits          BIGINT NOT NULL
);

-- Applications that log people in through Athlos (OAuth 2.0 / OpenID Connect).
CREATE TABLE oauth_clients (
    id             TEXT PRIMARY KEY,           -- the client_id
    secret_hash    TEXT,                       -- SHA-256 of the secret; NULL for public clients
    name           TEXT NOT NULL,
    redirect_uris  TEXT NOT NULL,              -- JSON array, matched exactly
    scopes         TEXT NOT NULL,              -- space-separated, what it may ask for
    owner_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at     BIGINT NOT NULL
);
CREATE INDEX oauth_clients_owner ON oauth_clients (owner_id);

-- What a person allowed an application; asked again when it wants more.
CREATE TABLE oauth_grants (
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id   TEXT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    scope       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

CREATE TABLE oauth_codes (
    code_hash       TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    redirect_uri    TEXT NOT NULL,
    scope           TEXT NOT NULL,
    code_challenge  TEXT,
    nonce           TEXT,
    expires_at      BIGINT NOT NULL,
    used_at         BIGINT
);

-- Accounts at an external OpenID Connect provider linked to local accounts.
CREATE TABLE external_identities (
    issuer      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX external_identities_user ON external_identities (user_id);
