//! What can go wrong in identity, and how each failure reads at the edge.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use platform::http::{CallerError, Problem};

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
    #[error("{0}")]
    InsufficientScope(String),
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
    /// Who is calling could not be told, or may not do this.
    #[error(transparent)]
    Caller(#[from] CallerError),
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

    /// The failures that say who may call, in platform's words: they read,
    /// headers and all, exactly as the caller extractor renders them.
    fn into_caller_error(self) -> std::result::Result<CallerError, Self> {
        use IdentityError::*;
        Ok(match self {
            Caller(refusal) => refusal,
            TokenExpired => CallerError::TokenExpired,
            TokenInvalid => CallerError::TokenInvalid,
            SessionRevoked => CallerError::SessionRevoked,
            Suspended => CallerError::Suspended,
            InsufficientScope(why) => CallerError::InsufficientScope(why),
            other => return Err(other),
        })
    }

    /// How every other failure reads.
    fn problem(&self) -> Problem {
        use IdentityError::*;
        let detail = self.to_string();
        match self {
            Invalid { field, .. } => Problem::invalid(field, detail),
            InvalidCredentials => Problem::new(StatusCode::UNAUTHORIZED, "invalid-credentials", detail),
            InvalidSecondFactor => Problem::new(StatusCode::UNAUTHORIZED, "invalid-second-factor", detail),
            PasskeyRejected => Problem::new(StatusCode::UNAUTHORIZED, "passkey-rejected", detail),
            InvalidToken => Problem::new(StatusCode::BAD_REQUEST, "invalid-token", detail),
            RefreshTokenReused => Problem::new(StatusCode::UNAUTHORIZED, "refresh-token-reused", detail),
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
            Caller(_) | TokenExpired | TokenInvalid | SessionRevoked | Suspended | InsufficientScope(_) => {
                unreachable!("into_response hands a caller's failure to CallerError")
            }
        }
    }
}

impl IntoResponse for IdentityError {
    fn into_response(self) -> Response {
        let error = match self.into_caller_error() {
            Ok(refusal) => return refusal.into_response(),
            Err(other) => other,
        };
        let mut response = error.problem().into_response();
        if let IdentityError::RateLimited { retry_after_secs } | IdentityError::Busy { retry_after_secs } = error {
            response.headers_mut().insert("retry-after", HeaderValue::from(retry_after_secs));
        }
        response
    }
}

/// Identity's failures as the caller extractor reports them: what says who
/// may call keeps its kind, a database failure stays one, the rest is ours.
impl From<IdentityError> for CallerError {
    fn from(e: IdentityError) -> Self {
        match e.into_caller_error() {
            Ok(refusal) => refusal,
            Err(IdentityError::Sql(e)) => CallerError::Database(e),
            Err(other) => CallerError::Internal(other.to_string()),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Identity's own words for a caller's failures (logged, and in OAuth's
    /// answers) are the ones platform shows in problem+json.
    #[test]
    fn a_callers_failure_reads_the_same_in_identity_and_platform() {
        let pairs = [
            (IdentityError::TokenExpired, CallerError::TokenExpired),
            (IdentityError::TokenInvalid, CallerError::TokenInvalid),
            (IdentityError::SessionRevoked, CallerError::SessionRevoked),
            (IdentityError::Suspended, CallerError::Suspended),
            (IdentityError::InsufficientScope("x".into()), CallerError::InsufficientScope("x".into())),
        ];
        for (ours, platform) in pairs {
            assert_eq!(ours.to_string(), platform.to_string());
        }
    }
}
