//! What can go wrong in partners and chat, and how each failure reads at the edge.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use platform::http::{CallerError, Problem};

#[derive(Debug, thiserror::Error)]
pub enum PartnersError {
    #[error("{detail}")]
    Invalid { field: &'static str, detail: String },
    #[error("nothing found here")]
    NotFound,
    #[error("you are not looking for partners; opt in on the partners page first")]
    NotOptedIn,
    #[error("{0}")]
    ChatNotAllowed(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooMany(String),
    #[error(transparent)]
    Caller(#[from] CallerError),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

pub type Result<T, E = PartnersError> = std::result::Result<T, E>;

impl PartnersError {
    pub fn invalid(field: &'static str, detail: impl Into<String>) -> Self {
        Self::Invalid { field, detail: detail.into() }
    }
}

impl From<serde_json::Error> for PartnersError {
    fn from(e: serde_json::Error) -> Self {
        Self::Internal(format!("stored JSON is unreadable: {e}"))
    }
}

impl IntoResponse for PartnersError {
    fn into_response(self) -> Response {
        use PartnersError::*;
        let detail = self.to_string();
        match self {
            Invalid { field, .. } => Problem::invalid(field, detail).into_response(),
            NotFound => Problem::not_found(detail).into_response(),
            NotOptedIn => Problem::new(StatusCode::CONFLICT, "not-opted-in", detail).into_response(),
            ChatNotAllowed(_) => Problem::new(StatusCode::FORBIDDEN, "chat-not-allowed", detail).into_response(),
            Conflict(_) => Problem::new(StatusCode::CONFLICT, "conflict", detail).into_response(),
            TooMany(_) => Problem::new(StatusCode::TOO_MANY_REQUESTS, "rate-limited", detail).into_response(),
            Caller(e) => e.into_response(),
            Sql(e) => Problem::database(&e).into_response(),
            Internal(e) => Problem::internal(&e).into_response(),
        }
    }
}
