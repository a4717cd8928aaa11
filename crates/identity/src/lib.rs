//! Identity: accounts, e-mail verification, password reset, sessions with
//! access and refresh tokens, TOTP second factor with recovery codes,
//! passkeys, roles, preferences and profile pictures, the facts competitions
//! place a person in categories by, data export and erasure.
//! Other contexts learn who is calling through platform's `Caller`, which
//! asks [`Identity::authenticator`].

mod accounts;
mod admin;
mod athlete;
mod avatar;
mod cookies;
pub mod error;
pub mod events;
mod export;
mod external;
mod extract;
pub mod keys;
mod mails;
pub mod oauth;
pub mod passkeys;
mod password;
pub mod preferences;
mod rate_limit;
mod routes;
mod second_factor;
mod secrets;
mod sessions;
mod store;
pub mod totp;
mod verified;

pub use accounts::Registration;
pub use athlete::Sex;
pub use error::IdentityError;
pub use export::{ERASE_JOB, EXPORT_JOB};
pub use extract::{AccessClaims, AppUser};
pub use mails::add_templates;
pub use platform::people::{AthleteFacts, PublicProfile};
pub use preferences::{Language, Preferences, Privacy, Units};
pub use store::Role;

use std::sync::Arc;

use platform::http::Authenticator;
use platform::Platform;
use sqlx::migrate::Migrator;

pub static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// A refresh token lives this long unless used (each use makes a new one).
pub const REFRESH_TOKEN_MS: i64 = 30 * 24 * 3600 * 1000;
/// The `aud` of access tokens for Athlos's own API.
pub const API_AUDIENCE: &str = "athlos";

/// The identity context's state: the platform plus the token signing keys.
#[derive(Clone)]
pub struct Identity {
    pub platform: Platform,
    pub keys: keys::SigningKeys,
    /// Checks the bearer tokens of every context's requests.
    authenticator: Arc<dyn Authenticator>,
    /// The WebAuthn relying party; none when the public URL is not a domain.
    webauthn: Option<Arc<webauthn_rs::Webauthn>>,
    /// The other contexts holding a person's data, for export and erasure.
    personal_data: Arc<Vec<Arc<dyn platform::personal_data::PersonalData>>>,
    /// Every password hashed or checked in this process, a bounded number at once.
    passwords: password::Passwords,
}

impl Identity {
    pub async fn new(platform: Platform) -> Result<Self, IdentityError> {
        let secret = platform.config.secret_key.clone().unwrap_or_default();
        let keys = keys::SigningKeys::load(platform.db.clone(), &secret).await?;
        let authenticator = Arc::new(extract::AccessTokens {
            keys: keys.clone(),
            platform: platform.clone(),
            verified: Default::default(),
        });
        let webauthn = passkeys::relying_party(&platform.config.public_url());
        Ok(Self {
            platform,
            keys,
            authenticator,
            webauthn,
            personal_data: Default::default(),
            passwords: Default::default(),
        })
    }

    /// What tells every context who is calling: hand it to their state.
    /// How long access tokens live (`ATHLOS_ACCESS_TOKEN_SECS`): short,
    /// because their signature is checked, not looked up.
    pub fn access_token_secs(&self) -> i64 {
        self.platform.config.access_token_secs as i64
    }

    pub fn authenticator(&self) -> Arc<dyn Authenticator> {
        self.authenticator.clone()
    }

    /// The `iss` of every token: this server's public URL.
    pub fn issuer(&self) -> String {
        self.platform.config.public_url()
    }

    pub fn routes(&self) -> utoipa_axum::router::OpenApiRouter<Platform> {
        routes::all().with_state(self.clone())
    }
}

impl axum::extract::FromRef<Identity> for Platform {
    fn from_ref(identity: &Identity) -> Platform {
        identity.platform.clone()
    }
}

impl axum::extract::FromRef<Identity> for Arc<dyn Authenticator> {
    fn from_ref(identity: &Identity) -> Arc<dyn Authenticator> {
        identity.authenticator()
    }
}
