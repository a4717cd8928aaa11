//! What can go wrong in inventory, and how each failure reads at the edge.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use platform::http::{CallerError, Problem};

#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("{detail}")]
    Invalid { field: &'static str, detail: String },
    #[error("nothing found here")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("only partners and administrators publish offers")]
    NotPartner,
    #[error("a picture is larger than this server accepts ({limit} bytes)")]
    TooLarge { limit: usize },
    #[error("send the picture as image/jpeg, image/png or image/webp")]
    UnsupportedMediaType,
    #[error(transparent)]
    Caller(#[from] CallerError),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error(transparent)]
    Blob(#[from] platform::blob::BlobError),
    #[error("{0}")]
    Internal(String),
}

pub type Result<T, E = InventoryError> = std::result::Result<T, E>;

impl InventoryError {
    pub fn invalid(field: &'static str, detail: impl Into<String>) -> Self {
        Self::Invalid { field, detail: detail.into() }
    }
}

impl From<serde_json::Error> for InventoryError {
    fn from(e: serde_json::Error) -> Self {
        Self::Internal(format!("stored JSON is unreadable: {e}"))
    }
}

impl IntoResponse for InventoryError {
    fn into_response(self) -> Response {
        use InventoryError::*;
        let detail = self.to_string();
        match self {
            Invalid { field, .. } => Problem::invalid(field, detail).into_response(),
            NotFound => Problem::not_found(detail).into_response(),
            Conflict(_) => Problem::new(StatusCode::CONFLICT, "conflict", detail).into_response(),
            NotPartner => Problem::new(StatusCode::FORBIDDEN, "not-a-partner", detail).into_response(),
            TooLarge { .. } => Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "file-too-large", detail).into_response(),
            UnsupportedMediaType => {
                Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", detail).into_response()
            }
            Caller(e) => e.into_response(),
            Sql(e) => Problem::database(&e).into_response(),
            Blob(e) => Problem::internal(&e).into_response(),
            Internal(e) => Problem::internal(&e).into_response(),
        }
    }
}
