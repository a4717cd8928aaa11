//! Partners: finding people to train with nearby (a deck, swipes, matches)
//! and one-to-one chat, live over the realtime socket. See `docs/partners.md`.

pub mod cells;
pub mod chat;
mod erasure;
pub mod error;
mod events;
pub mod finder;
mod live;
mod mail;
pub mod people;
mod personal_data;
mod routes;
pub mod settings;
pub mod swipes;

use std::sync::Arc;

use platform::events::EventHandlers;
use platform::http::Authenticator;
use platform::jobs::JobHandlers;
use platform::mail::MailTemplates;
use platform::Platform;
use sqlx::migrate::Migrator;

pub use error::PartnersError;

pub static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// The name partners' consumers and inbox rows go by.
pub const CONTEXT: &str = "partners";

#[derive(Clone)]
pub struct Partners {
    pub platform: Platform,
    authenticator: Arc<dyn Authenticator>,
    people: Arc<dyn people::People>,
}

impl Partners {
    pub fn new(platform: Platform, authenticator: Arc<dyn Authenticator>, people: Arc<dyn people::People>) -> Self {
        Self { platform, authenticator, people }
    }

    pub fn routes(&self) -> utoipa_axum::router::OpenApiRouter<Platform> {
        routes::all(self.clone())
    }

    /// Activity and speeds from training, blocks and hidden messages from
    /// social, erasure on identity's `UserDeleted`.
    pub fn register_events(&self, handlers: &mut EventHandlers) {
        events::register(self, handlers);
        erasure::register_events(self, handlers);
    }

    /// The match mail, and mail for messages left unread.
    pub fn register_jobs(&self, handlers: &mut JobHandlers) {
        mail::register_jobs(self, handlers);
    }

    pub fn personal_data(&self) -> Arc<dyn platform::personal_data::PersonalData> {
        Arc::new(personal_data::PartnersData(self.clone()))
    }
}

pub fn add_templates(templates: &mut MailTemplates) {
    mail::add_templates(templates);
}

impl axum::extract::FromRef<Partners> for Arc<dyn Authenticator> {
    fn from_ref(this: &Partners) -> Arc<dyn Authenticator> {
        this.authenticator.clone()
    }
}

impl axum::extract::FromRef<Partners> for Platform {
    fn from_ref(this: &Partners) -> Platform {
        this.platform.clone()
    }
}
