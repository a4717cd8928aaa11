//! What can go wrong in identity, and how each failure reads at the edge.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use platform::http::Problem;

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("{detail}")]
    Invalid { field: &'static str, detail: String },
    #[error("the e-mail address or the password is wrong")]
    InvalidCredentials,
    #[error("the code is wrong or already used")]
    InvalidSecondFactor,
    #[error("the passkey was not accepted; try again, or log in with your password")]
    PasskeyRejected,
    #[error("this link or token is invalid, expired or already used")]
    InvalidToken,
    #[error("log in first: send `Authorization: Bearer <access token>`")]
    Unauthenticated,
    #[error("the access token has expired; get a new one from /api/v1/auth/refresh")]
    TokenExpired,
    #[error("the access token is not valid")]
    TokenInvalid,
    #[error("this session has ended; log in again")]
    SessionRevoked,
    #[error("this refresh token was already used, so the session was ended for safety; log in again")]
    RefreshTokenReused,
    #[error("this account is suspended; contact the administrator")]
    Suspended,
    #[error("only administrators may do this")]
    NotAdmin,
    #[error("{0}")]
    InsufficientScope(String),
    #[error("confirm your e-mail address first")]
    EmailNotVerified,
    #[error("{0}")]
    Conflict(&'static str),
    #[error("nothing found here")]
    NotFound,
    #[error("{what} is larger than this server accepts ({limit} bytes)")]
    TooLarge { what: &'static str, limit: usize },
    #[error("{0}")]
    UnsupportedMediaType(&'static str),
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },
    /// Every core is busy hashing passwords and the wait for one ran out.
    #[error("the server is busy checking other passwords; try again in {retry_after_secs} seconds")]
    Busy { retry_after_secs: u64 },
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error(transparent)]
    Mail(#[from] platform::mail::MailError),
    #[error("{0}")]
    Internal(String),
}

impl IdentityError {
    pub fn invalid(field: &'static str, detail: impl Into<String>) -> Self {
        Self::Invalid { field, detail: detail.into() }
    }

    fn problem(&self) -> Problem {
        use IdentityError::*;
        let detail = self.to_string();
        match self {
            Invalid { field, .. } => Problem::invalid(field, detail),
            InvalidCredentials => Problem::new(StatusCode::UNAUTHORIZED, "invalid-credentials", detail),
            InvalidSecondFactor => Problem::new(StatusCode::UNAUTHORIZED, "invalid-second-factor", detail),
            PasskeyRejected => Problem::new(StatusCode::UNAUTHORIZED, "passkey-rejected", detail),
            InvalidToken => Problem::new(StatusCode::BAD_REQUEST, "invalid-token", detail),
            Unauthenticated => Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated", detail),
            TokenExpired => Problem::new(StatusCode::UNAUTHORIZED, "token-expired", detail),
            TokenInvalid => Problem::new(StatusCode::UNAUTHORIZED, "token-invalid", detail),
            SessionRevoked => Problem::new(StatusCode::UNAUTHORIZED, "session-revoked", detail),
            RefreshTokenReused => Problem::new(StatusCode::UNAUTHORIZED, "refresh-token-reused", detail),
            Suspended => Problem::new(StatusCode::FORBIDDEN, "account-suspended", detail),
            NotAdmin => Problem::new(StatusCode::FORBIDDEN, "not-admin", detail),
            InsufficientScope(_) => Problem::new(StatusCode::FORBIDDEN, "insufficient-scope", detail),
            EmailNotVerified => Problem::new(StatusCode::FORBIDDEN, "email-not-verified", detail),
            Conflict(_) => Problem::new(StatusCode::CONFLICT, "conflict", detail),
            NotFound => Problem::not_found(detail),
            TooLarge { .. } => Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "file-too-large", detail),
            UnsupportedMediaType(_) => {
                Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", detail)
            }
            RateLimited { .. } => Problem::new(StatusCode::TOO_MANY_REQUESTS, "rate-limited", detail),
            Busy { .. } => Problem::new(StatusCode::SERVICE_UNAVAILABLE, "server-busy", detail),
            Sql(e) => Problem::database(e),
            Mail(e) => Problem::internal(e),
            Internal(e) => Problem::internal(e),
        }
    }
}

impl IntoResponse for IdentityError {
    fn into_response(self) -> Response {
        let mut response = self.problem().into_response();
        match self {
            IdentityError::RateLimited { retry_after_secs } | IdentityError::Busy { retry_after_secs } => {
                response.headers_mut().insert("retry-after", HeaderValue::from(retry_after_secs));
            }
            IdentityError::Unauthenticated | IdentityError::TokenExpired | IdentityError::TokenInvalid => {
                response.headers_mut().insert("www-authenticate", HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}

impl From<platform::personal_data::PersonalDataError> for IdentityError {
    fn from(e: platform::personal_data::PersonalDataError) -> Self {
        IdentityError::Internal(e.to_string())
    }
}

/// Stored JSON (passkeys, ceremony state) that does not read back.
impl From<serde_json::Error> for IdentityError {
    fn from(e: serde_json::Error) -> Self {
        IdentityError::Internal(e.to_string())
    }
}

impl From<platform::blob::BlobError> for IdentityError {
    fn from(e: platform::blob::BlobError) -> Self {
        IdentityError::Internal(e.to_string())
    }
}

impl From<platform::jobs::JobError> for IdentityError {
    fn from(e: platform::jobs::JobError) -> Self {
        IdentityError::Internal(e.to_string())
    }
}

pub type Result<T, E = IdentityError> = std::result::Result<T, E>;
