//! All SQL of the sports catalogue.

use sqlx::{AnyConnection, Row};

use super::Sport;
use crate::error::Result;

fn from_row(row: &sqlx::any::AnyRow) -> Result<Sport, sqlx::Error> {
    Ok(Sport {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        icon: row.try_get("icon")?,
        has_distance: row.try_get::<i64, _>("has_distance")? != 0,
        position: row.try_get("position")?,
    })
}

pub async fn all(conn: &mut AnyConnection) -> Result<Vec<Sport>> {
    let rows = sqlx::query("SELECT id, name, icon, has_distance, position FROM sports ORDER BY position, name")
        .fetch_all(conn)
        .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<Sport>> {
    let row = sqlx::query("SELECT id, name, icon, has_distance, position FROM sports WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// Adds a sport; false when one with its id exists.
pub(super) async fn insert(conn: &mut AnyConnection, sport: &Sport) -> Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO sports (id, name, icon, has_distance, position, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&sport.id)
    .bind(&sport.name)
    .bind(&sport.icon)
    .bind(i64::from(sport.has_distance))
    .bind(sport.position)
    .bind(platform::db::now_ms())
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() > 0)
}

/// Writes the sport `id` as `sport` says (its id stays).
pub(super) async fn update(conn: &mut AnyConnection, id: &str, sport: &Sport) -> Result<()> {
    sqlx::query("UPDATE sports SET name = $1, icon = $2, has_distance = $3, position = $4 WHERE id = $5")
        .bind(&sport.name)
        .bind(&sport.icon)
        .bind(i64::from(sport.has_distance))
        .bind(sport.position)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// How many workouts are of this sport.
pub(super) async fn workouts_of(conn: &mut AnyConnection, id: &str) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM workouts WHERE sport_id = $1").bind(id).fetch_one(conn).await?)
}

/// Removes a sport; false when there was none.
pub(super) async fn delete(conn: &mut AnyConnection, id: &str) -> Result<bool> {
    let deleted = sqlx::query("DELETE FROM sports WHERE id = $1").bind(id).execute(conn).await?;
    Ok(deleted.rows_affected() > 0)
}
