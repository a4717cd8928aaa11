//! What inventory asks training: its sports, and a person's trainings with
//! their equipment (to count usage again from scratch). The binary answers
//! with the training context.

use futures::future::BoxFuture;

/// What one training adds to each item it was done with.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingUse {
    pub workout_id: String,
    pub started_ms: i64,
    pub distance_m: f64,
    pub moving_s: f64,
    pub elevation_m: f64,
    pub equipment_ids: Vec<String>,
}

pub trait Trainings: Send + Sync {
    /// The ids of the sports in the catalogue.
    fn sports(&self) -> BoxFuture<'_, Result<Vec<String>, String>>;

    /// Every training of the person that is ready (read, not deleted).
    fn of_user<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Vec<TrainingUse>, String>>;
}
