//! The finder's SQL: opt-ins, the deck's cell query, activity and speeds.

use sqlx::{AnyConnection, Row};

use super::deck::Found;
use super::{Seeker, SportLevel};
use crate::cells;
use crate::error::{PartnersError, Result};

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
    let centre = cells::centre(&s.cell).ok_or_else(|| PartnersError::invalid("home_area", "not a geohash"))?;
    for level in &s.sports {
        sqlx::query(
            "INSERT INTO partner_sports
                 (user_id, sport, min_kmh, max_kmh, cell, cell4, cell_lat, cell_lon, radius_km, days, times,
                  opted_in_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&s.user_id)
        .bind(&level.sport)
        .bind(level.min_kmh)
        .bind(level.max_kmh)
        .bind(&s.cell)
        .bind(&s.cell[..4])
        .bind(centre.0)
        .bind(centre.1)
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

/// What a deck query ranks by, besides the rows it reads.
pub struct Ranking {
    /// The caller's cell's centre.
    pub lat: f64,
    pub lon: f64,
    /// The trainings since when count as recent (7 and 30 days).
    pub week_ago: i64,
    pub month_ago: i64,
}

/// The people in `cells` (cut to `precision`) who look for company in the
/// sport at an overlapping level, share a day and a time, lie within both
/// radii and whom `me` has not swiped: the best `limit` of them by the
/// deck's score, worked out in SQL with the distance between cell centres
/// taken as an octagon's (within 8 % of the circle's), which the caller
/// then scores exactly. The cells are read through the cell index.
pub async fn near(
    conn: &mut AnyConnection,
    me: &Seeker,
    level: &SportLevel,
    (precision, cells): (usize, &[String]),
    ranking: &Ranking,
    limit: i64,
) -> Result<Vec<Found>> {
    let column = if precision == 5 { "cell" } else { "cell4" };
    let list: Vec<String> = (0..cells.len()).map(|i| format!("${}", i + 17)).collect();
    let bits = |x: &str, n: usize| (0..n).map(|b| format!("((({x}) >> {b}) & 1)")).collect::<Vec<_>>().join(" + ");
    let sql = format!(
        "SELECT user_id, min_kmh, max_kmh, cell, radius_km, days, times, opted_in_at, last_trained_at FROM (
           SELECT s.user_id, s.min_kmh, s.max_kmh, s.cell, s.radius_km, s.days, s.times, s.opted_in_at,
                  a.last_trained_at,
                  ABS((s.cell_lat - $9) * 111.195) AS dy, ABS((s.cell_lon - $10) * $11) AS dx
           FROM partner_sports s LEFT JOIN partner_activity a ON a.user_id = s.user_id
           WHERE s.sport = $1 AND s.user_id <> $2 AND s.min_kmh <= $3 AND s.max_kmh >= $4
             AND (s.days & $5) <> 0 AND (s.times & $6) <> 0
             AND NOT EXISTS (SELECT 1 FROM partner_swipes w WHERE w.swiper_id = $2 AND w.target_id = s.user_id)
             AND s.{column} IN ({})
         ) found
         WHERE dx * dx + dy * dy <= $12 * $12 * 1.05 AND dx * dx + dy * dy <= radius_km * radius_km * 1.05
         ORDER BY 0.40 * (1 - (CASE WHEN dx > dy THEN dx + 0.41 * dy ELSE dy + 0.41 * dx END) / $12)
                + 0.25 * (1 - CASE WHEN ABS((min_kmh + max_kmh) / 2 - $13) > $14 THEN 1
                                   ELSE ABS((min_kmh + max_kmh) / 2 - $13) / $14 END)
                + 0.20 * (({}) * ({})) / $15
                + 0.15 * (CASE WHEN last_trained_at >= $16 THEN 1.0 WHEN last_trained_at >= $8 THEN 0.5 ELSE 0.0 END)
                DESC, opted_in_at, user_id
         LIMIT $7",
        list.join(", "),
        bits("days & $5", 7),
        bits("times & $6", 4),
    );
    let slots = (me.days.count_ones() * me.times.count_ones()).max(1) as f64;
    let mut query = sqlx::query(&sql)
        .bind(&level.sport)
        .bind(&me.user_id)
        .bind(level.max_kmh)
        .bind(level.min_kmh)
        .bind(me.days)
        .bind(me.times)
        .bind(limit)
        .bind(ranking.month_ago)
        .bind(ranking.lat)
        .bind(ranking.lon)
        .bind(111.195 * ranking.lat.to_radians().cos())
        .bind(me.radius_km as f64)
        .bind((level.min_kmh + level.max_kmh) / 2.0)
        .bind((level.max_kmh - level.min_kmh).max(1.0))
        .bind(slots)
        .bind(ranking.week_ago);
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
