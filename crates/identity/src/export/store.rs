//! SQL of data exports.

use platform::db::now_ms;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::error::Result;
use crate::secrets;

/// An export as its owner sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportInfo {
    pub id: String,
    /// `pending` while the archive is made, then `ready` (the link is in the mail) or `failed`.
    pub status: String,
    pub size_bytes: Option<i64>,
    /// Epoch milliseconds.
    pub created_at: i64,
    pub ready_at: Option<i64>,
    /// After this the link no longer works; ask for a new export.
    pub expires_at: Option<i64>,
}

const COLUMNS: &str = "id, status, size_bytes, created_at, ready_at, expires_at";

fn info_from(row: &sqlx::any::AnyRow) -> Result<ExportInfo> {
    Ok(ExportInfo {
        id: row.try_get("id")?,
        status: row.try_get("status")?,
        size_bytes: row.try_get("size_bytes")?,
        created_at: row.try_get("created_at")?,
        ready_at: row.try_get("ready_at")?,
        expires_at: row.try_get("expires_at")?,
    })
}

pub async fn has_pending(conn: &mut AnyConnection, user_id: &str) -> Result<bool> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM data_exports WHERE user_id = $1 AND status = 'pending'")
        .bind(user_id)
        .fetch_one(conn)
        .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

pub async fn insert(conn: &mut AnyConnection, user_id: &str) -> Result<ExportInfo> {
    let info = ExportInfo {
        id: uuid::Uuid::now_v7().to_string(),
        status: "pending".into(),
        size_bytes: None,
        created_at: now_ms(),
        ready_at: None,
        expires_at: None,
    };
    sqlx::query("INSERT INTO data_exports (id, user_id, status, created_at) VALUES ($1, $2, 'pending', $3)")
        .bind(&info.id)
        .bind(user_id)
        .bind(info.created_at)
        .execute(conn)
        .await?;
    Ok(info)
}

pub async fn list(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<ExportInfo>> {
    let sql = format!("SELECT {COLUMNS} FROM data_exports WHERE user_id = $1 ORDER BY created_at DESC, id DESC");
    let rows = sqlx::query(&sql).bind(user_id).fetch_all(conn).await?;
    rows.iter().map(info_from).collect()
}

/// The owner of a pending export, if it is still pending (and its owner still there).
pub async fn pending_owner(conn: &mut AnyConnection, id: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT user_id FROM data_exports WHERE id = $1 AND status = 'pending'")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.try_get("user_id")).transpose()?)
}

/// Marks an export ready; returns the token of its download link.
pub async fn mark_ready(conn: &mut AnyConnection, id: &str, key: &str, size: i64, ttl_ms: i64) -> Result<String> {
    let token = secrets::new_token();
    let now = now_ms();
    sqlx::query(
        "UPDATE data_exports SET status = 'ready', file_key = $1, size_bytes = $2, download_hash = $3,
         ready_at = $4, expires_at = $5 WHERE id = $6",
    )
    .bind(key)
    .bind(size)
    .bind(secrets::hash(&token))
    .bind(now)
    .bind(now + ttl_ms)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(token)
}

pub async fn mark_failed(conn: &mut AnyConnection, id: &str) -> Result<()> {
    sqlx::query("UPDATE data_exports SET status = 'failed' WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// Every earlier ready export of the user: superseded by a new one.
pub async fn superseded(conn: &mut AnyConnection, user_id: &str, newest: &str) -> Result<Vec<(String, String)>> {
    let rows =
        sqlx::query("SELECT id, file_key FROM data_exports WHERE user_id = $1 AND id <> $2 AND file_key IS NOT NULL")
            .bind(user_id)
            .bind(newest)
            .fetch_all(conn)
            .await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("file_key")?))).collect()
}

pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM data_exports WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// The file behind a live download link.
pub struct Download {
    pub key: String,
    pub size: i64,
    pub created_at: i64,
}

pub async fn download(conn: &mut AnyConnection, token: &str) -> Result<Option<Download>> {
    let row = sqlx::query(
        "SELECT file_key, size_bytes, created_at FROM data_exports
         WHERE download_hash = $1 AND status = 'ready' AND expires_at > $2",
    )
    .bind(secrets::hash(token))
    .bind(now_ms())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(Download {
            key: r.try_get("file_key")?,
            size: r.try_get("size_bytes")?,
            created_at: r.try_get("created_at")?,
        })
    })
    .transpose()
}
