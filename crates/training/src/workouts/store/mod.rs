//! All SQL of workouts and their efforts: here the rows of one workout,
//! in `listing` the lists, in `summaries` what records and totals read.

mod listing;
mod summaries;

pub use listing::{list, Listing};
pub use summaries::{counted_between, efforts_of_user, record_candidates};

use platform::db::{rfc3339, NullableDouble, Reads};
use sqlx::{AnyConnection, Row};

use super::model::{Measures, OriginalFile, Privacy, Workout, WorkoutState};
use crate::error::Result;

pub const COLUMNS: &str = "id, user_id, sport_id, title, notes, privacy, state, failure, started_at, duration_s, \
    moving_s, distance_m, elevation_gain_m, elevation_loss_m, average_speed_mps, max_speed_mps, average_heart_rate, \
    max_heart_rate, equipment_ids, file_format, file_name, file_key, file_size, file_sha256, created_at, updated_at";

pub fn from_row(row: &sqlx::any::AnyRow) -> Result<Workout> {
    let started_ms: i64 = row.try_get("started_at")?;
    let file_format: Option<String> = row.try_get("file_format")?;
    let file = match file_format {
        Some(format) => Some(OriginalFile {
            format,
            name: row.try_get::<Option<String>, _>("file_name")?.unwrap_or_default(),
            size: row.try_get::<Option<i64>, _>("file_size")?.unwrap_or_default(),
            sha256: row.try_get("file_sha256")?,
        }),
        None => None,
    };
    Ok(Workout {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        sport: row.try_get("sport_id")?,
        title: row.try_get("title")?,
        notes: row.try_get("notes")?,
        privacy: Privacy::parse(&row.try_get::<String, _>("privacy")?).unwrap_or(Privacy::Private),
        state: WorkoutState::parse(&row.try_get::<String, _>("state")?),
        failure: row.try_get("failure")?,
        started_at: rfc3339(started_ms),
        started_ms,
        measures: Measures {
            duration_s: row.try_get("duration_s")?,
            moving_s: row.try_get("moving_s")?,
            distance_m: row.try_get("distance_m")?,
            elevation_gain_m: row.try_get("elevation_gain_m")?,
            elevation_loss_m: row.try_get("elevation_loss_m")?,
            average_speed_mps: row.try_get("average_speed_mps")?,
            max_speed_mps: row.try_get("max_speed_mps")?,
            average_heart_rate: row.try_get("average_heart_rate")?,
            max_heart_rate: row.try_get("max_heart_rate")?,
        },
        equipment_ids: serde_json::from_str(&row.try_get::<String, _>("equipment_ids")?)?,
        file,
        file_key: row.try_get("file_key")?,
        created_at: rfc3339(row.try_get("created_at")?),
        updated_at: rfc3339(row.try_get("updated_at")?),
        analysis: None,
        owner: None,
    })
}

/// What is written for a new workout besides its shown fields.
pub struct Stored<'a> {
    pub workout: &'a Workout,
    pub analysis: Option<&'a str>,
    pub client_key: Option<&'a super::Idempotency>,
}

pub async fn insert(conn: &mut AnyConnection, new: Stored<'_>) -> Result<()> {
    let w = new.workout;
    let now = platform::db::now_ms();
    let query = sqlx::query(
        "INSERT INTO workouts (id, user_id, sport_id, title, notes, privacy, state, failure, started_at, duration_s,
            moving_s, distance_m, elevation_gain_m, elevation_loss_m, average_speed_mps, max_speed_mps,
            average_heart_rate, max_heart_rate, equipment_ids, file_format, file_name, file_key, file_size,
            file_sha256, analysis, client_key, client_fingerprint, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
            $23, $24, $25, $26, $27, $28, $28)",
    )
    .bind(&w.id)
    .bind(&w.user_id);
    bind_fields(query, w)?
        .bind(w.file.as_ref().map(|f| f.format.clone()))
        .bind(w.file.as_ref().map(|f| f.name.clone()))
        .bind(w.file_key.as_deref())
        .bind(w.file.as_ref().map(|f| f.size))
        .bind(w.file.as_ref().and_then(|f| f.sha256.clone()))
        .bind(new.analysis)
        .bind(new.client_key.map(|k| k.key.as_str()))
        .bind(new.client_key.map(|k| k.fingerprint.as_str()))
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Writes what a person changed. The numbers of a workout read from a file
/// stay the file's, even if a job records them meanwhile. False when the
/// workout is gone (deleted by a request that ran at the same time).
pub async fn update_details(conn: &mut AnyConnection, w: &Workout) -> Result<bool> {
    let m = &w.measures;
    let changed = sqlx::query(
        "UPDATE workouts SET sport_id = $1, title = $2, notes = $3, privacy = $4, equipment_ids = $5,
            started_at = CASE WHEN file_key IS NULL THEN $6 ELSE started_at END,
            duration_s = CASE WHEN file_key IS NULL THEN $7 ELSE duration_s END,
            distance_m = CASE WHEN file_key IS NULL THEN $8 ELSE distance_m END,
            elevation_gain_m = CASE WHEN file_key IS NULL THEN $9 ELSE elevation_gain_m END,
            average_speed_mps = CASE WHEN file_key IS NULL THEN $10 ELSE average_speed_mps END,
            updated_at = $11
         WHERE id = $12",
    )
    .bind(&w.sport)
    .bind(&w.title)
    .bind(&w.notes)
    .bind(w.privacy.as_str())
    .bind(serde_json::to_string(&w.equipment_ids)?)
    .bind(w.started_ms)
    .bind(m.duration_s)
    .bind(NullableDouble(m.distance_m))
    .bind(NullableDouble(m.elevation_gain_m))
    .bind(NullableDouble(m.average_speed_mps))
    .bind(platform::db::now_ms())
    .bind(&w.id)
    .execute(conn)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// Writes what reading the file found (or why it failed), only while the
/// workout still waits for it; a person's privacy, notes and equipment,
/// changed meanwhile, are left alone. False when it no longer waits.
pub async fn record_reading(conn: &mut AnyConnection, w: &Workout, analysis: Option<&str>) -> Result<bool> {
    let query = sqlx::query(
        "UPDATE workouts SET sport_id = $1, title = $2, state = $3, failure = $4, started_at = $5, duration_s = $6,
            moving_s = $7, distance_m = $8, elevation_gain_m = $9, elevation_loss_m = $10, average_speed_mps = $11,
            max_speed_mps = $12, average_heart_rate = $13, max_heart_rate = $14, file_format = $15,
            analysis = $16, updated_at = $17
         WHERE id = $18 AND state = 'processing'",
    )
    .bind(&w.sport)
    .bind(&w.title)
    .bind(w.state.as_str())
    .bind(w.failure.as_deref());
    let done = bind_measures(query, w)
        .bind(w.file.as_ref().map(|f| f.format.clone()))
        .bind(analysis)
        .bind(platform::db::now_ms())
        .bind(&w.id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

type Statement<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// The fields from `sport_id` to `equipment_ids`, in the insert's order.
fn bind_fields<'q>(query: Statement<'q>, w: &'q Workout) -> Result<Statement<'q>> {
    let query = query
        .bind(&w.sport)
        .bind(&w.title)
        .bind(&w.notes)
        .bind(w.privacy.as_str())
        .bind(w.state.as_str())
        .bind(w.failure.as_deref());
    Ok(bind_measures(query, w).bind(serde_json::to_string(&w.equipment_ids)?))
}

/// The start and the measured numbers, from `started_at` to `max_heart_rate`
/// in the order the insert and the job's update both name them.
fn bind_measures<'q>(query: Statement<'q>, w: &'q Workout) -> Statement<'q> {
    let m = &w.measures;
    query
        .bind(w.started_ms)
        .bind(m.duration_s)
        .bind(NullableDouble(m.moving_s))
        .bind(NullableDouble(m.distance_m))
        .bind(NullableDouble(m.elevation_gain_m))
        .bind(NullableDouble(m.elevation_loss_m))
        .bind(NullableDouble(m.average_speed_mps))
        .bind(NullableDouble(m.max_speed_mps))
        .bind(NullableDouble(m.average_heart_rate))
        .bind(m.max_heart_rate)
}

/// Locks the person's workout for the rest of the transaction (a write
/// that changes nothing: SQLite and PostgreSQL both lock on it); `false`
/// when it is not theirs or not there.
pub async fn lock_own(conn: &mut AnyConnection, user_id: &str, id: &str) -> Result<bool> {
    let locked = sqlx::query("UPDATE workouts SET id = id WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(locked.rows_affected() == 1)
}

/// Whose workout `id` is, if it is there.
pub async fn owner_of(conn: &mut AnyConnection, id: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT user_id FROM workouts WHERE id = $1").bind(id).fetch_optional(conn).await?)
}

/// The person's workouts among `ids`; others' and missing ones are left out.
pub async fn own_many(conn: &mut AnyConnection, user_id: &str, ids: &[String]) -> Result<Vec<Workout>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(200) {
        let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!("SELECT {COLUMNS} FROM workouts WHERE user_id = $1 AND id IN ({})", marks.join(", "));
        let mut query = sqlx::query(&sql).bind(user_id);
        for id in chunk {
            query = query.bind(id);
        }
        for row in query.fetch_all(&mut *conn).await? {
            found.push(from_row(&row)?);
        }
    }
    Ok(found)
}

pub async fn get(conn: &mut impl Reads, id: &str) -> Result<Option<Workout>> {
    let sql = format!("SELECT {COLUMNS} FROM workouts WHERE id = $1");
    let row = conn.fetch_optional(sqlx::query(&sql).bind(id)).await?;
    row.as_ref().map(from_row).transpose()
}

/// A workout, and whether it has an analysis, without reading the
/// analysis: it is most of the row's bytes, and a reader keeps it once read.
pub async fn get_marked(conn: &mut impl Reads, id: &str) -> Result<Option<(Workout, bool)>> {
    // A number rather than a truth value: SQLite has none, and sqlx's Any
    // reads a truth value only from PostgreSQL.
    let sql = format!(
        "SELECT {COLUMNS}, CASE WHEN analysis IS NULL THEN 0 ELSE 1 END AS analysed FROM workouts WHERE id = $1"
    );
    let row = conn.fetch_optional(sqlx::query(&sql).bind(id)).await?;
    let Some(row) = row else { return Ok(None) };
    let analysed: i64 = row.try_get("analysed")?;
    Ok(Some((from_row(&row)?, analysed == 1)))
}

/// A workout's analysis as stored, to go out as it is, never parsed and
/// written again; none when it has none or is gone.
pub async fn analysis(conn: &mut impl Reads, id: &str) -> Result<Option<Box<serde_json::value::RawValue>>> {
    let query = sqlx::query("SELECT analysis FROM workouts WHERE id = $1").bind(id);
    let Some(row) = conn.fetch_optional(query).await? else { return Ok(None) };
    let analysis: Option<String> = row.try_get("analysis")?;
    Ok(analysis.map(serde_json::value::RawValue::from_string).transpose()?)
}

/// The workout an earlier request with the same `Idempotency-Key` made,
/// with the fingerprint of that request (none for workouts made before
/// fingerprints were kept).
pub async fn by_client_key(
    conn: &mut AnyConnection,
    user_id: &str,
    key: &str,
) -> Result<Option<(Workout, Option<String>)>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS}, client_fingerprint FROM workouts WHERE user_id = $1 AND client_key = $2"
    ))
    .bind(user_id)
    .bind(key)
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some((from_row(&row)?, row.try_get("client_fingerprint")?)))
}

/// A person's workout read from the file with this content.
pub async fn by_file_sha256(conn: &mut AnyConnection, user_id: &str, sha256: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT id FROM workouts WHERE user_id = $1 AND file_sha256 = $2")
        .bind(user_id)
        .bind(sha256)
        .fetch_optional(conn)
        .await?)
}

/// A person's workout that is the same training as one starting at
/// `start_ms` over `distance_m`: recorded by another device, or exported
/// and uploaded again, it starts within a minute and is as long within 2 %.
pub async fn same_training(
    conn: &mut AnyConnection,
    user_id: &str,
    start_ms: i64,
    distance_m: f64,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM workouts WHERE user_id = $1 AND started_at BETWEEN $2 AND $3
            AND distance_m BETWEEN $4 AND $5 AND state <> 'failed' ORDER BY started_at LIMIT 1",
    )
    .bind(user_id)
    .bind(start_ms - 60_000)
    .bind(start_ms + 60_000)
    .bind(distance_m * 0.98)
    .bind(distance_m * 1.02)
    .fetch_optional(conn)
    .await?)
}

/// The key of a workout's original file; none when it has none or is gone.
pub async fn file_key(conn: &mut AnyConnection, id: &str) -> Result<Option<String>> {
    let key: Option<Option<String>> =
        sqlx::query_scalar("SELECT file_key FROM workouts WHERE id = $1").bind(id).fetch_optional(conn).await?;
    Ok(key.flatten())
}

/// False when there was nothing to delete: another request got there first.
pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<bool> {
    let deleted = sqlx::query("DELETE FROM workouts WHERE id = $1").bind(id).execute(conn).await?;
    Ok(deleted.rows_affected() == 1)
}

/// Replaces a workout's best efforts (after it was read, or its sport changed).
pub async fn replace_efforts(conn: &mut AnyConnection, w: &Workout, efforts: &[(f64, f64)]) -> Result<()> {
    sqlx::query("DELETE FROM workout_efforts WHERE workout_id = $1").bind(&w.id).execute(&mut *conn).await?;
    for (distance, seconds) in efforts {
        sqlx::query(
            "INSERT INTO workout_efforts (workout_id, user_id, sport_id, distance_m, seconds, started_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&w.id)
        .bind(&w.user_id)
        .bind(&w.sport)
        .bind(distance)
        .bind(seconds)
        .bind(w.started_ms)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Keeps a workout's efforts under its sport and start after either changed.
pub async fn move_efforts(conn: &mut AnyConnection, w: &Workout) -> Result<()> {
    sqlx::query("UPDATE workout_efforts SET sport_id = $1, started_at = $2 WHERE workout_id = $3")
        .bind(&w.sport)
        .bind(w.started_ms)
        .bind(&w.id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn ids_of_user(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT id FROM workouts WHERE user_id = $1 ORDER BY started_at, id")
        .bind(user_id)
        .fetch_all(conn)
        .await?)
}

/// Everything training keeps of a person (the caller's transaction makes
/// it all or nothing).
pub async fn delete_of_user(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    for table in ["workout_imports", "workout_photos", "workout_efforts", "workouts"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1")).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Takes a deleted item of equipment off the person's workouts, noting
/// each change for their devices.
pub async fn drop_equipment(conn: &mut AnyConnection, user_id: &str, equipment_id: &str) -> Result<()> {
    let rows = sqlx::query("SELECT id, equipment_ids FROM workouts WHERE user_id = $1 AND equipment_ids LIKE $2")
        .bind(user_id)
        .bind(format!("%{equipment_id}%"))
        .fetch_all(&mut *conn)
        .await?;
    for row in rows {
        let id: String = row.try_get("id")?;
        let mut ids: Vec<String> = serde_json::from_str(&row.try_get::<String, _>("equipment_ids")?)?;
        ids.retain(|e| e != equipment_id);
        sqlx::query("UPDATE workouts SET equipment_ids = $1, updated_at = $2 WHERE id = $3")
            .bind(serde_json::to_string(&ids)?)
            .bind(platform::db::now_ms())
            .bind(&id)
            .execute(&mut *conn)
            .await?;
        platform::change_log::record(conn, user_id, "workout", &id, platform::change_log::Operation::Updated).await?;
    }
    Ok(())
}

/// What each of the person's read workouts did, with its equipment: what
/// inventory counts usage from.
pub async fn equipment_use_of(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<EquipmentUse>> {
    let rows = sqlx::query(
        "SELECT id, started_at, duration_s, moving_s, distance_m, elevation_gain_m, equipment_ids FROM workouts
         WHERE user_id = $1 AND state = 'ready' ORDER BY started_at, id",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let duration: f64 = row.try_get("duration_s")?;
            Ok(EquipmentUse {
                workout_id: row.try_get("id")?,
                started_ms: row.try_get("started_at")?,
                moving_s: row.try_get::<Option<f64>, _>("moving_s")?.unwrap_or(duration),
                distance_m: row.try_get::<Option<f64>, _>("distance_m")?.unwrap_or_default(),
                elevation_m: row.try_get::<Option<f64>, _>("elevation_gain_m")?.unwrap_or_default(),
                equipment_ids: serde_json::from_str(&row.try_get::<String, _>("equipment_ids")?)?,
            })
        })
        .collect()
}

/// One workout as inventory counts it.
#[derive(Clone, Debug)]
pub struct EquipmentUse {
    pub workout_id: String,
    pub started_ms: i64,
    pub distance_m: f64,
    pub moving_s: f64,
    pub elevation_m: f64,
    pub equipment_ids: Vec<String>,
}
