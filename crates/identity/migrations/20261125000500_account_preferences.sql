-- A person's preferences and profile picture. Existing accounts get the
-- defaults: metric units, and workouts private unless said otherwise.
ALTER TABLE users ADD COLUMN units TEXT NOT NULL DEFAULT 'metric';              -- metric | imperial
ALTER TABLE users ADD COLUMN default_privacy TEXT NOT NULL DEFAULT 'private';   -- public | followers | private
ALTER TABLE users ADD COLUMN avatar_updated_at BIGINT;                          -- set while users/<id>/avatar.jpg exists
