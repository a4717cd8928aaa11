-- Tickets a browser opens its realtime socket with: single use, valid for
-- seconds, stored as a SHA-256 digest so the table holds nothing usable.
CREATE TABLE realtime_tickets (
    digest          TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL,
    session_id      TEXT NOT NULL,
    role            TEXT NOT NULL,
    email_verified  INTEGER NOT NULL,
    token_expires   BIGINT NOT NULL,               -- the access token's expiry (s): the socket's, until renewed
    expires_at      BIGINT NOT NULL
);
CREATE INDEX realtime_tickets_expiry ON realtime_tickets (expires_at);
