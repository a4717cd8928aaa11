//! Notifications: what a person is told (an export is ready; later a new
//! follower, a comment, a match, an inventory alert, a result), stored,
//! listed, read, pushed live with the unread count, and mailed as a daily
//! digest to those who ask. Other contexts add kinds through
//! `platform::notify`, without a line here changing.

mod digest;
pub mod error;
mod events;
pub mod model;
mod routes;
mod store;

use std::sync::Arc;

use platform::events::EventHandlers;
use platform::http::Authenticator;
use platform::jobs::JobHandlers;
use platform::mail::MailTemplates;
use platform::Platform;
use sqlx::migrate::Migrator;

pub use digest::Addresses;
pub use events::ADDED;

pub static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// The name notifications' consumers and inbox rows go by.
pub const CONTEXT: &str = "notifications";

/// What the live message of a change in the unread count is called.
pub const UNREAD: &str = "NotificationsRead";

#[derive(Clone)]
pub struct Notifications {
    pub platform: Platform,
    authenticator: Arc<dyn Authenticator>,
    addresses: Arc<dyn Addresses>,
}

impl Notifications {
    pub fn new(platform: Platform, authenticator: Arc<dyn Authenticator>, addresses: Arc<dyn Addresses>) -> Self {
        Self { platform, authenticator, addresses }
    }

    pub fn routes(&self) -> utoipa_axum::router::OpenApiRouter<Platform> {
        routes::all(self.clone())
    }

    /// The daily digest.
    pub fn register_jobs(&self, handlers: &mut JobHandlers) {
        digest::register_jobs(self, handlers);
    }

    /// Requests for notices, and erasing a deleted person's.
    pub fn register_events(&self, handlers: &mut EventHandlers) {
        events::register(self, handlers);
    }

    /// Tells the person's devices how many are unread now.
    async fn tell_unread(&self, user_id: &str, unread: i64) {
        let live = serde_json::json!({ "unread": unread });
        self.platform.realtime.publish(&format!("user:{user_id}"), UNREAD, live).await;
    }
}

pub fn add_templates(templates: &mut MailTemplates) {
    templates.add(
        digest::MAIL,
        "What you missed on Athlos",
        include_str!("../templates/digest.txt"),
        include_str!("../templates/digest.html"),
    );
}

impl axum::extract::FromRef<Notifications> for Arc<dyn Authenticator> {
    fn from_ref(this: &Notifications) -> Arc<dyn Authenticator> {
        this.authenticator.clone()
    }
}

impl axum::extract::FromRef<Notifications> for Platform {
    fn from_ref(this: &Notifications) -> Platform {
        this.platform.clone()
    }
}
