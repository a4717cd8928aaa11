-- The durable job queue. Times are epoch milliseconds (BIGINT) so that the same
-- SQL runs on SQLite, PostgreSQL and CockroachDB.
CREATE TABLE jobs (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    -- queued: waiting for run_at; running: leased to locked_by until locked_until;
    -- done: finished; dead: gave up after max_attempts.
    state         TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL,
    run_at        BIGINT NOT NULL,
    locked_by     TEXT,
    locked_until  BIGINT,
    last_error    TEXT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    finished_at   BIGINT
);

CREATE INDEX jobs_due ON jobs (state, run_at);
