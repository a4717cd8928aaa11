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

impl<S> FromRequestParts<S> for AuthUser
where
    Identity: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = IdentityError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, IdentityError> {
        let identity = Identity::from_ref(state);
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
        Ok(AuthUser { id: claims.sub, session_id: claims.sid, role: check.role, email_verified: check.email_verified })
    }
}
