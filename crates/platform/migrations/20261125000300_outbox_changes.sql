-- Domain events waiting to be published (the transactional outbox): written
-- in the same transaction as the change that caused them, so a crash never
-- loses one; the relay publishes them and sets published_at.
CREATE TABLE outbox_events (
    id            TEXT PRIMARY KEY,            -- UUIDv7: publication order
    kind          TEXT NOT NULL,               -- WorkoutRecorded, WorkoutDeleted, …
    subject_id    TEXT NOT NULL,               -- the workout, equipment, … it is about
    user_id       TEXT NOT NULL,               -- whose change it was
    payload       TEXT NOT NULL,               -- JSON
    created_at    BIGINT NOT NULL,
    published_at  BIGINT
);
CREATE INDEX outbox_events_unpublished ON outbox_events (published_at, id);

-- Every change to a person's synchronised data, in order, for the offline
-- sync protocol: a device asks for what changed since the last row it saw.
CREATE TABLE change_log (
    id          TEXT PRIMARY KEY,              -- UUIDv7
    user_id     TEXT NOT NULL,
    entity      TEXT NOT NULL,                 -- workout, photo, …
    entity_id   TEXT NOT NULL,
    operation   TEXT NOT NULL,                 -- created | updated | deleted
    changed_at  BIGINT NOT NULL
);
CREATE INDEX change_log_user ON change_log (user_id, id);
