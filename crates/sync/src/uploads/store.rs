//! Upload sessions and their parts.

use sqlx::{AnyConnection, Row};

use super::Upload;

const COLUMNS: &str = "id, user_id, workout_id, photo_id, name, size, received, completed_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Upload, sqlx::Error> {
    Ok(Upload {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        workout_id: row.try_get("workout_id")?,
        photo_id: Some(row.try_get::<String, _>("photo_id")?).filter(|id| !id.is_empty()),
        name: row.try_get("name")?,
        size: row.try_get("size")?,
        offset: row.try_get("received")?,
        done: row.try_get::<Option<i64>, _>("completed_at")?.is_some(),
        workout: None,
        photo: None,
    })
}

/// Starts a session unless the person has one for this training already.
pub async fn open(conn: &mut AnyConnection, upload: &Upload, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sync_uploads (id, user_id, workout_id, photo_id, name, size, received, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7) ON CONFLICT (user_id, workout_id, photo_id) DO NOTHING",
    )
    .bind(&upload.id)
    .bind(&upload.user_id)
    .bind(&upload.workout_id)
    .bind(upload.photo_id.as_deref().unwrap_or_default())
    .bind(&upload.name)
    .bind(upload.size)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The person's upload of the training's file (`photo_id` none) or of one of its photos.
pub async fn of_target(
    conn: &mut AnyConnection,
    user_id: &str,
    workout_id: &str,
    photo_id: Option<&str>,
) -> Result<Option<Upload>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM sync_uploads WHERE user_id = $1 AND workout_id = $2 AND photo_id = $3");
    let row = sqlx::query(&sql)
        .bind(user_id)
        .bind(workout_id)
        .bind(photo_id.unwrap_or_default())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The person's session; anyone else's is not found.
pub async fn own(conn: &mut AnyConnection, user_id: &str, id: &str) -> Result<Option<Upload>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM sync_uploads WHERE user_id = $1 AND id = $2");
    let row = sqlx::query(&sql).bind(user_id).bind(id).fetch_optional(conn).await?;
    row.as_ref().map(from_row).transpose()
}

/// Counts a part stored at `start` if the session is still there: `false`
/// when another part took that place first.
pub async fn add_part(
    conn: &mut AnyConnection,
    id: &str,
    start: i64,
    len: i64,
    key: &str,
) -> Result<bool, sqlx::Error> {
    let moved = sqlx::query("UPDATE sync_uploads SET received = received + $3 WHERE id = $1 AND received = $2")
        .bind(id)
        .bind(start)
        .bind(len)
        .execute(&mut *conn)
        .await?;
    if moved.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("INSERT INTO sync_upload_parts (upload_id, start, blob_key) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(start)
        .bind(key)
        .execute(conn)
        .await?;
    Ok(true)
}

pub async fn parts(conn: &mut AnyConnection, id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT blob_key FROM sync_upload_parts WHERE upload_id = $1 ORDER BY start")
        .bind(id)
        .fetch_all(conn)
        .await
}

pub async fn complete(conn: &mut AnyConnection, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sync_uploads SET completed_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sync_upload_parts WHERE upload_id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// Forgets a session whose file was refused, so that the device may start over.
pub async fn drop_upload(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sync_upload_parts WHERE upload_id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM sync_uploads WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// Sessions started before `before`, finished or not (compaction).
pub async fn older_than(conn: &mut AnyConnection, before: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT id, user_id FROM sync_uploads WHERE created_at < $1").bind(before).fetch_all(conn).await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("user_id")?))).collect()
}

pub async fn erase_user(conn: &mut AnyConnection, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sync_upload_parts WHERE upload_id IN (SELECT id FROM sync_uploads WHERE user_id = $1)")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sync_uploads WHERE user_id = $1").bind(user_id).execute(conn).await?;
    Ok(())
}
