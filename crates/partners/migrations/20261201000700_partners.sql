-- Training partners and chat. See docs/partners.md. Places are geohash
-- cells of 5 characters (about 5 km), never points.

-- Who opted in, and what they chose.
CREATE TABLE partner_seekers (
    user_id     TEXT PRIMARY KEY,
    cell        TEXT NOT NULL,
    radius_km   INTEGER NOT NULL,
    days        INTEGER NOT NULL,            -- bit 0 Monday … bit 6 Sunday
    times       INTEGER NOT NULL,            -- bit 0 morning, 1 midday, 2 afternoon, 3 evening
    opted_in_at BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- One row per opted-in person and sport: what a deck reads. The choices
-- are copied from partner_seekers so that a deck reads one table, and the
-- cell is kept cut to 4 characters for the index a wide deck walks, and
-- its centre (the cell's, never the person's place) for ranking in SQL.
CREATE TABLE partner_sports (
    user_id     TEXT NOT NULL,
    sport       TEXT NOT NULL,
    min_kmh     DOUBLE PRECISION NOT NULL,
    max_kmh     DOUBLE PRECISION NOT NULL,
    cell        TEXT NOT NULL,
    cell4       TEXT NOT NULL,
    cell_lat    DOUBLE PRECISION NOT NULL,
    cell_lon    DOUBLE PRECISION NOT NULL,
    radius_km   INTEGER NOT NULL,
    days        INTEGER NOT NULL,
    times       INTEGER NOT NULL,
    opted_in_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, sport)
);
CREATE INDEX partner_sports_cell ON partner_sports (sport, cell);
CREATE INDEX partner_sports_cell4 ON partner_sports (sport, cell4);

-- When each person last trained, and their recent speeds per sport (for
-- suggesting a level), from training's WorkoutRecorded.
CREATE TABLE partner_activity (
    user_id         TEXT PRIMARY KEY,
    last_trained_at BIGINT NOT NULL
);
CREATE TABLE partner_speeds (
    workout_id TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    sport      TEXT NOT NULL,
    kmh        DOUBLE PRECISION NOT NULL,
    trained_at BIGINT NOT NULL
);
CREATE INDEX partner_speeds_person ON partner_speeds (user_id, sport, trained_at);

CREATE TABLE partner_swipes (
    id         TEXT PRIMARY KEY,             -- UUIDv7: the last swipe is the greatest
    swiper_id  TEXT NOT NULL,
    target_id  TEXT NOT NULL,
    yes        INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (swiper_id, target_id)
);
CREATE INDEX partner_swipes_target ON partner_swipes (target_id);
CREATE INDEX partner_swipes_recent ON partner_swipes (swiper_id, created_at);

-- A mutual yes; a_id < b_id.
CREATE TABLE partner_matches (
    a_id       TEXT NOT NULL,
    b_id       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (a_id, b_id)
);
CREATE INDEX partner_matches_b ON partner_matches (b_id);

CREATE TABLE partner_settings (
    user_id      TEXT PRIMARY KEY,
    mail_matches INTEGER NOT NULL,
    mail_unread  INTEGER NOT NULL
);

-- One conversation per pair; a_id < b_id. `last_seq` numbers its messages
-- and is raised in the transaction of each, which makes sends to one
-- conversation take turns.
CREATE TABLE conversations (
    id              TEXT PRIMARY KEY,
    a_id            TEXT NOT NULL,
    b_id            TEXT NOT NULL,
    via_match       INTEGER NOT NULL,
    ended_at        BIGINT,
    created_at      BIGINT NOT NULL,
    last_seq        BIGINT NOT NULL,
    last_message_at BIGINT NOT NULL,
    UNIQUE (a_id, b_id)
);
CREATE INDEX conversations_b ON conversations (b_id);

-- Each side of a conversation: how far they received and read the other's
-- messages, and the last unread mail they were sent.
CREATE TABLE conversation_members (
    conversation_id TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    delivered_seq   BIGINT NOT NULL,
    read_seq        BIGINT NOT NULL,
    mailed_seq      BIGINT NOT NULL,
    mailed_at       BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_user ON conversation_members (user_id);

CREATE TABLE chat_messages (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    seq             BIGINT NOT NULL,
    sender_id       TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    body            TEXT NOT NULL,
    sent_at         BIGINT NOT NULL,
    deleted         INTEGER NOT NULL,
    UNIQUE (conversation_id, seq),
    UNIQUE (sender_id, client_id)
);
CREATE INDEX chat_messages_recent ON chat_messages (sender_id, sent_at);

-- Two people's swipes on each other take turns through their pair's row,
-- so that two yeses at the same moment still see each other; a_id < b_id.
CREATE TABLE partner_pairs (
    a_id  TEXT NOT NULL,
    b_id  TEXT NOT NULL,
    turns BIGINT NOT NULL,
    PRIMARY KEY (a_id, b_id)
);
