-- SHA-256 of a workout's original file: the same file uploaded again is
-- refused as a repeat (409) instead of making a second identical workout.
-- NULLs are distinct in a unique index on both databases, so workouts
-- logged by hand, and files kept before this, never collide.
ALTER TABLE workouts ADD COLUMN file_sha256 TEXT;
CREATE UNIQUE INDEX workouts_file_sha256 ON workouts (user_id, file_sha256);
