-- A person's equipment. Dates the person typed (bought, retired) are
-- `YYYY-MM-DD` text; instants are epoch milliseconds.
CREATE TABLE equipment (
    id                  TEXT PRIMARY KEY,           -- UUID, chosen by the client when it was made offline
    user_id             TEXT NOT NULL,
    kind                TEXT NOT NULL,              -- shoes | bike | skis | board | wetsuit | watch | other
    brand               TEXT NOT NULL,
    model               TEXT NOT NULL,
    nickname            TEXT NOT NULL,
    purchased_on        TEXT,
    price               DOUBLE PRECISION,
    currency            TEXT,
    notes               TEXT NOT NULL,
    sports              TEXT NOT NULL,              -- JSON array of sport ids
    photo_key           TEXT,
    threshold_m         DOUBLE PRECISION,           -- warn past this distance; NULL: never
    alerted_threshold_m DOUBLE PRECISION,           -- the threshold last announced
    retired_on          TEXT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX equipment_user ON equipment (user_id, id);

-- Which item a new training of a sport gets when the person does not choose.
CREATE TABLE equipment_defaults (
    user_id      TEXT NOT NULL,
    sport        TEXT NOT NULL,
    equipment_id TEXT NOT NULL,
    kind         TEXT NOT NULL,                     -- one default per kind per sport
    PRIMARY KEY (user_id, sport, kind)
);
CREATE INDEX equipment_defaults_item ON equipment_defaults (equipment_id);

-- Parts of an item with their own counters; a replaced part stays, with
-- `removed_at` set and `replaced_by` naming its successor.
CREATE TABLE equipment_components (
    id                  TEXT PRIMARY KEY,
    equipment_id        TEXT NOT NULL,
    user_id             TEXT NOT NULL,
    kind                TEXT NOT NULL,
    name                TEXT NOT NULL,
    installed_at        BIGINT NOT NULL,
    removed_at          BIGINT,
    replaced_by         TEXT,
    threshold_m         DOUBLE PRECISION,
    alerted_threshold_m DOUBLE PRECISION,
    created_at          BIGINT NOT NULL
);
CREATE INDEX equipment_components_item ON equipment_components (equipment_id, installed_at);

-- The last word inventory heard about each training: the event it came
-- from (older ones are ignored) and whether the training is gone.
CREATE TABLE equipment_trainings (
    workout_id    TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL,
    last_event_id TEXT NOT NULL,
    deleted       INTEGER NOT NULL
);
CREATE INDEX equipment_trainings_user ON equipment_trainings (user_id);

-- What each training added to each item: totals are sums over these rows.
CREATE TABLE equipment_usage (
    equipment_id TEXT NOT NULL,
    workout_id   TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    started_at   BIGINT NOT NULL,
    distance_m   DOUBLE PRECISION NOT NULL,
    moving_s     DOUBLE PRECISION NOT NULL,
    elevation_m  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (equipment_id, workout_id)
);
CREATE INDEX equipment_usage_workout ON equipment_usage (workout_id);
CREATE INDEX equipment_usage_user ON equipment_usage (user_id);

-- Offers published by partners and administrators.
CREATE TABLE promotions (
    id          TEXT PRIMARY KEY,
    owner_id    TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    link        TEXT NOT NULL,
    picture_key TEXT,
    starts_at   BIGINT NOT NULL,
    ends_at     BIGINT NOT NULL,
    kinds       TEXT NOT NULL,                      -- JSON arrays; empty: everyone
    sports      TEXT NOT NULL,
    regions     TEXT NOT NULL,
    min_worn    DOUBLE PRECISION,
    views       BIGINT NOT NULL,
    clicks      BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX promotions_window ON promotions (ends_at, starts_at);
CREATE INDEX promotions_owner ON promotions (owner_id, id);

CREATE TABLE promotion_dismissals (
    user_id      TEXT NOT NULL,
    promotion_id TEXT NOT NULL,
    dismissed_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, promotion_id)
);
CREATE INDEX promotion_dismissals_offer ON promotion_dismissals (promotion_id);

-- Whether a person sees offers, and the country they may be targeted by.
CREATE TABLE inventory_settings (
    user_id    TEXT PRIMARY KEY,
    promotions INTEGER NOT NULL,
    region     TEXT
);
