-- What a person tells others about themselves beyond their name and picture
-- (which identity keeps): a bio, their sports, a coarse home area, and
-- whether following them needs their approval.
CREATE TABLE social_profiles (
    user_id    TEXT PRIMARY KEY,
    bio        TEXT NOT NULL,
    sports     TEXT NOT NULL,               -- JSON array of sport ids
    home_area  TEXT,                        -- a geohash of 5 characters (about 5 km), never a point
    private    INTEGER NOT NULL,            -- 1: followers need approval
    updated_at BIGINT NOT NULL
);

CREATE TABLE follows (
    follower_id TEXT NOT NULL,
    followed_id TEXT NOT NULL,
    state       TEXT NOT NULL,              -- pending | accepted
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (follower_id, followed_id)
);
CREATE INDEX follows_followed ON follows (followed_id, state, created_at);
CREATE INDEX follows_follower ON follows (follower_id, state);

CREATE TABLE blocks (
    blocker_id TEXT NOT NULL,
    blocked_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX blocks_blocked ON blocks (blocked_id);

-- Social's copy of each training, from training's events: what a feed
-- entry shows without asking training.
CREATE TABLE social_trainings (
    workout_id    TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL,
    last_event_id TEXT NOT NULL,
    deleted       INTEGER NOT NULL,
    privacy       TEXT NOT NULL,
    sport         TEXT NOT NULL,
    title         TEXT NOT NULL,
    started_at    BIGINT NOT NULL,
    duration_s    DOUBLE PRECISION NOT NULL,
    distance_m    DOUBLE PRECISION,
    elevation_m   DOUBLE PRECISION,
    shape         TEXT NOT NULL              -- JSON: [[lat, lon] | null, …], at most 64 points
);
CREATE INDEX social_trainings_author ON social_trainings (user_id, started_at, workout_id);

-- Fan-out on write: each follower's feed, one row per training of the
-- people they follow (authors with very many followers are read instead).
CREATE TABLE feed_entries (
    owner_id   TEXT NOT NULL,
    workout_id TEXT NOT NULL,
    author_id  TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    PRIMARY KEY (owner_id, workout_id)
);
CREATE INDEX feed_entries_page ON feed_entries (owner_id, started_at, workout_id);
CREATE INDEX feed_entries_author ON feed_entries (author_id, owner_id);
CREATE INDEX feed_entries_workout ON feed_entries (workout_id);

-- Followers and followings counted as they change, so that a profile shows
-- them and the feed knows whose trainings are read rather than fanned out.
CREATE TABLE follow_counts (
    user_id   TEXT PRIMARY KEY,
    followers BIGINT NOT NULL,
    following BIGINT NOT NULL
);
CREATE INDEX follow_counts_big ON follow_counts (followers);

CREATE TABLE kudos (
    workout_id TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (workout_id, user_id)
);
CREATE INDEX kudos_user ON kudos (user_id);

CREATE TABLE comments (
    id         TEXT PRIMARY KEY,
    workout_id TEXT NOT NULL,
    author_id  TEXT NOT NULL,
    body       TEXT NOT NULL,
    hidden     INTEGER NOT NULL,            -- 1: hidden by a moderator
    created_at BIGINT NOT NULL,
    edited_at  BIGINT
);
CREATE INDEX comments_workout ON comments (workout_id, id);
CREATE INDEX comments_author ON comments (author_id);

-- Comments written per person per clock hour: counted in the comment's
-- transaction by an upsert, so a crowd of requests cannot slip past it.
CREATE TABLE comment_quota (
    user_id TEXT NOT NULL,
    hour    BIGINT NOT NULL,
    written BIGINT NOT NULL,
    PRIMARY KEY (user_id, hour)
);

CREATE TABLE reports (
    id            TEXT PRIMARY KEY,
    reporter_id   TEXT NOT NULL,
    subject_kind  TEXT NOT NULL,            -- profile | training | comment
    subject_id    TEXT NOT NULL,
    subject_owner TEXT NOT NULL,
    reason        TEXT NOT NULL,            -- spam | abuse | privacy | other
    details       TEXT NOT NULL,
    state         TEXT NOT NULL,            -- open | dismissed | actioned
    outcome       TEXT,                     -- what was done, shown to the reporter
    created_at    BIGINT NOT NULL,
    resolved_at   BIGINT
);
CREATE INDEX reports_queue ON reports (state, id);
CREATE INDEX reports_reporter ON reports (reporter_id, id);
-- One open report per reporter and subject, however many arrive at once.
CREATE UNIQUE INDEX reports_open_once ON reports (reporter_id, subject_kind, subject_id) WHERE state = 'open';

-- Every moderator action, with who and why.
CREATE TABLE moderation_actions (
    id           TEXT PRIMARY KEY,
    moderator_id TEXT NOT NULL,
    report_id    TEXT,
    action       TEXT NOT NULL,             -- hide | warn | suspend | dismiss
    subject_kind TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    target_id    TEXT NOT NULL,
    reason       TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX moderation_actions_target ON moderation_actions (target_id);
