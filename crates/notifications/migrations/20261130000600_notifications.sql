-- A person's notifications. `event_id` is the request's outbox event, so a
-- request delivered twice is stored once.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,              -- UUIDv7: newest last
    user_id     TEXT NOT NULL,
    kind        TEXT NOT NULL,                 -- export_ready, follow, comment, …
    subject_id  TEXT,                          -- what it is about
    actor_id    TEXT,                          -- who did it, when somebody did
    title       TEXT NOT NULL,                 -- the notice in a sentence
    data        TEXT NOT NULL,                 -- JSON, the kind's own fields
    read_at     BIGINT,
    created_at  BIGINT NOT NULL,
    digested_at BIGINT,                        -- when a digest mail included it
    event_id    TEXT NOT NULL UNIQUE
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);

-- How a person wants each kind: in the app (the default), in a daily mail
-- digest as well, or not at all.
CREATE TABLE notification_preferences (
    user_id  TEXT NOT NULL,
    kind     TEXT NOT NULL,
    channel  TEXT NOT NULL,                    -- app | digest | off
    PRIMARY KEY (user_id, kind)
);
