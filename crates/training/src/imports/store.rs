//! All SQL of bulk imports.

use platform::db::{now_ms, rfc3339};
use sqlx::{AnyConnection, Row};

use super::{ImportStatus, Progress};
use crate::error::Result;

const COLUMNS: &str = "id, state, total, processed, imported, duplicates, problems, created_at, updated_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<ImportStatus> {
    Ok(ImportStatus {
        id: row.try_get("id")?,
        state: row.try_get("state")?,
        total: row.try_get("total")?,
        processed: row.try_get("processed")?,
        imported: row.try_get("imported")?,
        duplicates: row.try_get("duplicates")?,
        problems: serde_json::from_str(&row.try_get::<String, _>("problems")?)?,
        created_at: rfc3339(row.try_get("created_at")?),
        updated_at: rfc3339(row.try_get("updated_at")?),
    })
}

/// Records an import of the archive at `file_key`, queued.
pub(super) async fn insert(conn: &mut AnyConnection, import_id: &str, user_id: &str, file_key: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO workout_imports (id, user_id, state, file_key, total, processed, imported, duplicates, problems,
            created_at, updated_at)
         VALUES ($1, $2, 'queued', $3, 0, 0, 0, 0, '[]', $4, $4)",
    )
    .bind(import_id)
    .bind(user_id)
    .bind(file_key)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// One of the person's imports; none when it is not theirs.
pub(super) async fn of_user_by_id(
    conn: &mut AnyConnection,
    user_id: &str,
    import_id: &str,
) -> Result<Option<ImportStatus>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM workout_imports WHERE id = $1 AND user_id = $2"))
        .bind(import_id)
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The person's latest 50 imports, newest first.
pub(super) async fn of_user(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<ImportStatus>> {
    let rows =
        sqlx::query(&format!("SELECT {COLUMNS} FROM workout_imports WHERE user_id = $1 ORDER BY id DESC LIMIT 50"))
            .bind(user_id)
            .fetch_all(conn)
            .await?;
    rows.iter().map(from_row).collect()
}

/// What the import job needs to know of an import.
pub(super) struct Queued {
    pub user_id: String,
    /// queued, running, done or failed.
    pub state: String,
    pub file_key: String,
}

pub(super) async fn queued(conn: &mut AnyConnection, import_id: &str) -> Result<Option<Queued>> {
    let row = sqlx::query("SELECT user_id, state, file_key FROM workout_imports WHERE id = $1")
        .bind(import_id)
        .fetch_optional(conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(Queued {
        user_id: row.try_get("user_id")?,
        state: row.try_get("state")?,
        file_key: row.try_get("file_key")?,
    }))
}

/// Saves an import's state and counts, unless it has finished already.
pub(super) async fn save(conn: &mut AnyConnection, id: &str, state: &str, p: &Progress) -> Result<()> {
    sqlx::query(
        "UPDATE workout_imports SET state = $1, total = $2, processed = $3, imported = $4, duplicates = $5,
            problems = $6, updated_at = $7 WHERE id = $8 AND state IN ('queued', 'running')",
    )
    .bind(state)
    .bind(p.total as i64)
    .bind(p.processed as i64)
    .bind(p.imported as i64)
    .bind(p.duplicates as i64)
    .bind(serde_json::to_string(&p.problems)?)
    .bind(now_ms())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
