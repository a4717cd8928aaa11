//! Domain events, written to the outbox table inside the transaction of
//! the change they announce. A relay (to come with the event bus) publishes
//! them; until then they wait in the table, in order, losing nothing.

use serde::Serialize;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::db::now_ms;

/// Something that happened in a context, for the others to react to.
pub struct DomainEvent<'a, P: Serialize> {
    /// `WorkoutRecorded`, `WorkoutUpdated`, `WorkoutDeleted`, …
    pub kind: &'a str,
    /// The thing it is about.
    pub subject_id: &'a str,
    /// Whose change it was.
    pub user_id: &'a str,
    pub payload: &'a P,
}

/// Adds `event` to the outbox within the caller's transaction.
pub async fn record<P: Serialize>(conn: &mut AnyConnection, event: &DomainEvent<'_, P>) -> Result<(), sqlx::Error> {
    let payload = serde_json::to_string(event.payload).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO outbox_events (id, kind, subject_id, user_id, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(event.kind)
    .bind(event.subject_id)
    .bind(event.user_id)
    .bind(payload)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}
