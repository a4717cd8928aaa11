//! Notifications' SQL.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::model::{Channel, Notification, Preference};
use platform::db::{now_ms, rfc3339, Reads};

/// A notice to keep, from the event that asked for it.
pub struct NewNotice<'a> {
    pub event_id: &'a str,
    pub user_id: &'a str,
    pub kind: &'a str,
    pub subject_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
    pub title: &'a str,
    pub data: &'a serde_json::Value,
}

const COLUMNS: &str = "id, kind, subject_id, actor_id, title, data, read_at, created_at";

/// Keeps the notice; none when its event was handled before.
pub async fn insert(conn: &mut AnyConnection, notice: &NewNotice<'_>) -> Result<Option<Notification>, sqlx::Error> {
    let id = uuid::Uuid::now_v7().to_string();
    let inserted = sqlx::query(
        "INSERT INTO notifications (id, user_id, kind, subject_id, actor_id, title, data, created_at, event_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(&id)
    .bind(notice.user_id)
    .bind(notice.kind)
    .bind(notice.subject_id)
    .bind(notice.actor_id)
    .bind(notice.title)
    .bind(notice.data.to_string())
    .bind(now_ms())
    .bind(notice.event_id)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(None);
    }
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM notifications WHERE id = $1"))
        .bind(&id)
        .fetch_one(&mut *conn)
        .await?;
    notification(&row).map(Some)
}

fn notification(row: &AnyRow) -> Result<Notification, sqlx::Error> {
    let data: String = row.try_get("data")?;
    Ok(Notification {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        subject_id: row.try_get("subject_id")?,
        actor_id: row.try_get("actor_id")?,
        title: row.try_get("title")?,
        data: serde_json::from_str(&data).unwrap_or(serde_json::Value::Null),
        read: row.try_get::<Option<i64>, _>("read_at")?.is_some(),
        created_at: rfc3339(row.try_get("created_at")?),
    })
}

/// Newest first, older than the notification `before` when given; one more than `limit`
/// tells the caller there is a next page.
pub async fn page(
    conn: &mut impl Reads,
    user_id: &str,
    before: Option<&str>,
    limit: u32,
) -> Result<Vec<Notification>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM notifications WHERE user_id = $1 AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3"
    );
    let query = sqlx::query(&sql).bind(user_id).bind(before.unwrap_or("")).bind(i64::from(limit) + 1);
    let rows = conn.fetch_all(query).await?;
    rows.iter().map(notification).collect()
}

pub async fn unread(conn: &mut impl Reads, user_id: &str) -> Result<i64, sqlx::Error> {
    let query = sqlx::query("SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL");
    conn.fetch_one(query.bind(user_id)).await?.try_get("n")
}

/// Marks one of the person's notifications read; false when it is not theirs (or not there).
pub async fn mark_read(conn: &mut AnyConnection, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let marked = sqlx::query("UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE user_id = $2 AND id = $3")
        .bind(now_ms())
        .bind(user_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(marked.rows_affected() == 1)
}

pub async fn mark_all_read(conn: &mut AnyConnection, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now_ms())
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn channel(conn: &mut AnyConnection, user_id: &str, kind: &str) -> Result<Channel, sqlx::Error> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT channel FROM notification_preferences WHERE user_id = $1 AND kind = $2")
            .bind(user_id)
            .bind(kind)
            .fetch_optional(conn)
            .await?;
    Ok(stored.map(|c| Channel::parse(&c)).unwrap_or_default())
}

pub async fn preferences(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<Preference>, sqlx::Error> {
    let rows = sqlx::query("SELECT kind, channel FROM notification_preferences WHERE user_id = $1 ORDER BY kind")
        .bind(user_id)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Preference { kind: r.try_get("kind")?, channel: Channel::parse(&r.try_get::<String, _>("channel")?) })
        })
        .collect()
}

pub async fn set_preference(
    conn: &mut AnyConnection,
    user_id: &str,
    kind: &str,
    channel: Channel,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO notification_preferences (user_id, kind, channel) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, kind) DO UPDATE SET channel = excluded.channel",
    )
    .bind(user_id)
    .bind(kind)
    .bind(channel.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

/// Unread notices of the kinds people want in a digest, not mailed yet:
/// (user id, notification), by person.
pub async fn due_for_digest(conn: &mut AnyConnection, limit: u32) -> Result<Vec<(String, Notification)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT n.user_id, n.id, n.kind, n.subject_id, n.actor_id, n.title, n.data, n.read_at, n.created_at \
         FROM notifications n JOIN notification_preferences p \
         ON p.user_id = n.user_id AND p.kind = n.kind AND p.channel = 'digest' \
         WHERE n.read_at IS NULL AND n.digested_at IS NULL ORDER BY n.user_id, n.id LIMIT $1",
    )
    .bind(i64::from(limit))
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("user_id")?, notification(r)?))).collect()
}

pub async fn mark_digested(conn: &mut AnyConnection, ids: &[String]) -> Result<(), sqlx::Error> {
    for id in ids {
        sqlx::query("UPDATE notifications SET digested_at = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Everything kept of a person, gone with their account.
pub async fn erase(conn: &mut AnyConnection, user_id: &str) -> Result<(), sqlx::Error> {
    for table in ["notifications", "notification_preferences"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1")).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}
