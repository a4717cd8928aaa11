//! Sync: the offline sync protocol for trainings and equipment. Devices
//! pull a person's changes by number and push what they changed offline,
//! merged per field on hybrid logical clocks. See `docs/sync.md`.

pub mod clock;
mod compaction;
pub mod entities;
mod erasure;
pub mod error;
mod live;
pub mod merge;
pub mod pull;
pub mod push;
mod routes;
mod store;
pub mod uploads;

use std::sync::Arc;

use platform::events::EventHandlers;
use platform::http::Authenticator;
use platform::jobs::JobHandlers;
use platform::Platform;
use sqlx::migrate::Migrator;

pub use compaction::{Compacted, COMPACT_JOB};
pub use entities::{Current, Entities, Entity, Fields, Prepared, Refusal};
pub use error::SyncError;
pub use live::SYNC_CHANGED;

pub static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// The name sync's consumers and inbox rows go by.
pub const CONTEXT: &str = "sync";

#[derive(Clone)]
pub struct Sync {
    pub platform: Platform,
    authenticator: Arc<dyn Authenticator>,
    entities: Arc<dyn Entities>,
}

impl Sync {
    pub fn new(platform: Platform, authenticator: Arc<dyn Authenticator>, entities: Arc<dyn Entities>) -> Self {
        Self { platform, authenticator, entities }
    }

    pub fn routes(&self) -> utoipa_axum::router::OpenApiRouter<Platform> {
        routes::all(self.clone())
    }

    /// Live hints on every logged change; erasure on identity's `UserDeleted`.
    pub fn register_events(&self, handlers: &mut EventHandlers) {
        live::register_events(self, handlers);
        erasure::register_events(self, handlers);
    }

    /// Compaction of the change log past the horizon.
    pub fn register_jobs(&self, handlers: &mut JobHandlers) {
        compaction::register_jobs(self, handlers);
    }
}

impl axum::extract::FromRef<Sync> for Arc<dyn Authenticator> {
    fn from_ref(this: &Sync) -> Arc<dyn Authenticator> {
        this.authenticator.clone()
    }
}

impl axum::extract::FromRef<Sync> for Platform {
    fn from_ref(this: &Sync) -> Platform {
        this.platform.clone()
    }
}
