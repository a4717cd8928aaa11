//! `AuthUser`: the extractor every protected handler takes. It checks the
//! bearer token's signature, expiry, issuer and audience, then that its
//! session still lives and the account is not suspended, so logging out or
//! suspending takes effect at once, not when the token expires.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};

use crate::error::IdentityError;
use crate::store::{self, Role};
use crate::{Identity, API_AUDIENCE};

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

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: String,
    pub session_id: String,
    pub role: Role,
    pub email_verified: bool,
}

impl AuthUser {
    pub fn require_admin(&self) -> Result<(), IdentityError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(IdentityError::NotAdmin)
        }
    }

    /// Public posting needs a confirmed address.
    pub fn require_verified(&self) -> Result<(), IdentityError> {
        if self.email_verified {
            Ok(())
        } else {
            Err(IdentityError::EmailNotVerified)
        }
    }
}

/// A caller that may also be a third-party application holding a scoped token.
/// Endpoints open to applications take this; all others take [`AuthUser`],
/// which refuses application tokens.
#[derive(Debug, Clone)]
pub struct AppUser {
    pub user: AuthUser,
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

async fn authenticate(parts: &Parts, identity: &Identity) -> Result<AppUser, IdentityError> {
    let header = parts.headers.get(AUTHORIZATION).ok_or(IdentityError::Unauthenticated)?;
    let token = header
        .to_str()
        .ok()
        .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
        .ok_or(IdentityError::Unauthenticated)?;
    let claims: AccessClaims = identity.keys.verify(token.trim(), &identity.issuer(), API_AUDIENCE).await?;
    let mut conn = identity.platform.db.pool().acquire().await?;
    let check =
        store::check_session(&mut conn, &claims.sid, &claims.sub).await?.ok_or(IdentityError::SessionRevoked)?;
    if check.revoked {
        return Err(IdentityError::SessionRevoked);
    }
    if check.suspended {
        return Err(IdentityError::Suspended);
    }
    let user =
        AuthUser { id: claims.sub, session_id: claims.sid, role: check.role, email_verified: check.email_verified };
    let scopes = claims.client_id.as_ref().map(|_| crate::oauth::split_scopes(claims.scope.as_deref().unwrap_or("")));
    Ok(AppUser { user, client_id: claims.client_id, scopes })
}

impl<S> FromRequestParts<S> for AuthUser
where
    Identity: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = IdentityError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, IdentityError> {
        let caller = authenticate(parts, &Identity::from_ref(state)).await?;
        if caller.client_id.is_some() {
            return Err(IdentityError::InsufficientScope("applications cannot use this endpoint".into()));
        }
        Ok(caller.user)
    }
}

/// Endpoints open to everyone but richer for a logged-in caller take
/// `Option<AuthUser>`: no `Authorization` header is `None`, a bad one is refused.
impl<S> axum::extract::OptionalFromRequestParts<S> for AuthUser
where
    Identity: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = IdentityError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Option<Self>, IdentityError> {
        if !parts.headers.contains_key(AUTHORIZATION) {
            return Ok(None);
        }
        <AuthUser as FromRequestParts<S>>::from_request_parts(parts, state).await.map(Some)
    }
}

impl<S> FromRequestParts<S> for AppUser
where
    Identity: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = IdentityError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, IdentityError> {
        authenticate(parts, &Identity::from_ref(state)).await
    }
}
