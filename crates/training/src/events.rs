//! What training tells the other contexts: `WorkoutRecorded`,
//! `WorkoutUpdated` and `WorkoutDeleted` in the outbox, and a change-log row
//! for the sync protocol, both in the transaction of the change.

use platform::change_log::{self, Operation};
use platform::outbox::{self, DomainEvent};
use serde::Serialize;
use sqlx::AnyConnection;

use crate::error::Result;
use crate::workouts::model::Workout;

pub const RECORDED: &str = "WorkoutRecorded";
pub const UPDATED: &str = "WorkoutUpdated";
pub const DELETED: &str = "WorkoutDeleted";

/// What the others need to know of a workout: inventory adds the distance
/// to the equipment, competition looks at the best efforts, social shows it.
#[derive(Serialize)]
struct WorkoutFacts<'a> {
    workout_id: &'a str,
    user_id: &'a str,
    sport: &'a str,
    privacy: &'a str,
    started_at: &'a str,
    started_ms: i64,
    duration_s: f64,
    moving_s: Option<f64>,
    distance_m: Option<f64>,
    elevation_gain_m: Option<f64>,
    equipment_ids: &'a [String],
    /// `[metres, seconds]` of the fastest stretches inside the workout.
    best_efforts: &'a [(f64, f64)],
    title: &'a str,
    /// The map's shape, at most `SHAPE_POINTS` `[lat, lon]` (null between
    /// segments); absent when the event does not come with the file's
    /// reading (an edit), so consumers keep what they had.
    #[serde(skip_serializing_if = "Option::is_none")]
    shape: Option<Vec<serde_json::Value>>,
}

/// Enough points to draw a route the size of a feed entry.
pub const SHAPE_POINTS: usize = 64;

/// Notes the change for the person's devices.
pub async fn log_change(conn: &mut AnyConnection, workout: &Workout, operation: Operation) -> Result<()> {
    change_log::record(conn, &workout.user_id, "workout", &workout.id, operation).await?;
    Ok(())
}

/// Tells the other contexts. A workout read by a job is `RECORDED` once
/// its numbers are known, not when its file arrived.
pub async fn publish(
    conn: &mut AnyConnection,
    kind: &str,
    workout: &Workout,
    efforts: &[(f64, f64)],
    analysis: Option<&str>,
) -> Result<()> {
    let facts = WorkoutFacts {
        workout_id: &workout.id,
        user_id: &workout.user_id,
        sport: &workout.sport,
        privacy: workout.privacy.as_str(),
        started_at: &workout.started_at,
        started_ms: workout.started_ms,
        duration_s: workout.measures.duration_s,
        moving_s: workout.measures.moving_s,
        distance_m: workout.measures.distance_m,
        elevation_gain_m: workout.measures.elevation_gain_m,
        equipment_ids: &workout.equipment_ids,
        best_efforts: efforts,
        title: &workout.title,
        shape: analysis.and_then(small_shape),
    };
    let event = DomainEvent { kind, subject_id: &workout.id, user_id: &workout.user_id, payload: &facts };
    outbox::record(conn, &event).await?;
    Ok(())
}

/// The analysis' map shape thinned to at most `SHAPE_POINTS`, its last point kept.
fn small_shape(analysis: &str) -> Option<Vec<serde_json::Value>> {
    let analysis: serde_json::Value = serde_json::from_str(analysis).ok()?;
    let shape = analysis.get("shape")?.as_array()?;
    if shape.is_empty() {
        return None;
    }
    let step = shape.len().div_ceil(SHAPE_POINTS);
    let mut thin: Vec<serde_json::Value> = shape.iter().step_by(step).cloned().collect();
    if (shape.len() - 1) % step != 0 {
        if thin.len() >= SHAPE_POINTS {
            thin.pop();
        }
        thin.push(shape[shape.len() - 1].clone());
    }
    Some(thin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shape_is_thinned_to_a_feed_entrys_size_keeping_its_ends() {
        let points: Vec<serde_json::Value> = (0..1000).map(|i| serde_json::json!([i, i])).collect();
        let analysis = serde_json::json!({ "shape": points }).to_string();
        let thin = small_shape(&analysis).unwrap();
        assert!(thin.len() <= SHAPE_POINTS, "{}", thin.len());
        assert_eq!(thin[0], serde_json::json!([0, 0]));
        assert_eq!(thin[thin.len() - 1], serde_json::json!([999, 999]));
        assert_eq!(small_shape(r#"{"splits": []}"#), None);
    }
}
