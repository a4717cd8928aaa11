-- The offline sync protocol reads a person's changes by number. The UUIDv7
-- ids of change_log are stamped before their transaction commits, so a
-- change that started first may commit last, below a cursor a device has
-- already passed. A per-person counter, taken in the transaction of the
-- change and locked until it ends, numbers changes in commit order instead.
CREATE TABLE change_sequences (
    user_id    TEXT PRIMARY KEY,
    last_seq   BIGINT NOT NULL,           -- the number the latest change took
    floor_seq  BIGINT NOT NULL DEFAULT 0  -- the newest tombstone compaction removed
);

ALTER TABLE change_log ADD COLUMN seq BIGINT;

-- Number what is there already, in id order per person.
CREATE TABLE change_log_numbering AS
    SELECT id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY id) AS seq FROM change_log;
UPDATE change_log SET seq = (SELECT n.seq FROM change_log_numbering n WHERE n.id = change_log.id);
DROP TABLE change_log_numbering;

INSERT INTO change_sequences (user_id, last_seq, floor_seq)
    SELECT user_id, MAX(seq), 0 FROM change_log GROUP BY user_id;

CREATE INDEX change_log_sequence ON change_log (user_id, seq);
CREATE INDEX change_log_entity ON change_log (user_id, entity, entity_id, seq);
