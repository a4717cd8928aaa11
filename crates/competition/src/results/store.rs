//! Competition's copy of trainings, and the global boards' bests.

use std::collections::BTreeMap;

use platform::db::NullableDouble;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::score::Counted;
use super::Copy;
use crate::boards::store::{band, count_band, global_board_name, GLOBAL_WIDTH};
use crate::error::Result;

/// Waits for, then holds until commit, the turn of changes about this person.
pub async fn take_turn(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO competition_people (user_id, changes) VALUES ($1, 1)
         ON CONFLICT (user_id) DO UPDATE SET changes = competition_people.changes + 1",
    )
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn last_event(conn: &mut AnyConnection, workout_id: &str) -> Result<Option<(String, Option<String>)>> {
    let row = sqlx::query("SELECT last_event_id, sport FROM competition_trainings WHERE workout_id = $1")
        .bind(workout_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| Ok::<_, sqlx::Error>((r.try_get("last_event_id")?, r.try_get("sport").ok()))).transpose()?)
}

pub async fn efforts_of(conn: &mut AnyConnection, workout_id: &str) -> Result<Vec<(f64, f64)>> {
    let row = sqlx::query("SELECT efforts FROM competition_trainings WHERE workout_id = $1")
        .bind(workout_id)
        .fetch_optional(conn)
        .await?;
    match row {
        Some(row) => Ok(serde_json::from_str(&row.try_get::<String, _>("efforts")?).unwrap_or_default()),
        None => Ok(Vec::new()),
    }
}

pub async fn put(conn: &mut AnyConnection, t: &Copy, event_id: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO competition_trainings (workout_id, user_id, last_event_id, deleted, privacy, sport, started_at,
            duration_s, distance_m, elevation_m, efforts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (workout_id) DO UPDATE SET last_event_id = excluded.last_event_id, deleted = excluded.deleted,
            privacy = excluded.privacy, sport = excluded.sport, started_at = excluded.started_at,
            duration_s = excluded.duration_s, distance_m = excluded.distance_m, elevation_m = excluded.elevation_m,
            efforts = excluded.efforts",
    )
    .bind(&t.workout_id)
    .bind(&t.user_id)
    .bind(event_id)
    .bind(t.deleted as i64)
    .bind(&t.privacy)
    .bind(&t.sport)
    .bind(t.started_at)
    .bind(t.duration_s)
    .bind(NullableDouble(t.distance_m))
    .bind(NullableDouble(t.elevation_m))
    .bind(serde_json::to_string(&t.efforts)?)
    .execute(conn)
    .await?;
    Ok(())
}

fn counted(row: &AnyRow) -> Result<Counted> {
    Ok(Counted {
        workout_id: row.try_get("workout_id")?,
        started_at: row.try_get("started_at")?,
        duration_s: row.try_get("duration_s")?,
        distance_m: row.try_get("distance_m")?,
        elevation_m: row.try_get("elevation_m")?,
        efforts: serde_json::from_str(&row.try_get::<String, _>("efforts")?).unwrap_or_default(),
    })
}

/// The person's trainings started in `[from, to)` that are not deleted,
/// with their sport and privacy, for the caller to keep those that count.
pub async fn in_window(
    conn: &mut AnyConnection,
    user_id: &str,
    from: i64,
    to: i64,
) -> Result<Vec<(String, String, Counted)>> {
    let rows = sqlx::query(
        "SELECT workout_id, sport, privacy, started_at, duration_s, distance_m, elevation_m, efforts
         FROM competition_trainings WHERE user_id = $1 AND started_at >= $2 AND started_at < $3 AND deleted = 0",
    )
    .bind(user_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("sport")?, r.try_get("privacy")?, counted(r)?))).collect()
}

/// The person's public trainings of a sport that have best efforts.
pub async fn public_with_efforts(conn: &mut AnyConnection, user_id: &str, sport: &str) -> Result<Vec<Counted>> {
    let rows = sqlx::query(
        "SELECT workout_id, started_at, duration_s, distance_m, elevation_m, efforts FROM competition_trainings
         WHERE user_id = $1 AND sport = $2 AND deleted = 0 AND privacy = 'public' AND efforts <> '[]'",
    )
    .bind(user_id)
    .bind(sport)
    .fetch_all(conn)
    .await?;
    rows.iter().map(counted).collect()
}

/// One best of a person on a global board.
pub struct Best<'a> {
    pub sport: &'a str,
    pub distance_m: f64,
    pub period: String,
    pub seconds: f64,
    pub achieved_at: i64,
    pub workout_id: &'a str,
}

/// Changes to the global boards' counts, (board, band) → rows, applied
/// together in the order of their keys: two people's changes then take the
/// count rows they share in one order, and neither waits on the other.
type Changes = BTreeMap<(String, i64), i64>;

/// Takes the person's bests (of one sport, or all) off the global boards.
async fn remove_bests(conn: &mut AnyConnection, user_id: &str, sport: Option<&str>) -> Result<()> {
    let mut changes = Changes::new();
    take_off(conn, user_id, sport, &mut changes).await?;
    count_in_order(conn, changes).await
}

/// Counts the person's bests out in `changes`, and deletes them.
async fn take_off(conn: &mut AnyConnection, user_id: &str, sport: Option<&str>, changes: &mut Changes) -> Result<()> {
    let rows = sqlx::query(
        "SELECT sport, distance_m, period, seconds FROM global_bests WHERE user_id = $1 AND ($2 = '' OR sport = $2)",
    )
    .bind(user_id)
    .bind(sport.unwrap_or(""))
    .fetch_all(&mut *conn)
    .await?;
    for row in &rows {
        let (sport, period): (String, String) = (row.try_get("sport")?, row.try_get("period")?);
        let board = global_board_name(&sport, row.try_get("distance_m")?, &period);
        *changes.entry((board, band(row.try_get("seconds")?, GLOBAL_WIDTH).0)).or_default() -= 1;
    }
    sqlx::query("DELETE FROM global_bests WHERE user_id = $1 AND ($2 = '' OR sport = $2)")
        .bind(user_id)
        .bind(sport.unwrap_or(""))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn replace_bests(conn: &mut AnyConnection, user_id: &str, sport: &str, bests: &[Best<'_>]) -> Result<()> {
    let mut changes = Changes::new();
    take_off(conn, user_id, Some(sport), &mut changes).await?;
    for b in bests {
        let board = global_board_name(b.sport, b.distance_m, &b.period);
        *changes.entry((board, band(b.seconds, GLOBAL_WIDTH).0)).or_default() += 1;
        sqlx::query(
            "INSERT INTO global_bests (sport, distance_m, period, user_id, seconds, achieved_at, workout_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(b.sport)
        .bind(b.distance_m)
        .bind(&b.period)
        .bind(user_id)
        .bind(b.seconds)
        .bind(b.achieved_at)
        .bind(b.workout_id)
        .execute(&mut *conn)
        .await?;
    }
    count_in_order(conn, changes).await
}

async fn count_in_order(conn: &mut AnyConnection, changes: Changes) -> Result<()> {
    for ((board, bucket), change) in changes {
        if change != 0 {
            count_band(conn, &board, bucket, change).await?;
        }
    }
    Ok(())
}

/// Every global board that has a best: sport, distance and period.
pub async fn global_boards(conn: &mut AnyConnection) -> Result<Vec<(String, f64, String)>> {
    let rows = sqlx::query("SELECT DISTINCT sport, distance_m, period FROM global_bests").fetch_all(conn).await?;
    rows.iter().map(|r| Ok((r.try_get("sport")?, r.try_get("distance_m")?, r.try_get("period")?))).collect()
}

/// A person's copies and bests gone with them.
pub async fn erase_user(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    remove_bests(conn, user_id, None).await?;
    for sql in
        ["DELETE FROM competition_trainings WHERE user_id = $1", "DELETE FROM competition_people WHERE user_id = $1"]
    {
        sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}
