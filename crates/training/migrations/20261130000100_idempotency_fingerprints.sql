-- A digest of what the request that made a workout asked for, so that an
-- Idempotency-Key sent again with a different request is refused rather
-- than answered with the first request's workout.
ALTER TABLE workouts ADD COLUMN client_fingerprint TEXT;
