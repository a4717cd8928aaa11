-- The event bus's bookkeeping.
--
-- `seq` orders the outbox in commit order: PostgreSQL takes it from a
-- sequence when the row is inserted, SQLite (one writer at a time) from the
-- largest before it. A change records its event after the write that locks
-- its subject, so two events about one subject always get their seqs in the
-- order their transactions committed, whatever the replicas' clocks say.
-- (SQLite accepts the type name and leaves the default to the insert.)
ALTER TABLE outbox_events ADD COLUMN seq BIGSERIAL;
CREATE INDEX outbox_events_pending ON outbox_events (published_at, seq);
CREATE INDEX outbox_events_seq ON outbox_events (seq);

-- Which relay publishes the outbox now. Any replica may relay; the lease
-- makes it one at a time, so the order of publication is the outbox's.
CREATE TABLE event_relay_lease (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
INSERT INTO event_relay_lease (name, holder, expires_at) VALUES ('outbox', '', 0);

-- The events each consuming context has handled, written in the handler's
-- own transaction: a duplicate delivery finds its row and changes nothing.
CREATE TABLE event_inbox (
    context     TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    handled_at  BIGINT NOT NULL,
    PRIMARY KEY (context, event_id)
);
CREATE INDEX event_inbox_handled ON event_inbox (handled_at);

-- Events whose handler failed: how often and why. After the last attempt
-- the row is dead (`dead_at`) and waits for `athlos events replay`.
CREATE TABLE event_failures (
    context     TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    event       TEXT NOT NULL,               -- the whole event, JSON
    attempts    INTEGER NOT NULL,
    last_error  TEXT NOT NULL,
    failed_at   BIGINT NOT NULL,
    dead_at     BIGINT,
    PRIMARY KEY (context, event_id)
);
CREATE INDEX event_failures_dead ON event_failures (dead_at, failed_at);
