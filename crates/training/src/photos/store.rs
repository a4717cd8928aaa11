//! All SQL of workout photos.

use platform::db::{now_ms, rfc3339};
use sqlx::{AnyConnection, Row};

use super::Photo;
use crate::error::Result;

const COLUMNS: &str = "id, workout_id, content_type, size, width, height, file_key, thumbnail_key, created_at";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Photo> {
    let thumbnail_key: Option<String> = row.try_get("thumbnail_key")?;
    Ok(Photo {
        id: row.try_get("id")?,
        workout_id: row.try_get("workout_id")?,
        content_type: row.try_get("content_type")?,
        size: row.try_get("size")?,
        width: row.try_get("width")?,
        height: row.try_get("height")?,
        thumbnail_ready: thumbnail_key.is_some(),
        created_at: rfc3339(row.try_get("created_at")?),
        file_key: row.try_get("file_key")?,
        thumbnail_key,
    })
}

/// A photo to record, its file already on the file store.
pub(super) struct NewPhoto<'a> {
    pub id: &'a str,
    pub workout_id: &'a str,
    pub user_id: &'a str,
    pub content_type: &'a str,
    pub file_key: &'a str,
    pub size: i64,
    pub width: i64,
    pub height: i64,
}

/// Takes the workout's row lock (SQLite's write lock) until the transaction ends.
pub(super) async fn lock_workout(conn: &mut AnyConnection, workout_id: &str) -> Result<()> {
    sqlx::query("UPDATE workouts SET updated_at = updated_at WHERE id = $1").bind(workout_id).execute(conn).await?;
    Ok(())
}

pub(super) async fn count_of_workout(conn: &mut AnyConnection, workout_id: &str) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM workout_photos WHERE workout_id = $1")
        .bind(workout_id)
        .fetch_one(conn)
        .await?)
}

pub(super) async fn insert(conn: &mut AnyConnection, photo: &NewPhoto<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO workout_photos (id, workout_id, user_id, content_type, file_key, size, width, height, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(photo.id)
    .bind(photo.workout_id)
    .bind(photo.user_id)
    .bind(photo.content_type)
    .bind(photo.file_key)
    .bind(photo.size)
    .bind(photo.width)
    .bind(photo.height)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn of_workout(conn: &mut AnyConnection, workout_id: &str) -> Result<Vec<Photo>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM workout_photos WHERE workout_id = $1 ORDER BY id"))
        .bind(workout_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// A photo of this workout; none when the workout has no such photo.
pub(super) async fn of_workout_by_id(
    conn: &mut AnyConnection,
    workout_id: &str,
    photo_id: &str,
) -> Result<Option<Photo>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM workout_photos WHERE id = $1 AND workout_id = $2"))
        .bind(photo_id)
        .bind(workout_id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub(super) async fn by_id(conn: &mut AnyConnection, photo_id: &str) -> Result<Option<Photo>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM workout_photos WHERE id = $1"))
        .bind(photo_id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub(super) async fn set_thumbnail(conn: &mut AnyConnection, photo_id: &str, key: &str) -> Result<()> {
    sqlx::query("UPDATE workout_photos SET thumbnail_key = $1 WHERE id = $2")
        .bind(key)
        .bind(photo_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes a photo's row; false when it was gone already.
pub(super) async fn delete(conn: &mut AnyConnection, photo_id: &str) -> Result<bool> {
    let deleted = sqlx::query("DELETE FROM workout_photos WHERE id = $1").bind(photo_id).execute(conn).await?;
    Ok(deleted.rows_affected() > 0)
}

/// The keys of every photo and thumbnail of a workout.
pub(crate) async fn file_keys(conn: &mut AnyConnection, workout_id: &str) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT file_key, thumbnail_key FROM workout_photos WHERE workout_id = $1")
        .bind(workout_id)
        .fetch_all(conn)
        .await?;
    let mut keys = Vec::with_capacity(rows.len() * 2);
    for row in rows {
        keys.push(row.try_get("file_key")?);
        keys.extend(row.try_get::<Option<String>, _>("thumbnail_key")?);
    }
    Ok(keys)
}
