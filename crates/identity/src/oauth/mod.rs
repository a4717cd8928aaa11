//! Athlos as an OAuth 2.0 authorization server and OpenID Connect provider:
//! applications registered by administrators or by users for their own apps
//! log people in with the authorization code flow (PKCE, S256 only), get
//! access, refresh and ID tokens, and can revoke and introspect them.

mod authorize;
mod clients;
mod discovery;
pub(crate) mod pages;
pub(crate) mod store;
mod token;

pub use clients::{ClientRegistration, ConnectedApp, RegisteredClient};
pub use store::Client;
pub(crate) use token::{ClientCredentials, OAuthResult, TokenRequest, TokenResponse};

/// Every scope an application may ask for, with the words the consent page shows.
pub const SCOPES: &[(&str, &str)] = &[
    ("openid", "Know that it is you (your Athlos account id)"),
    ("profile", "See your name"),
    ("email", "See your e-mail address"),
    ("workouts:read", "See your trainings, including private ones"),
    ("workouts:write", "Add, change and delete your trainings"),
];

pub fn is_scope(scope: &str) -> bool {
    SCOPES.iter().any(|(name, _)| *name == scope)
}

/// Splits a space-separated scope string, dropping repeats, keeping order.
pub fn split_scopes(scope: &str) -> Vec<String> {
    let mut seen = Vec::new();
    for part in scope.split_whitespace() {
        if !seen.iter().any(|s| s == part) {
            seen.push(part.to_string());
        }
    }
    seen
}
