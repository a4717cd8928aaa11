//! Personal records: the fastest time over each standard distance, the
//! longest workout and the most climbing, per sport. Worked out from the
//! workouts as they are now, so adding, changing or deleting one is
//! reflected at once and a deleted workout never holds a record.

use std::collections::BTreeMap;

use platform::db::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::Result;
use crate::workouts::store;
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
        let mut conn = self.platform.db.read().await?;
        let mut by_sport: BTreeMap<String, SportRecords> = BTreeMap::new();
        for effort in store::efforts_of_user(&mut conn, user_id).await? {
            let records = entry(&mut by_sport, &effort.sport);
            // The earliest of a tie comes first and holds the record.
            if records.best_efforts.last().is_some_and(|e| e.distance_m == effort.distance_m) {
                continue;
            }
            let record = record(effort.seconds, effort.workout_id, effort.started_ms);
            records.best_efforts.push(BestEffortRecord { distance_m: effort.distance_m, record });
        }
        for workout in store::record_candidates(&mut conn, user_id).await? {
            let (id, at) = (workout.id, workout.started_ms);
            let records = entry(&mut by_sport, &workout.sport);
            keep_highest(&mut records.longest_distance, workout.distance_m, &id, at);
            keep_highest(&mut records.longest_duration, Some(workout.duration_s), &id, at);
            keep_highest(&mut records.most_elevation_gain, workout.elevation_gain_m, &id, at);
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
