//! What can go wrong in sync, and how each failure reads at the edge.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use platform::http::{CallerError, Problem};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{detail}")]
    Invalid { field: String, detail: String },
    #[error(
        "this cursor is older than the changes the server still keeps; pull everything again without a cursor, then push what you had not sent"
    )]
    ResyncRequired,
    #[error("nothing found here")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Caller(#[from] CallerError),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

pub type Result<T, E = SyncError> = std::result::Result<T, E>;

impl SyncError {
    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), detail: detail.into() }
    }
}

impl From<serde_json::Error> for SyncError {
    fn from(e: serde_json::Error) -> Self {
        Self::Internal(format!("stored JSON is unreadable: {e}"))
    }
}

impl IntoResponse for SyncError {
    fn into_response(self) -> Response {
        use SyncError::*;
        let detail = self.to_string();
        match self {
            Invalid { field, .. } => Problem::invalid(&field, detail).into_response(),
            ResyncRequired => Problem::new(StatusCode::GONE, "resync-required", detail).into_response(),
            NotFound => Problem::not_found(detail).into_response(),
            Conflict(_) => Problem::new(StatusCode::CONFLICT, "conflict", detail).into_response(),
            Caller(e) => e.into_response(),
            Sql(e) => Problem::database(&e).into_response(),
            Internal(e) => Problem::internal(&e).into_response(),
        }
    }
}
