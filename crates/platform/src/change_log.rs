//! The per-person log of changes that the offline sync protocol reads: a
//! device asks what changed since the last number it saw. Written in the
//! same transaction as the change, like outbox events.
//!
//! Each change takes the next number of its person's counter
//! (`change_sequences`). The counter's row stays locked until the
//! transaction ends, so numbers become visible in commit order: a reader
//! that has seen number n never later finds a committed change below it.

use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::db::now_ms;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Created,
    Updated,
    Deleted,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Created => "created",
            Operation::Updated => "updated",
            Operation::Deleted => "deleted",
        }
    }
}

/// Notes that `user_id`'s `entity` `entity_id` was created, updated or deleted.
pub async fn record(
    conn: &mut AnyConnection,
    user_id: &str,
    entity: &str,
    entity_id: &str,
    operation: Operation,
) -> Result<(), sqlx::Error> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO change_sequences (user_id, last_seq, floor_seq) VALUES ($1, 1, 0) \
         ON CONFLICT (user_id) DO UPDATE SET last_seq = change_sequences.last_seq + 1 RETURNING last_seq",
    )
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO change_log (id, user_id, entity, entity_id, operation, changed_at, seq) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(user_id)
    .bind(entity)
    .bind(entity_id)
    .bind(operation.as_str())
    .bind(now_ms())
    .bind(seq)
    .execute(conn)
    .await?;
    Ok(())
}

/// One row of the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub entity: String,
    pub entity_id: String,
    pub operation: String,
    pub changed_at: i64,
}

/// Up to `limit` changes of the person numbered after `after`, in order.
pub async fn since(
    conn: &mut AnyConnection,
    user_id: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<Change>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT seq, entity, entity_id, operation, changed_at FROM change_log \
         WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
    )
    .bind(user_id)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Change {
                seq: r.try_get("seq")?,
                entity: r.try_get("entity")?,
                entity_id: r.try_get("entity_id")?,
                operation: r.try_get("operation")?,
                changed_at: r.try_get("changed_at")?,
            })
        })
        .collect()
}

/// The person's counter: the latest number taken and the compaction floor
/// (a cursor below the floor may have missed a removed tombstone).
pub async fn counter(conn: &mut AnyConnection, user_id: &str) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query("SELECT last_seq, floor_seq FROM change_sequences WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    match row {
        Some(row) => Ok((row.try_get("last_seq")?, row.try_get("floor_seq")?)),
        None => Ok((0, 0)),
    }
}

/// The latest change of one entity, if the log still holds one.
pub async fn latest(
    conn: &mut AnyConnection,
    user_id: &str,
    entity: &str,
    entity_id: &str,
) -> Result<Option<Change>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT seq, entity, entity_id, operation, changed_at FROM change_log \
         WHERE user_id = $1 AND entity = $2 AND entity_id = $3 ORDER BY seq DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(entity)
    .bind(entity_id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(Change {
            seq: r.try_get("seq")?,
            entity: r.try_get("entity")?,
            entity_id: r.try_get("entity_id")?,
            operation: r.try_get("operation")?,
            changed_at: r.try_get("changed_at")?,
        })
    })
    .transpose()
}

/// What a compaction removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Compacted {
    pub superseded: u64,
    pub tombstones: u64,
}

/// Removes rows a later change of the same entity supersedes (a reader gets
/// the record from the later one), then tombstones older than `before`
/// (epoch ms), raising each person's floor past the tombstones removed.
pub async fn compact(conn: &mut AnyConnection, before: i64) -> Result<Compacted, sqlx::Error> {
    let superseded = sqlx::query(
        "DELETE FROM change_log WHERE EXISTS (SELECT 1 FROM change_log later \
         WHERE later.user_id = change_log.user_id AND later.entity = change_log.entity \
         AND later.entity_id = change_log.entity_id AND later.seq > change_log.seq)",
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query(
        "UPDATE change_sequences SET floor_seq = (SELECT MAX(seq) FROM change_log c \
         WHERE c.user_id = change_sequences.user_id AND c.operation = 'deleted' AND c.changed_at < $1) \
         WHERE EXISTS (SELECT 1 FROM change_log c WHERE c.user_id = change_sequences.user_id \
         AND c.operation = 'deleted' AND c.changed_at < $1 AND c.seq > change_sequences.floor_seq)",
    )
    .bind(before)
    .execute(&mut *conn)
    .await?;
    let tombstones = sqlx::query("DELETE FROM change_log WHERE operation = 'deleted' AND changed_at < $1")
        .bind(before)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(Compacted { superseded, tombstones })
}
