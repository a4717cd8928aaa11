-- Competitions, who entered them and their results, competition's copy of
-- trainings (from training's events) and the global boards of fastest
-- efforts. See docs/competitions.md.

CREATE TABLE competitions (
    id            TEXT PRIMARY KEY,
    organiser_id  TEXT NOT NULL,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL,
    kind          TEXT NOT NULL,            -- distance, duration, elevation, trainings, fastest, longest
    effort_m      DOUBLE PRECISION,         -- the distance of a `fastest` competition
    sports        TEXT NOT NULL,            -- JSON array of sport ids
    starts_at     BIGINT NOT NULL,          -- epoch ms, inclusive
    ends_at       BIGINT NOT NULL,          -- epoch ms, exclusive
    time_zone     TEXT NOT NULL,
    invite_only   INTEGER NOT NULL,
    invite_code   TEXT NOT NULL,
    region        TEXT,                     -- a geohash prefix entrants' home areas must start with
    entry_limit   INTEGER,
    entrants      INTEGER NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    board_version BIGINT NOT NULL DEFAULT 0, -- raised with every change of its board, for live updates
    board_changed BIGINT NOT NULL DEFAULT 0, -- when, epoch ms
    started_told  INTEGER NOT NULL DEFAULT 0,
    ended_told    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX competitions_window ON competitions (ends_at, starts_at);
CREATE INDEX competitions_board_changed ON competitions (board_changed);

CREATE TABLE competition_teams (
    id             TEXT PRIMARY KEY,
    competition_id TEXT NOT NULL,
    name           TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    members        INTEGER NOT NULL DEFAULT 0,
    score          DOUBLE PRECISION,
    UNIQUE (competition_id, name)
);

-- One row per person per competition. `place_key` orders the board
-- ascending (the time for `fastest`, minus the score otherwise); null
-- until the person has a result.
CREATE TABLE competition_entries (
    competition_id TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    team_id        TEXT,
    private_entry  INTEGER NOT NULL,
    tell_overtaken INTEGER NOT NULL,
    joined_at      BIGINT NOT NULL,
    sex            TEXT,
    birth_year     INTEGER,
    weight_kg      DOUBLE PRECISION,
    home_area      TEXT,
    score          DOUBLE PRECISION,
    place_key      DOUBLE PRECISION,
    achieved_at    BIGINT,
    workout_id     TEXT,
    trainings      INTEGER NOT NULL DEFAULT 0,
    disqualified   INTEGER NOT NULL DEFAULT 0,
    dq_reason      TEXT,
    dq_by          TEXT,
    PRIMARY KEY (competition_id, user_id)
);
CREATE INDEX competition_entries_board
    ON competition_entries (competition_id, disqualified, place_key, achieved_at, user_id);
CREATE INDEX competition_entries_person ON competition_entries (user_id);
CREATE INDEX competition_entries_team ON competition_entries (competition_id, team_id);

-- One row per person competition heard of, written first by every change
-- to their results: its row lock makes changes about one person take turns,
-- so that each recomputation sees the one before it (on PostgreSQL, two
-- trainings handled at once would otherwise each miss the other).
CREATE TABLE competition_people (
    user_id TEXT PRIMARY KEY,
    changes BIGINT NOT NULL
);

-- Competition's copy of each training, from WorkoutRecorded/Updated/Deleted.
CREATE TABLE competition_trainings (
    workout_id    TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL,
    last_event_id TEXT NOT NULL,
    deleted       INTEGER NOT NULL,
    privacy       TEXT NOT NULL,
    sport         TEXT NOT NULL,
    started_at    BIGINT NOT NULL,
    duration_s    DOUBLE PRECISION NOT NULL,
    distance_m    DOUBLE PRECISION,
    elevation_m   DOUBLE PRECISION,
    efforts       TEXT NOT NULL             -- JSON: [[metres, seconds], …]
);
CREATE INDEX competition_trainings_person ON competition_trainings (user_id, started_at);

-- Each person's fastest public effort per sport, distance and period
-- (`all`, or a year such as `2026`).
CREATE TABLE global_bests (
    sport       TEXT NOT NULL,
    distance_m  DOUBLE PRECISION NOT NULL,
    period      TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    seconds     DOUBLE PRECISION NOT NULL,
    achieved_at BIGINT NOT NULL,
    workout_id  TEXT NOT NULL,
    PRIMARY KEY (sport, distance_m, period, user_id)
);
CREATE INDEX global_bests_board ON global_bests (sport, distance_m, period, seconds, achieved_at, user_id);
CREATE INDEX global_bests_person ON global_bests (user_id);

-- How many rows of each board lie in each band of its order (`board` is
-- `c:<competition id>` or `g:<sport>:<metres>:<period>`; band b holds the
-- keys in [b × width, (b + 1) × width)), so that a place is the sum of the
-- bands before plus a count inside one band, not a count of every row
-- before. Derived: `athlos competition recount` rebuilds it from the rows.
CREATE TABLE board_counts (
    board  TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (board, bucket)
);
