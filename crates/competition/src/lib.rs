//! Competition: competitions fed by trainings, their leaderboards (live
//! during a surge), teams, and global boards of the fastest efforts. See
//! `docs/competitions.md`.

pub mod boards;
pub mod competitions;
pub mod entries;
mod erasure;
pub mod error;
mod live;
mod notices;
pub mod people;
mod personal_data;
pub mod results;
mod routes;

use std::sync::Arc;

use platform::events::EventHandlers;
use platform::http::Authenticator;
use platform::jobs::JobHandlers;
use platform::Platform;
use sqlx::migrate::Migrator;

pub use error::CompetitionError;

pub static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// The name competition's consumers and inbox rows go by.
pub const CONTEXT: &str = "competition";

#[derive(Clone)]
pub struct Competitions {
    pub platform: Platform,
    authenticator: Arc<dyn Authenticator>,
    people: Arc<dyn people::People>,
}

impl Competitions {
    pub fn new(platform: Platform, authenticator: Arc<dyn Authenticator>, people: Arc<dyn people::People>) -> Self {
        let this = Self { platform, authenticator, people };
        this.platform.realtime.guards().add(live::TOPIC, Arc::new(live::Guard(this.clone())));
        this
    }

    pub fn routes(&self) -> utoipa_axum::router::OpenApiRouter<Platform> {
        routes::all(self.clone())
    }

    /// Results from training's events; erasing a deleted person's entries.
    pub fn register_events(&self, handlers: &mut EventHandlers) {
        results::register_events(self, handlers);
        erasure::register_events(self, handlers);
    }

    /// Telling entrants a competition started or ended.
    pub fn register_jobs(&self, handlers: &mut JobHandlers) {
        notices::register_jobs(self, handlers);
    }

    /// Pushes boards that changed to the sockets watching them here, until `shutdown`.
    pub fn start_live(&self, shutdown: &tokio_util::sync::CancellationToken) -> tokio::task::JoinHandle<()> {
        tokio::spawn(live::run(self.clone(), shutdown.clone()))
    }

    pub fn personal_data(&self) -> Arc<dyn platform::personal_data::PersonalData> {
        Arc::new(personal_data::CompetitionData(self.clone()))
    }
}

impl axum::extract::FromRef<Competitions> for Arc<dyn Authenticator> {
    fn from_ref(this: &Competitions) -> Arc<dyn Authenticator> {
        this.authenticator.clone()
    }
}

impl axum::extract::FromRef<Competitions> for Platform {
    fn from_ref(this: &Competitions) -> Platform {
        this.platform.clone()
    }
}
