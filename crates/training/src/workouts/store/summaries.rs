//! What personal records and totals read of a person's finished workouts.

use platform::db::Reads;
use sqlx::Row;

use crate::error::Result;

/// A best effort: the time one workout took over a standard distance.
pub struct Effort {
    pub sport: String,
    pub distance_m: f64,
    pub seconds: f64,
    pub workout_id: String,
    pub started_ms: i64,
}

/// A person's fastest efforts for each sport and distance, the earlier
/// first when several share the fastest time. Picked in SQL, so a long
/// history costs the database a scan and the server only the records.
/// (Window functions ranked them too, at four times the database's time.)
pub async fn efforts_of_user(conn: &mut impl Reads, user_id: &str) -> Result<Vec<Effort>> {
    let query = sqlx::query(
        "SELECT e.sport_id, e.distance_m, e.seconds, e.workout_id, e.started_at FROM workout_efforts e
         JOIN (SELECT sport_id, distance_m, MIN(seconds) AS seconds FROM workout_efforts
               WHERE user_id = $1 GROUP BY sport_id, distance_m) best
           ON best.sport_id = e.sport_id AND best.distance_m = e.distance_m AND best.seconds = e.seconds
         WHERE e.user_id = $1 ORDER BY e.sport_id, e.distance_m, e.started_at, e.workout_id",
    )
    .bind(user_id);
    let rows = conn.fetch_all(query).await?;
    rows.iter()
        .map(|row| {
            Ok(Effort {
                sport: row.try_get("sport_id")?,
                distance_m: row.try_get("distance_m")?,
                seconds: row.try_get("seconds")?,
                workout_id: row.try_get("workout_id")?,
                started_ms: row.try_get("started_at")?,
            })
        })
        .collect()
}

/// A finished workout as records weigh it.
pub struct RecordCandidate {
    pub id: String,
    pub sport: String,
    pub started_ms: i64,
    pub distance_m: Option<f64>,
    pub duration_s: f64,
    pub elevation_gain_m: Option<f64>,
}

/// The finished workouts at the best of their sport (the longest, the
/// longest in time, the most climbing), oldest first: the caller gives a
/// record to the earliest of any tie. Picked in SQL, like the efforts.
pub async fn record_candidates(conn: &mut impl Reads, user_id: &str) -> Result<Vec<RecordCandidate>> {
    let query = sqlx::query(
        // Materialised: without statistics (a new database) PostgreSQL
        // otherwise plans the aggregate again for every training.
        "WITH best AS MATERIALIZED (
           SELECT sport_id, MAX(distance_m) AS distance, MAX(duration_s) AS duration, MAX(elevation_gain_m) AS climb
           FROM workouts WHERE user_id = $1 AND state = 'ready' GROUP BY sport_id)
         SELECT w.id, w.sport_id, w.started_at, w.distance_m, w.duration_s, w.elevation_gain_m
         FROM workouts w JOIN best ON best.sport_id = w.sport_id
         WHERE w.user_id = $1 AND w.state = 'ready'
           AND (w.distance_m = best.distance OR w.duration_s = best.duration OR w.elevation_gain_m = best.climb)
         ORDER BY w.started_at, w.id",
    )
    .bind(user_id);
    let rows = conn.fetch_all(query).await?;
    rows.iter()
        .map(|row| {
            Ok(RecordCandidate {
                id: row.try_get("id")?,
                sport: row.try_get("sport_id")?,
                started_ms: row.try_get("started_at")?,
                distance_m: row.try_get("distance_m")?,
                duration_s: row.try_get("duration_s")?,
                elevation_gain_m: row.try_get("elevation_gain_m")?,
            })
        })
        .collect()
}

/// A finished workout as totals count it.
pub struct CountedWorkout {
    pub started_ms: i64,
    pub sport: String,
    pub distance_m: Option<f64>,
    pub duration_s: f64,
    pub moving_s: Option<f64>,
    pub elevation_gain_m: Option<f64>,
}

/// A person's finished workouts that started from `start_ms` until before
/// `end_ms`, of `sport` (every sport when it is empty).
pub async fn counted_between(
    conn: &mut impl Reads,
    user_id: &str,
    (start_ms, end_ms): (i64, i64),
    sport: &str,
) -> Result<Vec<CountedWorkout>> {
    let query = sqlx::query(
        "SELECT started_at, sport_id, distance_m, duration_s, moving_s, elevation_gain_m FROM workouts
         WHERE user_id = $1 AND state = 'ready' AND started_at >= $2 AND started_at < $3
           AND ($4 = '' OR sport_id = $4)",
    )
    .bind(user_id)
    .bind(start_ms)
    .bind(end_ms)
    .bind(sport.to_string());
    let rows = conn.fetch_all(query).await?;
    rows.iter()
        .map(|row| {
            Ok(CountedWorkout {
                started_ms: row.try_get("started_at")?,
                sport: row.try_get("sport_id")?,
                distance_m: row.try_get("distance_m")?,
                duration_s: row.try_get("duration_s")?,
                moving_s: row.try_get("moving_s")?,
                elevation_gain_m: row.try_get("elevation_gain_m")?,
            })
        })
        .collect()
}
