//! What can go wrong with notifications, and how each failure reads at the edge.

use axum::response::{IntoResponse, Response};
use platform::http::{CallerError, Problem};

#[derive(Debug, thiserror::Error)]
pub enum NotificationsError {
    #[error("{detail}")]
    Invalid { field: &'static str, detail: String },
    #[error("nothing found here")]
    NotFound,
    #[error(transparent)]
    Caller(#[from] CallerError),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}

pub type Result<T, E = NotificationsError> = std::result::Result<T, E>;

impl IntoResponse for NotificationsError {
    fn into_response(self) -> Response {
        let detail = self.to_string();
        match self {
            NotificationsError::Invalid { field, .. } => Problem::invalid(field, detail).into_response(),
            NotificationsError::NotFound => Problem::not_found(detail).into_response(),
            NotificationsError::Caller(e) => e.into_response(),
            NotificationsError::Sql(e) => Problem::database(&e).into_response(),
        }
    }
}
