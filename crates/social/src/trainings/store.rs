//! The copy of trainings' SQL.

use platform::db::NullableDouble;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::Training;
use crate::error::Result;
use crate::profiles::{ProfileRecord, ProfileTotals};

pub const COLUMNS: &str =
    "workout_id, user_id, privacy, sport, title, started_at, duration_s, distance_m, elevation_m, shape";

pub fn from_row(row: &AnyRow) -> Result<Training> {
    Ok(Training {
        workout_id: row.try_get("workout_id")?,
        user_id: row.try_get("user_id")?,
        privacy: row.try_get("privacy")?,
        sport: row.try_get("sport")?,
        title: row.try_get("title")?,
        started_at: row.try_get("started_at")?,
        duration_s: row.try_get("duration_s")?,
        distance_m: row.try_get("distance_m")?,
        elevation_m: row.try_get("elevation_m")?,
        shape: serde_json::from_str(&row.try_get::<String, _>("shape")?).unwrap_or_default(),
    })
}

pub async fn last_event(conn: &mut AnyConnection, workout_id: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT last_event_id FROM social_trainings WHERE workout_id = $1")
        .bind(workout_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.try_get("last_event_id")).transpose()?)
}

/// The training, unless it was deleted.
pub async fn get(conn: &mut AnyConnection, workout_id: &str) -> Result<Option<Training>> {
    let sql = format!("SELECT {COLUMNS} FROM social_trainings WHERE workout_id = $1 AND deleted = 0");
    sqlx::query(&sql).bind(workout_id).fetch_optional(conn).await?.as_ref().map(from_row).transpose()
}

pub async fn put(conn: &mut AnyConnection, t: &Training, event_id: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO social_trainings (workout_id, user_id, last_event_id, deleted, privacy, sport, title, started_at,
            duration_s, distance_m, elevation_m, shape) VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (workout_id) DO UPDATE SET last_event_id = excluded.last_event_id, deleted = 0,
            privacy = excluded.privacy, sport = excluded.sport, title = excluded.title, started_at = excluded.started_at,
            duration_s = excluded.duration_s, distance_m = excluded.distance_m, elevation_m = excluded.elevation_m,
            shape = excluded.shape",
    )
    .bind(&t.workout_id)
    .bind(&t.user_id)
    .bind(event_id)
    .bind(&t.privacy)
    .bind(&t.sport)
    .bind(&t.title)
    .bind(t.started_at)
    .bind(t.duration_s)
    .bind(NullableDouble(t.distance_m))
    .bind(NullableDouble(t.elevation_m))
    .bind(t.shape.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// The training's fastest stretches, replacing those it had.
pub async fn put_efforts(
    conn: &mut AnyConnection,
    workout_id: &str,
    user_id: &str,
    efforts: &[(f64, f64)],
) -> Result<()> {
    sqlx::query("DELETE FROM social_efforts WHERE workout_id = $1").bind(workout_id).execute(&mut *conn).await?;
    for (distance_m, seconds) in efforts.iter().filter(|(d, s)| d.is_finite() && s.is_finite() && *s > 0.0) {
        sqlx::query(
            "INSERT INTO social_efforts (workout_id, user_id, distance_m, seconds) VALUES ($1, $2, $3, $4)
             ON CONFLICT (workout_id, distance_m) DO UPDATE SET seconds = excluded.seconds",
        )
        .bind(workout_id)
        .bind(user_id)
        .bind(distance_m)
        .bind(seconds)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A tombstone, so that a late `WorkoutRecorded` does not bring it back.
pub async fn mark_deleted(conn: &mut AnyConnection, workout_id: &str, user_id: &str, event_id: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO social_trainings (workout_id, user_id, last_event_id, deleted, privacy, sport, title, started_at,
            duration_s, shape) VALUES ($1, $2, $3, 1, 'private', '', '', 0, 0, '[]')
         ON CONFLICT (workout_id) DO UPDATE SET last_event_id = excluded.last_event_id, deleted = 1",
    )
    .bind(workout_id)
    .bind(user_id)
    .bind(event_id)
    .execute(&mut *conn)
    .await?;
    for sql in [
        "DELETE FROM kudos WHERE workout_id = $1",
        "DELETE FROM comments WHERE workout_id = $1",
        "DELETE FROM social_efforts WHERE workout_id = $1",
    ] {
        sqlx::query(sql).bind(workout_id).execute(&mut *conn).await?;
    }
    Ok(())
}

fn privacy_list(privacies: &[&str]) -> String {
    privacies.iter().map(|p| format!("'{p}'")).collect::<Vec<_>>().join(", ")
}

pub async fn totals(conn: &mut AnyConnection, user_id: &str, privacies: &[&str]) -> Result<ProfileTotals> {
    // The privacies are this crate's constants, never input.
    let sql = format!(
        "SELECT COUNT(*) AS n, COALESCE(SUM(distance_m), 0.0) AS distance, COALESCE(SUM(duration_s), 0.0) AS duration
         FROM social_trainings WHERE user_id = $1 AND deleted = 0 AND privacy IN ({})",
        privacy_list(privacies)
    );
    let row = sqlx::query(&sql).bind(user_id).fetch_one(conn).await?;
    Ok(ProfileTotals {
        trainings: row.try_get("n")?,
        distance_m: row.try_get("distance")?,
        duration_s: row.try_get("duration")?,
    })
}

/// The fastest effort per sport and distance among the person's trainings
/// of these privacies; on a tie, the earlier training holds the record.
pub async fn records(conn: &mut AnyConnection, user_id: &str, privacies: &[&str]) -> Result<Vec<ProfileRecord>> {
    let sql = format!(
        "SELECT sport, distance_m, seconds, workout_id, started_at FROM (
            SELECT t.sport, e.distance_m, e.seconds, e.workout_id, t.started_at, ROW_NUMBER() OVER (
                PARTITION BY t.sport, e.distance_m ORDER BY e.seconds, t.started_at, e.workout_id) AS place
            FROM social_efforts e JOIN social_trainings t ON t.workout_id = e.workout_id
            WHERE e.user_id = $1 AND t.deleted = 0 AND t.privacy IN ({})) ranked
         WHERE place = 1 ORDER BY sport, distance_m",
        privacy_list(privacies)
    );
    let rows = sqlx::query(&sql).bind(user_id).fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            Ok(ProfileRecord {
                sport: row.try_get("sport")?,
                distance_m: row.try_get("distance_m")?,
                seconds: row.try_get("seconds")?,
                workout_id: row.try_get("workout_id")?,
                started_at: platform::db::rfc3339(row.try_get("started_at")?),
            })
        })
        .collect()
}

pub async fn recent(conn: &mut AnyConnection, user_id: &str, privacies: &[&str], limit: i64) -> Result<Vec<Training>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM social_trainings WHERE user_id = $1 AND deleted = 0 AND privacy IN ({})
         ORDER BY started_at DESC, workout_id DESC LIMIT $2",
        privacy_list(privacies)
    );
    sqlx::query(&sql).bind(user_id).bind(limit).fetch_all(conn).await?.iter().map(from_row).collect()
}

/// A person's trainings gone with them, and what others said of them.
pub async fn erase_user(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    for sql in [
        "DELETE FROM social_efforts WHERE user_id = $1",
        "DELETE FROM kudos WHERE workout_id IN (SELECT workout_id FROM social_trainings WHERE user_id = $1)",
        "DELETE FROM comments WHERE workout_id IN (SELECT workout_id FROM social_trainings WHERE user_id = $1)",
        "DELETE FROM social_trainings WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}
