//! Sync's own tables: the clocks of fields it set, and mutations applied.

use std::collections::HashMap;

use sqlx::{AnyConnection, Row};

use crate::clock::Clock;
use crate::entities::{Entity, Fields};
use crate::merge::Remembered;

pub async fn remembered(
    conn: &mut AnyConnection,
    user_id: &str,
    entity: Entity,
    id: &str,
) -> Result<HashMap<String, Remembered>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT field, clock, value FROM sync_fields WHERE user_id = $1 AND entity = $2 AND entity_id = $3",
    )
    .bind(user_id)
    .bind(entity.as_str())
    .bind(id)
    .fetch_all(conn)
    .await?;
    let mut fields = HashMap::new();
    for row in rows {
        let clock: String = row.try_get("clock")?;
        let value: String = row.try_get("value")?;
        let (Some(clock), Ok(value)) = (Clock::parse(&clock), serde_json::from_str(&value)) else { continue };
        fields.insert(row.try_get("field")?, Remembered { clock, value });
    }
    Ok(fields)
}

/// Remembers every field of the record with the clock that set it.
pub async fn remember(
    conn: &mut AnyConnection,
    user_id: &str,
    entity: Entity,
    id: &str,
    fields: &Fields,
    clocks: &HashMap<String, Clock>,
) -> Result<(), sqlx::Error> {
    for (field, value) in fields {
        let Some(clock) = clocks.get(field) else { continue };
        sqlx::query(
            "INSERT INTO sync_fields (user_id, entity, entity_id, field, clock, value) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (user_id, entity, entity_id, field) DO UPDATE SET clock = excluded.clock, value = excluded.value",
        )
        .bind(user_id)
        .bind(entity.as_str())
        .bind(id)
        .bind(field)
        .bind(clock.as_str())
        .bind(value.to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn forget(conn: &mut AnyConnection, user_id: &str, entity: Entity, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sync_fields WHERE user_id = $1 AND entity = $2 AND entity_id = $3")
        .bind(user_id)
        .bind(entity.as_str())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Claims a mutation id for this transaction; `false` when it was applied
/// (or is being applied: the insert waits for that transaction) already.
pub async fn claim(conn: &mut AnyConnection, user_id: &str, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query(
        "INSERT INTO sync_mutations (user_id, id, outcome, created_at) VALUES ($1, $2, NULL, $3) \
         ON CONFLICT (user_id, id) DO NOTHING",
    )
    .bind(user_id)
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

pub async fn settle(conn: &mut AnyConnection, user_id: &str, id: &str, outcome: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sync_mutations SET outcome = $3 WHERE user_id = $1 AND id = $2")
        .bind(user_id)
        .bind(id)
        .bind(outcome)
        .execute(conn)
        .await?;
    Ok(())
}

/// How an earlier mutation with this id ended, if one did.
pub async fn outcome(conn: &mut AnyConnection, user_id: &str, id: &str) -> Result<Option<String>, sqlx::Error> {
    let outcome: Option<Option<String>> =
        sqlx::query_scalar("SELECT outcome FROM sync_mutations WHERE user_id = $1 AND id = $2")
            .bind(user_id)
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(outcome.flatten())
}

/// Forgets mutation ids older than `before`, and the clocks of records
/// deleted before it (compaction).
pub async fn compact(conn: &mut AnyConnection, before: i64) -> Result<u64, sqlx::Error> {
    let mutations = sqlx::query("DELETE FROM sync_mutations WHERE created_at < $1")
        .bind(before)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    sqlx::query(
        "DELETE FROM sync_fields WHERE EXISTS (SELECT 1 FROM change_log c WHERE c.user_id = sync_fields.user_id \
         AND c.entity = sync_fields.entity AND c.entity_id = sync_fields.entity_id \
         AND c.operation = 'deleted' AND c.changed_at < $1)",
    )
    .bind(before)
    .execute(conn)
    .await?;
    Ok(mutations)
}

pub async fn erase_user(conn: &mut AnyConnection, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sync_fields WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM sync_mutations WHERE user_id = $1").bind(user_id).execute(conn).await?;
    Ok(())
}
