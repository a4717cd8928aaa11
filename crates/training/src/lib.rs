//! Training: the sports catalogue, workouts logged by hand or read from
//! GPX / TCX / FIT files, their statistics, personal records, photos,
//! export and bulk import.

mod analysis;
pub mod equipment;
pub mod erasure;
pub mod error;
mod events;
pub mod imports;
mod live;
mod moderation;
pub mod offline;
mod orphans;
pub mod people;
mod personal_data;
mod photos;
mod records;
mod routes;
mod sharing;
pub mod sports;
mod stats;
mod titles;
mod uploads;
pub mod visibility;
pub mod workouts;

use std::sync::Arc;

use platform::http::Authenticator;
use platform::jobs::JobHandlers;
use platform::Platform;
use sqlx::migrate::Migrator;

pub use error::TrainingError;
pub use sharing::SharePreview;

pub static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// The name training's event consumers and inbox rows go by.
pub const CONTEXT: &str = "training";

/// The training context's state: the platform, who tells who is calling,
/// and whom to ask about people and followers.
#[derive(Clone)]
pub struct Training {
    pub platform: Platform,
    authenticator: Arc<dyn Authenticator>,
    people: Arc<dyn people::People>,
    followers: Arc<dyn visibility::Followers>,
    equipment: Arc<dyn equipment::Equipment>,
    analyses: Arc<workouts::KeptAnalyses>,
}

impl Training {
    pub fn new(platform: Platform, authenticator: Arc<dyn Authenticator>, people: Arc<dyn people::People>) -> Self {
        Self {
            platform,
            authenticator,
            people,
            followers: Arc::new(visibility::NoFollowers),
            equipment: Arc::new(equipment::NoEquipment),
            analyses: Arc::new(workouts::KeptAnalyses::new(workouts::ANALYSES_BUDGET)),
        }
    }

    /// Whom to ask who follows and who blocked whom.
    pub fn with_followers(mut self, followers: Arc<dyn visibility::Followers>) -> Self {
        self.followers = followers;
        self
    }

    /// Whom to ask whether equipment is a person's, and what their defaults are.
    pub fn with_equipment(mut self, equipment: Arc<dyn equipment::Equipment>) -> Self {
        self.equipment = equipment;
        self
    }

    pub fn routes(&self) -> utoipa_axum::router::OpenApiRouter<Platform> {
        routes::all(&self.platform.config).with_state(self.clone())
    }

    /// The jobs training runs: reading large files, thumbnails, imports,
    /// and the hourly sweep of files no workout refers to.
    pub fn register_jobs(&self, handlers: &mut JobHandlers) {
        workouts::register_jobs(self, handlers);
        photos::register_jobs(self, handlers);
        imports::register_jobs(self, handlers);
        orphans::register_jobs(self, handlers);
    }

    /// What training does with events: erasing a deleted person's training
    /// (identity's `UserDeleted`), and telling a person's open devices of
    /// their own workouts' changes (its own), and taking deleted equipment
    /// off workouts (inventory's `EquipmentDeleted`), and making a training
    /// a moderator hid private (social's `TrainingHidden`).
    pub fn register_events(&self, handlers: &mut platform::events::EventHandlers) {
        erasure::register_events(self, handlers);
        live::register_events(self, handlers);
        equipment::register_events(self, handlers);
        moderation::register_events(self, handlers);
    }

    /// How a person's workouts get into their export.
    pub fn personal_data(&self) -> Arc<dyn platform::personal_data::PersonalData> {
        Arc::new(personal_data::TrainingData(self.clone()))
    }
}

/// For platform's `Caller` extractor in training's handlers.
impl axum::extract::FromRef<Training> for Arc<dyn Authenticator> {
    fn from_ref(training: &Training) -> Arc<dyn Authenticator> {
        training.authenticator.clone()
    }
}

impl axum::extract::FromRef<Training> for Platform {
    fn from_ref(training: &Training) -> Platform {
        training.platform.clone()
    }
}
