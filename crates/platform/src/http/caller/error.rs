//! Why a caller was refused, and how each refusal reads at the edge. Every
//! context renders these the same way, whichever handler refused.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::http::Problem;

#[derive(Debug, thiserror::Error)]
pub enum CallerError {
    #[error("log in first: send `Authorization: Bearer <access token>`")]
    Unauthenticated,
    #[error("the access token has expired; get a new one from /api/v1/auth/refresh")]
    TokenExpired,
    #[error("the access token is not valid")]
    TokenInvalid,
    #[error("this session has ended; log in again")]
    SessionRevoked,
    #[error("this account is suspended; contact the administrator")]
    Suspended,
    #[error("only administrators may do this")]
    NotAdmin,
    #[error("confirm your e-mail address first")]
    EmailNotVerified,
    #[error("{0}")]
    InsufficientScope(String),
    /// The sessions could not be looked up.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

impl CallerError {
    pub fn problem(&self) -> Problem {
        use CallerError::*;
        let detail = self.to_string();
        match self {
            Unauthenticated => Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated", detail),
            TokenExpired => Problem::new(StatusCode::UNAUTHORIZED, "token-expired", detail),
            TokenInvalid => Problem::new(StatusCode::UNAUTHORIZED, "token-invalid", detail),
            SessionRevoked => Problem::new(StatusCode::UNAUTHORIZED, "session-revoked", detail),
            Suspended => Problem::new(StatusCode::FORBIDDEN, "account-suspended", detail),
            NotAdmin => Problem::new(StatusCode::FORBIDDEN, "not-admin", detail),
            EmailNotVerified => Problem::new(StatusCode::FORBIDDEN, "email-not-verified", detail),
            InsufficientScope(_) => Problem::new(StatusCode::FORBIDDEN, "insufficient-scope", detail),
            Database(e) => Problem::database(e),
            Internal(e) => Problem::internal(e),
        }
    }

    /// Whether a client should come back with a (new) bearer token: those
    /// answers say so in `WWW-Authenticate` (RFC 6750).
    fn asks_for_a_token(&self) -> bool {
        matches!(self, CallerError::Unauthenticated | CallerError::TokenExpired | CallerError::TokenInvalid)
    }
}

impl IntoResponse for CallerError {
    fn into_response(self) -> Response {
        let mut response = self.problem().into_response();
        if self.asks_for_a_token() {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_asks_for_a_token_only_when_one_would_help() {
        let response = CallerError::TokenExpired.into_response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()[header::WWW_AUTHENTICATE], "Bearer");

        // A new token of the same session would be refused as well.
        let response = CallerError::SessionRevoked.into_response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(!response.headers().contains_key(header::WWW_AUTHENTICATE));

        let problem = CallerError::NotAdmin.problem();
        assert_eq!((problem.status, problem.kind.as_str()), (403, "/problems/not-admin"));
    }
}
