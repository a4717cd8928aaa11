//! The question the caller extractor asks: whose is this bearer token?

use futures::future::BoxFuture;

use super::{Caller, CallerError};

/// Checks a bearer token: its signature, expiry, issuer and audience, then
/// that its session still lives and the account is not suspended, so that
/// logging out or suspending takes effect at once, not when the token expires.
/// Identity implements it; extractors find it in the state as
/// `Arc<dyn Authenticator>`.
pub trait Authenticator: Send + Sync {
    fn authenticate<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Bearer, CallerError>>;
}

/// Whom a valid token speaks for.
#[derive(Debug, Clone)]
pub struct Bearer {
    pub caller: Caller,
    /// The third-party application the token was issued to; none for
    /// Athlos's own apps, which may do everything.
    pub application: Option<Application>,
    /// When the token expires, in seconds since the epoch (a realtime socket
    /// asks for a new one before then).
    pub expires_at: i64,
}

/// An application acting for a person, within the scopes they granted.
#[derive(Debug, Clone)]
pub struct Application {
    pub client_id: String,
    pub scopes: Vec<String>,
}
