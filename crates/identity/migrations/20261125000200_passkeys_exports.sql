-- Passkeys (WebAuthn credentials): a way to log in and a second factor.
CREATE TABLE passkeys (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id  TEXT NOT NULL,              -- base64url, as authenticators name it
    name           TEXT NOT NULL,              -- chosen by the person ("Phone", "YubiKey")
    passkey        TEXT NOT NULL,              -- public key and signature counter, JSON
    created_at     BIGINT NOT NULL,
    last_used_at   BIGINT
);
CREATE UNIQUE INDEX passkeys_credential ON passkeys (credential_id);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- A WebAuthn ceremony between its two requests: the challenge the browser
-- must sign, kept server side so any replica can finish it, used once.
CREATE TABLE passkey_ceremonies (
    id          TEXT PRIMARY KEY,              -- SHA-256 of the handle given to the client
    purpose     TEXT NOT NULL,                 -- register | login | second-factor
    user_id     TEXT REFERENCES users (id) ON DELETE CASCADE,
    state       TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);

-- Exports of a person's own data: a ZIP on the file store, fetched with the
-- link mailed when it is ready.
CREATE TABLE data_exports (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status         TEXT NOT NULL,              -- pending | ready | failed
    file_key       TEXT,
    size_bytes     BIGINT,
    download_hash  TEXT,                       -- SHA-256 of the token in the link
    created_at     BIGINT NOT NULL,
    ready_at       BIGINT,
    expires_at     BIGINT
);
CREATE INDEX data_exports_user ON data_exports (user_id);
CREATE UNIQUE INDEX data_exports_download ON data_exports (download_hash);
