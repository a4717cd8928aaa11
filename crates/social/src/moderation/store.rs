//! Reports' and moderation actions' SQL.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{Action, LoggedAction, Reason, StoredReport, Subject};
use crate::error::{Result, SocialError};

const COLUMNS: &str =
    "id, reporter_id, subject_kind, subject_id, subject_owner, reason, details, state, outcome, created_at, resolved_at";

fn word<T: serde::de::DeserializeOwned>(text: String) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(text))
        .map_err(|e| SocialError::Internal(format!("a stored word is unknown: {e}")))
}

fn text<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

fn from_row(row: &AnyRow) -> Result<StoredReport> {
    Ok(StoredReport {
        id: row.try_get("id")?,
        reporter_id: row.try_get("reporter_id")?,
        subject: word::<Subject>(row.try_get("subject_kind")?)?,
        subject_id: row.try_get("subject_id")?,
        subject_owner: row.try_get("subject_owner")?,
        reason: word::<Reason>(row.try_get("reason")?)?,
        details: row.try_get("details")?,
        state: row.try_get("state")?,
        outcome: row.try_get("outcome")?,
        created_at: row.try_get("created_at")?,
        resolved_at: row.try_get("resolved_at")?,
    })
}

/// Files the report; false when the reporter has one open on the subject.
pub async fn add_report(conn: &mut AnyConnection, r: &StoredReport, content: Option<&str>) -> Result<bool> {
    let sql = format!(
        "INSERT INTO reports ({COLUMNS}, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, NULL, $10)
         ON CONFLICT (reporter_id, subject_kind, subject_id) WHERE state = 'open' DO NOTHING"
    );
    let done = sqlx::query(&sql)
        .bind(&r.id)
        .bind(&r.reporter_id)
        .bind(text(r.subject))
        .bind(&r.subject_id)
        .bind(&r.subject_owner)
        .bind(text(r.reason))
        .bind(&r.details)
        .bind(&r.state)
        .bind(r.created_at)
        .bind(content)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The text of a reported chat message, as it was when reported.
pub async fn reported_text(conn: &mut AnyConnection, message_id: &str) -> Result<Option<String>> {
    let row = sqlx::query(
        "SELECT content FROM reports WHERE subject_kind = 'message' AND subject_id = $1 AND content IS NOT NULL LIMIT 1",
    )
    .bind(message_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.try_get("content")).transpose()?)
}

pub async fn filed_since(conn: &mut AnyConnection, reporter: &str, since: i64) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM reports WHERE reporter_id = $1 AND created_at >= $2")
        .bind(reporter)
        .bind(since)
        .fetch_one(conn)
        .await?;
    Ok(row.try_get("n")?)
}

pub async fn report(conn: &mut AnyConnection, id: &str) -> Result<Option<StoredReport>> {
    let sql = format!("SELECT {COLUMNS} FROM reports WHERE id = $1");
    sqlx::query(&sql).bind(id).fetch_optional(conn).await?.as_ref().map(from_row).transpose()
}

pub async fn reports_by(conn: &mut AnyConnection, reporter: &str) -> Result<Vec<StoredReport>> {
    let sql = format!("SELECT {COLUMNS} FROM reports WHERE reporter_id = $1 ORDER BY id DESC LIMIT 200");
    sqlx::query(&sql).bind(reporter).fetch_all(conn).await?.iter().map(from_row).collect()
}

/// Oldest first: the queue is worked from its front.
pub async fn queue(conn: &mut AnyConnection, state: &str) -> Result<Vec<StoredReport>> {
    let sql = format!("SELECT {COLUMNS} FROM reports WHERE state = $1 ORDER BY id LIMIT 200");
    sqlx::query(&sql).bind(state).fetch_all(conn).await?.iter().map(from_row).collect()
}

/// Decides an open report; false when someone decided it first.
pub async fn resolve(conn: &mut AnyConnection, id: &str, state: &str, outcome: &str, now: i64) -> Result<bool> {
    let done =
        sqlx::query("UPDATE reports SET state = $1, outcome = $2, resolved_at = $3 WHERE id = $4 AND state = 'open'")
            .bind(state)
            .bind(outcome)
            .bind(now)
            .bind(id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn log_action(
    conn: &mut AnyConnection,
    moderator: &str,
    report: &StoredReport,
    action: Action,
    reason: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO moderation_actions (id, moderator_id, report_id, action, subject_kind, subject_id, target_id, reason,
            created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(moderator)
    .bind(&report.id)
    .bind(text(action))
    .bind(text(report.subject))
    .bind(&report.subject_id)
    .bind(&report.subject_owner)
    .bind(reason)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn actions(conn: &mut AnyConnection) -> Result<Vec<LoggedAction>> {
    let rows = sqlx::query(
        "SELECT id, moderator_id, report_id, action, subject_kind, subject_id, target_id, reason, created_at
         FROM moderation_actions ORDER BY id DESC LIMIT 200",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(LoggedAction {
                id: row.try_get("id")?,
                moderator_id: row.try_get("moderator_id")?,
                report_id: row.try_get("report_id")?,
                action: word(row.try_get("action")?)?,
                subject: word(row.try_get("subject_kind")?)?,
                subject_id: row.try_get("subject_id")?,
                target_id: row.try_get("target_id")?,
                reason: row.try_get("reason")?,
                created_at: platform::db::rfc3339(row.try_get("created_at")?),
            })
        })
        .collect()
}

/// The reports a person filed go with them; the moderators' log stays.
pub async fn erase_user(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM reports WHERE reporter_id = $1").bind(user_id).execute(conn).await?;
    Ok(())
}
