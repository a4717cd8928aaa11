-- The fastest stretches inside each training (from training's best efforts),
-- so that a profile shows a person's records among the trainings its viewer
-- may see. Their sport and privacy are read from social_trainings.
CREATE TABLE social_efforts (
    workout_id TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    distance_m DOUBLE PRECISION NOT NULL,
    seconds    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (workout_id, distance_m)
);
CREATE INDEX social_efforts_person ON social_efforts (user_id, distance_m, seconds);
