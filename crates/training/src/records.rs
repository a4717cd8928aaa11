//! Personal records: the fastest time over each standard distance, the
//! longest workout and the most climbing, per sport. Worked out from the
//! workouts as they are now, so adding, changing or deleting one is
//! reflected at once and a deleted workout never holds a record.

use std::collections::BTreeMap;

use platform::db::rfc3339;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use utoipa::{IntoParams, ToSchema};

use crate::error::Result;
use crate::Training;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Record {
    /// Seconds for a best effort; metres or seconds for the others.
    pub value: f64,
    pub workout_id: String,
    pub achieved_at: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BestEffortRecord {
    pub distance_m: f64,
    #[serde(flatten)]
    pub record: Record,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct SportRecords {
    pub sport: String,
    /// Fastest time over 400 m, 1 km, 1 mile, 5 km, 10 km, half and full marathon.
    pub best_efforts: Vec<BestEffortRecord>,
    pub longest_distance: Option<Record>,
    pub longest_duration: Option<Record>,
    pub most_elevation_gain: Option<Record>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordsQuery {
    /// Only this sport.
    pub sport: Option<String>,
}

impl Training {
    pub async fn records(&self, user_id: &str, query: RecordsQuery) -> Result<Vec<SportRecords>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let mut by_sport: BTreeMap<String, SportRecords> = BTreeMap::new();
        let efforts = sqlx::query(
            "SELECT sport_id, distance_m, seconds, workout_id, started_at FROM workout_efforts
             WHERE user_id = $1 ORDER BY sport_id, distance_m, seconds, started_at",
        )
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?;
        for row in &efforts {
            let sport: String = row.try_get("sport_id")?;
            let distance: f64 = row.try_get("distance_m")?;
            let records = entry(&mut by_sport, &sport);
            // Sorted by time within a distance: the first is the record.
            if records.best_efforts.last().is_some_and(|e| e.distance_m == distance) {
                continue;
            }
            let record = record(row.try_get("seconds")?, row.try_get("workout_id")?, row.try_get("started_at")?);
            records.best_efforts.push(BestEffortRecord { distance_m: distance, record });
        }
        let workouts = sqlx::query(
            "SELECT id, sport_id, started_at, distance_m, duration_s, elevation_gain_m FROM workouts
             WHERE user_id = $1 AND state = 'ready' ORDER BY started_at",
        )
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?;
        for row in &workouts {
            let sport: String = row.try_get("sport_id")?;
            let (id, at): (String, i64) = (row.try_get("id")?, row.try_get("started_at")?);
            let records = entry(&mut by_sport, &sport);
            keep_highest(&mut records.longest_distance, row.try_get("distance_m")?, &id, at);
            keep_highest(&mut records.longest_duration, Some(row.try_get("duration_s")?), &id, at);
            keep_highest(&mut records.most_elevation_gain, row.try_get("elevation_gain_m")?, &id, at);
        }
        Ok(by_sport.into_values().filter(|r| query.sport.as_ref().is_none_or(|s| *s == r.sport)).collect())
    }
}

fn entry<'a>(by_sport: &'a mut BTreeMap<String, SportRecords>, sport: &str) -> &'a mut SportRecords {
    by_sport.entry(sport.to_string()).or_insert_with(|| SportRecords { sport: sport.to_string(), ..Default::default() })
}

fn record(value: f64, workout_id: String, at: i64) -> Record {
    Record { value, workout_id, achieved_at: rfc3339(at) }
}

/// Keeps the higher value; on a tie the earlier workout keeps the record.
fn keep_highest(current: &mut Option<Record>, value: Option<f64>, id: &str, at: i64) {
    let Some(value) = value.filter(|v| *v > 0.0) else { return };
    if current.as_ref().is_none_or(|r| value > r.value) {
        *current = Some(record(value, id.to_string(), at));
    }
}
