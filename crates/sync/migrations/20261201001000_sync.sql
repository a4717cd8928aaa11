-- What the sync protocol remembers to merge changes made offline.

-- Per field of a synchronised record: the clock of the change that set it
-- and the value it set, as the record showed it afterwards. A value that no
-- longer matches was changed since through the regular API, at the time of
-- the record's latest change.
CREATE TABLE sync_fields (
    user_id    TEXT NOT NULL,
    entity     TEXT NOT NULL,                 -- workout | equipment
    entity_id  TEXT NOT NULL,
    field      TEXT NOT NULL,
    clock      TEXT NOT NULL,                 -- hybrid logical clock, compared as text
    value      TEXT NOT NULL,                 -- JSON
    PRIMARY KEY (user_id, entity, entity_id, field)
);

-- Mutations applied, by the id the device gave them, so that one sent again
-- is answered as the first time instead of applied twice.
CREATE TABLE sync_mutations (
    user_id     TEXT NOT NULL,
    id          TEXT NOT NULL,
    outcome     TEXT,                         -- JSON: status, lost fields, problem
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, id)
);
CREATE INDEX sync_mutations_age ON sync_mutations (created_at);
