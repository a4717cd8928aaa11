-- The language of what the server writes for a person (workout titles made
-- from the time of day and the sport): en | ru.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
