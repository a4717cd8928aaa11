-- Files made offline, uploaded in parts that each say where they start, so
-- that an upload cut off resumes where it stopped. The training exists only
-- once the whole file has arrived.
CREATE TABLE sync_uploads (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL,
    workout_id    TEXT NOT NULL,            -- the id the device chose for the training
    name          TEXT NOT NULL,            -- the file's name on the device
    size          BIGINT NOT NULL,          -- the whole file, announced at the start
    received      BIGINT NOT NULL,          -- bytes stored so far, in order
    created_at    BIGINT NOT NULL,
    completed_at  BIGINT                    -- when the training was made from it
);
CREATE UNIQUE INDEX sync_uploads_workout ON sync_uploads (user_id, workout_id);

-- The parts stored, in order of where they start.
CREATE TABLE sync_upload_parts (
    upload_id  TEXT NOT NULL,
    start      BIGINT NOT NULL,
    blob_key   TEXT NOT NULL,
    PRIMARY KEY (upload_id, start)
);
