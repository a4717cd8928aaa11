//! Social: profiles, follows and follow requests, blocks, the feed of the
//! people one follows, kudos and comments on trainings, and reports with
//! their moderation. See `docs/social.md`.

mod erasure;
pub mod error;
pub mod feed;
pub mod moderation;
pub mod people;
mod personal_data;
pub mod profiles;
pub mod reactions;
pub mod relations;
mod routes;
pub mod trainings;

use std::sync::Arc;

use platform::events::EventHandlers;
use platform::http::Authenticator;
use platform::Platform;
use sqlx::migrate::Migrator;

pub use error::SocialError;

pub static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// The name social's consumers and inbox rows go by.
pub const CONTEXT: &str = "social";

#[derive(Clone)]
pub struct Social {
    pub platform: Platform,
    authenticator: Arc<dyn Authenticator>,
    people: Arc<dyn people::People>,
}

impl Social {
    pub fn new(platform: Platform, authenticator: Arc<dyn Authenticator>, people: Arc<dyn people::People>) -> Self {
        Self { platform, authenticator, people }
    }

    pub fn routes(&self) -> utoipa_axum::router::OpenApiRouter<Platform> {
        routes::all(self.clone())
    }

    /// Trainings from training's events (the feed's copy and its fan-out),
    /// and erasing a deleted person's social data.
    pub fn register_events(&self, handlers: &mut EventHandlers) {
        trainings::register_events(self, handlers);
        erasure::register_events(self, handlers);
    }

    pub fn personal_data(&self) -> Arc<dyn platform::personal_data::PersonalData> {
        Arc::new(personal_data::SocialData(self.clone()))
    }
}

impl axum::extract::FromRef<Social> for Arc<dyn Authenticator> {
    fn from_ref(this: &Social) -> Arc<dyn Authenticator> {
        this.authenticator.clone()
    }
}

impl axum::extract::FromRef<Social> for Platform {
    fn from_ref(this: &Social) -> Platform {
        this.platform.clone()
    }
}
