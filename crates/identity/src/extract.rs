//! Who is calling, identity's side: the [`Authenticator`] that checks access
//! tokens for platform's `Caller` extractor, and [`AppUser`], the caller of
//! the endpoints open to third-party applications.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use futures::future::BoxFuture;
use platform::db::now_ms;
use platform::http::{Application, Authenticator, Bearer, Caller, CallerError};
use platform::Platform;
use serde::{Deserialize, Serialize};

use crate::error::IdentityError;
use crate::keys::SigningKeys;
use crate::verified::{Expired, VerifiedTokens};
use crate::{store, API_AUDIENCE};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    /// The user id.
    pub sub: String,
    /// The session id.
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
    /// Unique per token, so two tokens made in the same second differ.
    #[serde(default)]
    pub jti: String,
    /// The application the token was issued to; absent for Athlos's own apps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// What that application may do (space-separated scopes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// Checks access tokens: signature, expiry, issuer and audience, then that
/// the session still lives and the account is not suspended. It holds only
/// what that takes, so the contexts it is handed to hold no `Identity`.
pub(crate) struct AccessTokens {
    pub keys: SigningKeys,
    pub platform: Platform,
    pub verified: VerifiedTokens,
}

impl AccessTokens {
    async fn check(&self, token: &str) -> Result<Bearer, IdentityError> {
        let claims = self.verify(token).await?;
        let mut conn = self.platform.db.aside().await?;
        let check = store::check_session(&mut conn, &claims.sid, &claims.sub).await?;
        conn.keep();
        let check = check.ok_or(IdentityError::SessionRevoked)?;
        if check.revoked {
            return Err(IdentityError::SessionRevoked);
        }
        if check.suspended {
            return Err(IdentityError::Suspended);
        }
        let caller =
            Caller { id: claims.sub, session_id: claims.sid, role: check.role, email_verified: check.email_verified };
        let application = claims.client_id.map(|client_id| Application {
            client_id,
            scopes: crate::oauth::split_scopes(claims.scope.as_deref().unwrap_or("")),
        });
        Ok(Bearer { caller, application, expires_at: claims.exp })
    }

    /// The token's claims once its signature, expiry, issuer and audience
    /// check out; the signature only the first time it is seen.
    async fn verify(&self, token: &str) -> Result<AccessClaims, IdentityError> {
        let now = now_ms() / 1000;
        match self.verified.get(token, now) {
            Some(Ok(claims)) => return Ok(claims),
            Some(Err(Expired)) => return Err(IdentityError::TokenExpired),
            None => {}
        }
        let issuer = self.platform.config.public_url();
        let claims: AccessClaims = self.keys.verify(token, &issuer, API_AUDIENCE).await?;
        self.verified.keep(token, &claims, now);
        Ok(claims)
    }
}

impl Authenticator for AccessTokens {
    fn authenticate<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Bearer, CallerError>> {
        Box::pin(async move { Ok(self.check(token).await?) })
    }
}

/// A caller that may also be a third-party application holding a scoped token.
/// Endpoints open to applications take this; all others take [`Caller`],
/// which refuses application tokens.
#[derive(Debug, Clone)]
pub struct AppUser {
    pub user: Caller,
    /// The application, if the token was issued to one.
    pub client_id: Option<String>,
    /// `None`: Athlos's own apps, which may do everything.
    pub scopes: Option<Vec<String>>,
}

impl AppUser {
    pub fn require_scope(&self, scope: &str) -> Result<(), IdentityError> {
        match &self.scopes {
            Some(scopes) if !scopes.iter().any(|s| s == scope) => {
                Err(IdentityError::InsufficientScope(format!("this needs the `{scope}` scope")))
            }
            _ => Ok(()),
        }
    }
}

impl From<Bearer> for AppUser {
    fn from(bearer: Bearer) -> Self {
        let (client_id, scopes) = match bearer.application {
            Some(app) => (Some(app.client_id), Some(app.scopes)),
            None => (None, None),
        };
        Self { user: bearer.caller, client_id, scopes }
    }
}

impl<S> FromRequestParts<S> for AppUser
where
    Arc<dyn Authenticator>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = IdentityError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, IdentityError> {
        Ok(Bearer::from_request_parts(parts, state).await?.into())
    }
}
