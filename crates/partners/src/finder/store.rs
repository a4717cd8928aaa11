//! The finder's SQL: opt-ins, the deck's cell query, activity and speeds.

use sqlx::{AnyConnection, Row};

use super::deck::Found;
use super::{Seeker, SportLevel};
use crate::error::Result;

pub async fn seeker(conn: &mut AnyConnection, user_id: &str) -> Result<Option<Seeker>> {
    let Some(row) = sqlx::query(
        "SELECT user_id, cell, radius_km, days, times, opted_in_at FROM partner_seekers WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let sports = sqlx::query("SELECT sport, min_kmh, max_kmh FROM partner_sports WHERE user_id = $1 ORDER BY sport")
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(SportLevel {
                sport: r.try_get("sport")?,
                min_kmh: r.try_get("min_kmh")?,
                max_kmh: r.try_get("max_kmh")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(Seeker {
        user_id: row.try_get("user_id")?,
        cell: row.try_get("cell")?,
        radius_km: row.try_get::<i64, _>("radius_km")? as u32,
        days: row.try_get::<i64, _>("days")?,
        times: row.try_get::<i64, _>("times")?,
        opted_in_at: row.try_get("opted_in_at")?,
        sports,
    }))
}

/// Writes the opt-in and its sports afresh.
pub async fn put(conn: &mut AnyConnection, s: &Seeker, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO partner_seekers (user_id, cell, radius_km, days, times, opted_in_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_id) DO UPDATE SET cell = excluded.cell, radius_km = excluded.radius_km,
             days = excluded.days, times = excluded.times, updated_at = excluded.updated_at",
    )
    .bind(&s.user_id)
    .bind(&s.cell)
    .bind(s.radius_km as i64)
    .bind(s.days)
    .bind(s.times)
    .bind(s.opted_in_at)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM partner_sports WHERE user_id = $1").bind(&s.user_id).execute(&mut *conn).await?;
    for level in &s.sports {
        sqlx::query(
            "INSERT INTO partner_sports
                 (user_id, sport, min_kmh, max_kmh, cell, cell4, cell3, radius_km, days, times, opted_in_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&s.user_id)
        .bind(&level.sport)
        .bind(level.min_kmh)
        .bind(level.max_kmh)
        .bind(&s.cell)
        .bind(&s.cell[..4])
        .bind(&s.cell[..3])
        .bind(s.radius_km as i64)
        .bind(s.days)
        .bind(s.times)
        .bind(s.opted_in_at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Opts out; false when the person was not in.
pub async fn remove(conn: &mut AnyConnection, user_id: &str) -> Result<bool> {
    sqlx::query("DELETE FROM partner_sports WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    let done = sqlx::query("DELETE FROM partner_seekers WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn is_seeking(conn: &mut AnyConnection, user_id: &str) -> Result<bool> {
    let row = sqlx::query("SELECT 1 AS one FROM partner_seekers WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

/// The people in `cells` (cut to `precision`) who look for company in the
/// sport at an overlapping level, share a day and a time, and whom `me` has
/// not swiped: at most `limit`, read through the cell index.
pub async fn near(
    conn: &mut AnyConnection,
    me: &Seeker,
    level: &SportLevel,
    precision: usize,
    cells: &[String],
    limit: i64,
) -> Result<Vec<Found>> {
    let column = if precision == 4 { "cell4" } else { "cell3" };
    let list: Vec<String> = (0..cells.len()).map(|i| format!("${}", i + 8)).collect();
    let sql = format!(
        "SELECT s.user_id, s.min_kmh, s.max_kmh, s.cell, s.radius_km, s.days, s.times, s.opted_in_at,
                a.last_trained_at
         FROM partner_sports s LEFT JOIN partner_activity a ON a.user_id = s.user_id
         WHERE s.sport = $1 AND s.user_id <> $2 AND s.min_kmh <= $3 AND s.max_kmh >= $4
           AND (s.days & $5) <> 0 AND (s.times & $6) <> 0
           AND NOT EXISTS (SELECT 1 FROM partner_swipes w WHERE w.swiper_id = $2 AND w.target_id = s.user_id)
           AND s.{column} IN ({})
         LIMIT $7",
        list.join(", ")
    );
    let mut query = sqlx::query(&sql)
        .bind(&level.sport)
        .bind(&me.user_id)
        .bind(level.max_kmh)
        .bind(level.min_kmh)
        .bind(me.days)
        .bind(me.times)
        .bind(limit);
    for cell in cells {
        query = query.bind(cell);
    }
    let rows = query.fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            Ok(Found {
                user_id: r.try_get("user_id")?,
                level: SportLevel {
                    sport: level.sport.clone(),
                    min_kmh: r.try_get("min_kmh")?,
                    max_kmh: r.try_get("max_kmh")?,
                },
                cell: r.try_get("cell")?,
                radius_km: r.try_get::<i64, _>("radius_km")? as u32,
                days: r.try_get::<i64, _>("days")?,
                times: r.try_get::<i64, _>("times")?,
                opted_in_at: r.try_get("opted_in_at")?,
                last_trained_at: r.try_get("last_trained_at")?,
            })
        })
        .collect()
}

/// Notes a training: when the person last trained, and its speed.
pub async fn record_training(
    conn: &mut AnyConnection,
    workout_id: &str,
    user_id: &str,
    sport: &str,
    kmh: Option<f64>,
    trained_at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO partner_activity (user_id, last_trained_at) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET last_trained_at =
             CASE WHEN excluded.last_trained_at > partner_activity.last_trained_at
                  THEN excluded.last_trained_at ELSE partner_activity.last_trained_at END",
    )
    .bind(user_id)
    .bind(trained_at)
    .execute(&mut *conn)
    .await?;
    if let Some(kmh) = kmh {
        sqlx::query(
            "INSERT INTO partner_speeds (workout_id, user_id, sport, kmh, trained_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (workout_id) DO UPDATE SET sport = excluded.sport, kmh = excluded.kmh,
                 trained_at = excluded.trained_at",
        )
        .bind(workout_id)
        .bind(user_id)
        .bind(sport)
        .bind(kmh)
        .bind(trained_at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn forget_training(conn: &mut AnyConnection, workout_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM partner_speeds WHERE workout_id = $1").bind(workout_id).execute(conn).await?;
    Ok(())
}

/// Speeds since `since`, by sport, each list sorted.
pub async fn speeds(conn: &mut AnyConnection, user_id: &str, since: i64) -> Result<Vec<(String, Vec<f64>)>> {
    let rows = sqlx::query(
        "SELECT sport, kmh FROM partner_speeds WHERE user_id = $1 AND trained_at >= $2 ORDER BY sport, kmh",
    )
    .bind(user_id)
    .bind(since)
    .fetch_all(conn)
    .await?;
    let mut out: Vec<(String, Vec<f64>)> = Vec::new();
    for row in rows {
        let (sport, kmh): (String, f64) = (row.try_get("sport")?, row.try_get("kmh")?);
        match out.last_mut() {
            Some((s, list)) if *s == sport => list.push(kmh),
            _ => out.push((sport, vec![kmh])),
        }
    }
    Ok(out)
}

pub async fn erase_user(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    for sql in [
        "DELETE FROM partner_sports WHERE user_id = $1",
        "DELETE FROM partner_seekers WHERE user_id = $1",
        "DELETE FROM partner_activity WHERE user_id = $1",
        "DELETE FROM partner_speeds WHERE user_id = $1",
        "DELETE FROM partner_settings WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}
