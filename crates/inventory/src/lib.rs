//! Inventory: a person's sports equipment and its parts, their usage
//! counted from training's events, wear alerts, and partners' offers shown
//! beside the equipment. See `docs/inventory.md`.

mod alerts;
pub mod components;
pub mod equipment;
mod erasure;
pub mod error;
pub mod model;
pub mod offline;
mod personal_data;
mod pictures;
pub mod promotions;
mod routes;
pub mod trainings;
pub mod usage;

use std::sync::Arc;

use platform::events::EventHandlers;
use platform::http::Authenticator;
use platform::jobs::JobHandlers;
use platform::Platform;
use sqlx::migrate::Migrator;

pub use alerts::WORN;
pub use error::InventoryError;

pub static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// The name inventory's consumers and inbox rows go by.
pub const CONTEXT: &str = "inventory";

/// The job that counts usage again from training's workouts.
pub const RECOMPUTE_JOB: &str = "inventory.recompute";

#[derive(Clone)]
pub struct Inventory {
    pub platform: Platform,
    authenticator: Arc<dyn Authenticator>,
    trainings: Arc<dyn trainings::Trainings>,
}

impl Inventory {
    pub fn new(
        platform: Platform,
        authenticator: Arc<dyn Authenticator>,
        trainings: Arc<dyn trainings::Trainings>,
    ) -> Self {
        Self { platform, authenticator, trainings }
    }

    pub fn routes(&self) -> utoipa_axum::router::OpenApiRouter<Platform> {
        routes::all(self.clone())
    }

    /// Recomputing usage, for one person or everyone.
    pub fn register_jobs(&self, handlers: &mut JobHandlers) {
        usage::register_jobs(self, handlers);
    }

    /// Usage from training's workout events; erasing a deleted person's equipment.
    pub fn register_events(&self, handlers: &mut EventHandlers) {
        usage::register_events(self, handlers);
        erasure::register_events(self, handlers);
    }

    /// How a person's equipment gets into their export.
    pub fn personal_data(&self) -> Arc<dyn platform::personal_data::PersonalData> {
        Arc::new(personal_data::InventoryData(self.clone()))
    }
}

impl axum::extract::FromRef<Inventory> for Arc<dyn Authenticator> {
    fn from_ref(this: &Inventory) -> Arc<dyn Authenticator> {
        this.authenticator.clone()
    }
}

impl axum::extract::FromRef<Inventory> for Platform {
    fn from_ref(this: &Inventory) -> Platform {
        this.platform.clone()
    }
}
