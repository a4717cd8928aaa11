-- The sports catalogue: what a workout can be. Admins edit it.
CREATE TABLE sports (
    id            TEXT PRIMARY KEY,            -- a slug: running, cycling, …
    name          TEXT NOT NULL,
    icon          TEXT NOT NULL,               -- an emoji the clients show
    has_distance  BIGINT NOT NULL,            -- 1 when distance matters (not for strength)
    position      BIGINT NOT NULL,            -- order in lists
    created_at    BIGINT NOT NULL
);

INSERT INTO sports (id, name, icon, has_distance, position, created_at) VALUES
    ('running', 'Running', '🏃', 1, 10, 0),
    ('trail-running', 'Trail running', '⛰️', 1, 20, 0),
    ('cycling', 'Cycling', '🚴', 1, 30, 0),
    ('mountain-biking', 'Mountain biking', '🚵', 1, 40, 0),
    ('swimming', 'Swimming', '🏊', 1, 50, 0),
    ('walking', 'Walking', '🚶', 1, 60, 0),
    ('hiking', 'Hiking', '🥾', 1, 70, 0),
    ('rowing', 'Rowing', '🚣', 1, 80, 0),
    ('skiing', 'Cross-country skiing', '⛷️', 1, 90, 0),
    ('strength', 'Strength training', '🏋️', 0, 100, 0),
    ('yoga', 'Yoga', '🧘', 0, 110, 0),
    ('other', 'Other', '⭐', 1, 1000, 0);

-- A workout: logged by hand or read from an activity file.
CREATE TABLE workouts (
    id                 TEXT PRIMARY KEY,
    user_id            TEXT NOT NULL,
    sport_id           TEXT NOT NULL REFERENCES sports (id),
    title              TEXT NOT NULL,
    notes              TEXT NOT NULL,
    privacy            TEXT NOT NULL,          -- public | followers | private
    state              TEXT NOT NULL,          -- ready | processing | failed
    failure            TEXT,                   -- why reading the file failed
    started_at         BIGINT NOT NULL,        -- epoch ms, UTC
    duration_s         DOUBLE PRECISION NOT NULL,  -- elapsed, pauses included
    moving_s           DOUBLE PRECISION,
    distance_m         DOUBLE PRECISION,
    elevation_gain_m   DOUBLE PRECISION,
    elevation_loss_m   DOUBLE PRECISION,
    average_speed_mps  DOUBLE PRECISION,
    max_speed_mps      DOUBLE PRECISION,
    average_heart_rate DOUBLE PRECISION,
    max_heart_rate     BIGINT,
    equipment_ids      TEXT NOT NULL,          -- JSON array, owned by the inventory context
    file_format        TEXT,                   -- gpx | tcx | fit when read from a file
    file_name          TEXT,
    file_key           TEXT,                   -- the original on the file store
    file_size          BIGINT,
    analysis           TEXT,                   -- JSON: splits, best efforts, zones, shape, series
    client_key         TEXT,                   -- Idempotency-Key of the request that made it
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX workouts_user_started ON workouts (user_id, started_at, id);
CREATE UNIQUE INDEX workouts_client_key ON workouts (user_id, client_key);

-- The fastest time over each standard distance inside each workout: the
-- personal records are the best of these.
CREATE TABLE workout_efforts (
    workout_id  TEXT NOT NULL REFERENCES workouts (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    sport_id    TEXT NOT NULL,
    distance_m  DOUBLE PRECISION NOT NULL,
    seconds     DOUBLE PRECISION NOT NULL,
    started_at  BIGINT NOT NULL,
    PRIMARY KEY (workout_id, distance_m)
);
CREATE INDEX workout_efforts_user ON workout_efforts (user_id, sport_id, distance_m);

CREATE TABLE workout_photos (
    id             TEXT PRIMARY KEY,
    workout_id     TEXT NOT NULL REFERENCES workouts (id) ON DELETE CASCADE,
    user_id        TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    file_key       TEXT NOT NULL,
    thumbnail_key  TEXT,                       -- set once the thumbnail job is done
    size           BIGINT NOT NULL,
    width          BIGINT,
    height         BIGINT,
    created_at     BIGINT NOT NULL
);
CREATE INDEX workout_photos_workout ON workout_photos (workout_id, id);

-- Bulk imports sent to the API: an archive read by a job, with progress.
CREATE TABLE workout_imports (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    state       TEXT NOT NULL,                 -- queued | running | done | failed
    file_key    TEXT NOT NULL,
    total       BIGINT NOT NULL,              -- activity files found (0 until counted)
    processed   BIGINT NOT NULL,
    imported    BIGINT NOT NULL,
    duplicates  BIGINT NOT NULL,
    problems    TEXT NOT NULL,                 -- JSON: [{file, error}]
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX workout_imports_user ON workout_imports (user_id, id);
