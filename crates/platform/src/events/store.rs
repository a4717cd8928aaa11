//! The event bus's SQL: the outbox as the relay reads it, the relay's
//! lease, the inboxes, and the failures and dead letters.

use std::time::Duration;

use serde::Serialize;
use sqlx::{AnyConnection, Row};

use super::Event;
use crate::db::{now_ms, Database};

const LEASE: &str = "outbox";

/// Takes the relay's lease, or renews it for `holder`; false while another
/// relay holds an unexpired one.
pub async fn take_lease(db: &Database, holder: &str, lease: Duration) -> Result<bool, sqlx::Error> {
    let now = now_ms();
    let taken = sqlx::query(
        "UPDATE event_relay_lease SET holder = $1, expires_at = $2 WHERE name = $3 AND (holder = $1 OR expires_at < $4)",
    )
    .bind(holder)
    .bind(now + lease.as_millis() as i64)
    .bind(LEASE)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(taken.rows_affected() == 1)
}

/// Gives the lease up, so that another replica relays at once.
pub async fn release_lease(db: &Database, holder: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE event_relay_lease SET expires_at = 0 WHERE name = $1 AND holder = $2")
        .bind(LEASE)
        .bind(holder)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The oldest unpublished events, in commit order.
pub async fn pending(db: &Database, limit: u32) -> Result<Vec<Event>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, kind, subject_id, user_id, payload, created_at FROM outbox_events \
         WHERE published_at IS NULL ORDER BY seq, id LIMIT $1",
    )
    .bind(limit as i64)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(event_from_row).collect()
}

fn event_from_row(row: &sqlx::any::AnyRow) -> Result<Event, sqlx::Error> {
    let payload: String = row.try_get("payload")?;
    Ok(Event {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        subject_id: row.try_get("subject_id")?,
        user_id: row.try_get("user_id")?,
        payload: serde_json::from_str(&payload).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        created_at: row.try_get("created_at")?,
    })
}

/// Marks these events published. By id, never by position: an event that
/// commits late with a smaller number must still be published.
pub async fn mark_published(db: &Database, ids: &[&str]) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let placeholders: Vec<String> = (2..ids.len() + 2).map(|i| format!("${i}")).collect();
    let sql = format!("UPDATE outbox_events SET published_at = $1 WHERE id IN ({})", placeholders.join(", "));
    let mut query = sqlx::query(&sql).bind(now_ms());
    for id in ids {
        query = query.bind(*id);
    }
    query.execute(db.pool()).await?;
    Ok(())
}

/// How many events wait to be published, and since when the oldest does.
pub async fn lag(db: &Database) -> Result<(i64, Option<i64>), sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS waiting, MIN(created_at) AS oldest FROM outbox_events WHERE published_at IS NULL",
    )
    .fetch_one(db.pool())
    .await?;
    Ok((row.try_get("waiting")?, row.try_get("oldest")?))
}

/// Deletes published events and inbox rows older than `before` (ms).
pub async fn prune(db: &Database, before: i64) -> Result<u64, sqlx::Error> {
    let events = sqlx::query("DELETE FROM outbox_events WHERE published_at IS NOT NULL AND published_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?;
    let inbox = sqlx::query("DELETE FROM event_inbox WHERE handled_at < $1").bind(before).execute(db.pool()).await?;
    Ok(events.rows_affected() + inbox.rows_affected())
}

/// Writes the inbox row of `event_id` for `context`; false when it was
/// there already (handled before, or being handled by a transaction that
/// has since committed: the insert waits for it).
pub async fn claim_inbox(conn: &mut AnyConnection, context: &str, event_id: &str) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query(
        "INSERT INTO event_inbox (context, event_id, handled_at) VALUES ($1, $2, $3) ON CONFLICT (context, event_id) DO NOTHING",
    )
    .bind(context)
    .bind(event_id)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Counts a failed attempt; returns how many there have been.
pub async fn record_failure(db: &Database, context: &str, event: &Event, error: &str) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO event_failures (context, event_id, kind, event, attempts, last_error, failed_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $6) \
         ON CONFLICT (context, event_id) DO UPDATE SET attempts = event_failures.attempts + 1, \
         last_error = excluded.last_error, failed_at = excluded.failed_at RETURNING attempts",
    )
    .bind(context)
    .bind(&event.id)
    .bind(&event.kind)
    .bind(String::from_utf8_lossy(&event.to_json()).into_owned())
    .bind(error)
    .bind(now_ms())
    .fetch_one(db.pool())
    .await?;
    row.try_get::<i64, _>("attempts")
}

pub async fn mark_dead(db: &Database, context: &str, event_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE event_failures SET dead_at = $1 WHERE context = $2 AND event_id = $3")
        .bind(now_ms())
        .bind(context)
        .bind(event_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Forgets the failures of an event its handler has now handled.
pub async fn clear_failure(conn: &mut AnyConnection, context: &str, event_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM event_failures WHERE context = $1 AND event_id = $2")
        .bind(context)
        .bind(event_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// An event one context gave up on, or is still retrying.
#[derive(Clone, Debug, Serialize)]
pub struct Failure {
    pub context: String,
    pub event: Event,
    pub attempts: i64,
    pub last_error: String,
    pub failed_at: i64,
    pub dead_at: Option<i64>,
}

/// Dead letters, oldest first; only those of `event_ids` when given.
pub async fn dead_letters(db: &Database, event_ids: &[String]) -> Result<Vec<Failure>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT context, event, attempts, last_error, failed_at, dead_at FROM event_failures \
         WHERE dead_at IS NOT NULL ORDER BY dead_at, event_id",
    )
    .fetch_all(db.pool())
    .await?;
    let all: Vec<Failure> = rows.iter().map(failure_from_row).collect::<Result<_, _>>()?;
    Ok(all.into_iter().filter(|f| event_ids.is_empty() || event_ids.contains(&f.event.id)).collect())
}

fn failure_from_row(row: &sqlx::any::AnyRow) -> Result<Failure, sqlx::Error> {
    let event: String = row.try_get("event")?;
    Ok(Failure {
        context: row.try_get("context")?,
        event: serde_json::from_str(&event).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        attempts: row.try_get("attempts")?,
        last_error: row.try_get("last_error")?,
        failed_at: row.try_get("failed_at")?,
        dead_at: row.try_get("dead_at")?,
    })
}

/// Gives a dead letter its attempts back, for a replay.
pub async fn revive(db: &Database, context: &str, event_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE event_failures SET attempts = 0, dead_at = NULL WHERE context = $1 AND event_id = $2")
        .bind(context)
        .bind(event_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// A row of the outbox, for `athlos events list`.
#[derive(Clone, Debug, Serialize)]
pub struct OutboxEntry {
    pub event: Event,
    pub published_at: Option<i64>,
}

/// The newest events of the outbox, newest first.
pub async fn recent(db: &Database, limit: u32) -> Result<Vec<OutboxEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, kind, subject_id, user_id, payload, created_at, published_at FROM outbox_events \
         ORDER BY seq DESC, id DESC LIMIT $1",
    )
    .bind(limit as i64)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| Ok(OutboxEntry { event: event_from_row(row)?, published_at: row.try_get("published_at")? }))
        .collect()
}
