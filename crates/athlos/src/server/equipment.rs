//! Inventory and training answering each other's questions: whether
//! equipment is a person's and what their defaults are (training asks), the
//! sports and a person's workouts (inventory asks). The seam between the
//! two contexts, here so that neither depends on the other.

use futures::future::BoxFuture;
use inventory::{Inventory, InventoryError};
use training::equipment::Equipment;
use training::people::PeopleError;
use training::Training;

/// Inventory's items, as training's [`Equipment`].
pub struct Gear(pub Inventory);

impl Equipment for Gear {
    fn not_owned<'a>(&'a self, user_id: &'a str, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<String>, PeopleError>> {
        Box::pin(async move { self.0.not_owned(user_id, ids).await.map_err(asked) })
    }

    fn defaults<'a>(&'a self, user_id: &'a str, sport: &'a str) -> BoxFuture<'a, Result<Vec<String>, PeopleError>> {
        Box::pin(async move { self.0.defaults_for(user_id, sport).await.map_err(asked) })
    }

    fn named<'a>(
        &'a self,
        user_id: &'a str,
        name: &'a str,
        sport: &'a str,
    ) -> BoxFuture<'a, Result<String, PeopleError>> {
        Box::pin(async move { self.0.gear_named(user_id, name, sport).await.map_err(asked) })
    }
}

/// A database failure stays one (a crowd at the pool is a 503).
fn asked(e: InventoryError) -> PeopleError {
    match e {
        InventoryError::Sql(e) => PeopleError::Database(e),
        other => PeopleError::Other(other.to_string()),
    }
}

/// Training's workouts, as inventory's [`inventory::trainings::Trainings`].
pub struct Workouts(pub Training);

impl inventory::trainings::Trainings for Workouts {
    fn sports(&self) -> BoxFuture<'_, Result<Vec<String>, String>> {
        Box::pin(async move { self.0.sport_ids().await.map_err(|e| e.to_string()) })
    }

    fn of_user<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<inventory::trainings::TrainingUse>, String>> {
        Box::pin(async move {
            let uses = self.0.equipment_use_of(user_id).await.map_err(|e| e.to_string())?;
            Ok(uses
                .into_iter()
                .map(|u| inventory::trainings::TrainingUse {
                    workout_id: u.workout_id,
                    started_ms: u.started_ms,
                    distance_m: u.distance_m,
                    moving_s: u.moving_s,
                    elevation_m: u.elevation_m,
                    equipment_ids: u.equipment_ids,
                })
                .collect())
        })
    }
}
