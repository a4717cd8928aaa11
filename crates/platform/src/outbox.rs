//! Domain events, written to the outbox table inside the transaction of
//! the change they announce. The relay ([`crate::events`]) publishes them
//! to the bus; until then they wait in the table, in order, losing nothing.

use serde::Serialize;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::db::now_ms;

/// Something that happened in a context, for the others to react to.
pub struct DomainEvent<'a, P: Serialize> {
    /// `WorkoutRecorded`, `WorkoutDeleted`, …
    pub kind: &'a str,
    /// The thing it is about.
    pub subject_id: &'a str,
    /// Whose change it was.
    pub user_id: &'a str,
    pub payload: &'a P,
}

/// Adds `event` to the outbox within the caller's transaction. Record it
/// after the write that locks the subject: events about one subject are
/// then numbered in the order their transactions commit.
pub async fn record<P: Serialize>(conn: &mut AnyConnection, event: &DomainEvent<'_, P>) -> Result<(), sqlx::Error> {
    let payload = serde_json::to_string(event.payload).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    // PostgreSQL numbers the row from its sequence (the column's default);
    // SQLite, whose writers take turns, with the next number after the last.
    let sql = if conn.backend_name().eq_ignore_ascii_case("postgres") {
        "INSERT INTO outbox_events (id, kind, subject_id, user_id, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
    } else {
        "INSERT INTO outbox_events (id, kind, subject_id, user_id, payload, created_at, seq) \
         VALUES ($1, $2, $3, $4, $5, $6, (SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox_events))"
    };
    sqlx::query(sql)
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
