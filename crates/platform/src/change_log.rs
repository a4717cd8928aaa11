//! The per-person log of changes that the offline sync protocol reads: a
//! device asks what changed since the last row it saw. Written in the same
//! transaction as the change, like outbox events.

use sqlx::AnyConnection;
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
    sqlx::query(
        "INSERT INTO change_log (id, user_id, entity, entity_id, operation, changed_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(user_id)
    .bind(entity)
    .bind(entity_id)
    .bind(operation.as_str())
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}
