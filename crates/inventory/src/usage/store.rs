//! Usage's SQL: what each training adds to each item, and the last event
//! heard of each training.

use sqlx::{AnyConnection, Row};

use crate::error::Result;
use crate::trainings::TrainingUse;

pub async fn last_event(conn: &mut AnyConnection, workout_id: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT last_event_id FROM equipment_trainings WHERE workout_id = $1")
        .bind(workout_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.try_get("last_event_id")).transpose()?)
}

pub async fn mark(
    conn: &mut AnyConnection,
    workout_id: &str,
    user_id: &str,
    event_id: &str,
    deleted: bool,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO equipment_trainings (workout_id, user_id, last_event_id, deleted) VALUES ($1, $2, $3, $4)
         ON CONFLICT (workout_id) DO UPDATE SET last_event_id = excluded.last_event_id, deleted = excluded.deleted",
    )
    .bind(workout_id)
    .bind(user_id)
    .bind(event_id)
    .bind(i64::from(deleted))
    .execute(conn)
    .await?;
    Ok(())
}

/// The items the training counts for now.
pub async fn items_of_training(conn: &mut AnyConnection, workout_id: &str) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT equipment_id FROM equipment_usage WHERE workout_id = $1")
        .bind(workout_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|r| Ok(r.try_get("equipment_id")?)).collect()
}

pub async fn forget_training(conn: &mut AnyConnection, workout_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM equipment_usage WHERE workout_id = $1").bind(workout_id).execute(conn).await?;
    Ok(())
}

pub async fn forget_user(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    for sql in ["DELETE FROM equipment_usage WHERE user_id = $1", "DELETE FROM equipment_trainings WHERE user_id = $1"]
    {
        sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn add(conn: &mut AnyConnection, equipment_id: &str, user_id: &str, used: &TrainingUse) -> Result<()> {
    sqlx::query(
        "INSERT INTO equipment_usage (equipment_id, workout_id, user_id, started_at, distance_m, moving_s, elevation_m)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(equipment_id)
    .bind(&used.workout_id)
    .bind(user_id)
    .bind(used.started_ms)
    .bind(used.distance_m)
    .bind(used.moving_s)
    .bind(used.elevation_m)
    .execute(conn)
    .await?;
    Ok(())
}

/// The distance done with the item between `from` (inclusive) and `to`, in metres.
pub async fn distance(conn: &mut AnyConnection, equipment_id: &str, from: i64, to: Option<i64>) -> Result<f64> {
    let row = sqlx::query(
        "SELECT COALESCE(SUM(distance_m), 0.0) AS distance_m FROM equipment_usage
         WHERE equipment_id = $1 AND started_at >= $2 AND ($3 < 0 OR started_at < $3)",
    )
    .bind(equipment_id)
    .bind(from)
    .bind(to.unwrap_or(-1))
    .fetch_one(conn)
    .await?;
    Ok(row.try_get("distance_m")?)
}

pub async fn uses_since(conn: &mut AnyConnection, equipment_id: &str, since: i64) -> Result<Vec<TrainingUse>> {
    let rows = sqlx::query(
        "SELECT workout_id, started_at, distance_m, moving_s, elevation_m FROM equipment_usage
         WHERE equipment_id = $1 AND started_at >= $2",
    )
    .bind(equipment_id)
    .bind(since)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TrainingUse {
                workout_id: r.try_get("workout_id")?,
                started_ms: r.try_get("started_at")?,
                distance_m: r.try_get("distance_m")?,
                moving_s: r.try_get("moving_s")?,
                elevation_m: r.try_get("elevation_m")?,
                equipment_ids: Vec::new(),
            })
        })
        .collect()
}

pub async fn people_with_equipment(conn: &mut AnyConnection) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT DISTINCT user_id FROM equipment ORDER BY user_id").fetch_all(conn).await?;
    rows.iter().map(|r| Ok(r.try_get("user_id")?)).collect()
}
