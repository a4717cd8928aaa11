-- A photo of a training goes up in parts too: `photo_id` names it ('' for
-- the upload of the training's own file), one upload per training and photo.
ALTER TABLE sync_uploads ADD COLUMN photo_id TEXT NOT NULL DEFAULT '';
DROP INDEX sync_uploads_workout;
CREATE UNIQUE INDEX sync_uploads_target ON sync_uploads (user_id, workout_id, photo_id);
