//! What can go wrong in training, and how each failure reads at the edge.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use platform::http::{CallerError, Problem};

#[derive(Debug, thiserror::Error)]
pub enum TrainingError {
    #[error("{detail}")]
    Invalid { field: &'static str, detail: String },
    /// The uploaded file is not a workout we can read; nothing was kept.
    #[error("{file}: {detail}")]
    UnreadableFile { file: String, detail: String },
    #[error("{what} is larger than this server accepts ({limit} bytes, {setting})")]
    TooLarge { what: &'static str, limit: usize, setting: &'static str },
    #[error("send a workout as JSON (application/json) or a file as multipart/form-data")]
    UnsupportedMediaType,
    #[error("nothing found here")]
    NotFound,
    #[error("this workout was logged by hand; it has no track")]
    NoTrack,
    #[error("{0}")]
    Conflict(String),
    #[error("this training is already here: the same file, or a training with the same start and distance")]
    Duplicate { existing_id: String },
    #[error("this Idempotency-Key was used before for a different request; use a new key for a new request")]
    KeyReused,
    /// Who is calling could not be told, or may not do this.
    #[error(transparent)]
    Caller(#[from] CallerError),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error(transparent)]
    Blob(#[from] platform::blob::BlobError),
    #[error(transparent)]
    Job(#[from] platform::jobs::JobError),
    #[error("{0}")]
    Internal(String),
}

pub type Result<T, E = TrainingError> = std::result::Result<T, E>;

impl TrainingError {
    pub fn invalid(field: &'static str, detail: impl Into<String>) -> Self {
        Self::Invalid { field, detail: detail.into() }
    }

    fn problem(&self) -> Problem {
        use TrainingError::*;
        let detail = self.to_string();
        match self {
            Invalid { field, .. } => Problem::invalid(field, detail),
            UnreadableFile { .. } => {
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "unreadable-activity-file", detail).with_field("file")
            }
            TooLarge { setting, .. } => {
                let kind = if *setting == "ATHLOS_MAX_BODY_BYTES" { "body-too-large" } else { "file-too-large" };
                Problem::new(StatusCode::PAYLOAD_TOO_LARGE, kind, detail)
            }
            UnsupportedMediaType => Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", detail),
            NotFound => Problem::not_found(detail),
            NoTrack => Problem::new(StatusCode::NOT_FOUND, "no-track", detail),
            Conflict(_) => Problem::new(StatusCode::CONFLICT, "conflict", detail),
            Duplicate { existing_id } => {
                let mut problem = Problem::new(StatusCode::CONFLICT, "duplicate-workout", detail);
                problem.existing_id = Some(existing_id.clone());
                problem
            }
            KeyReused => Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "idempotency-key-reused", detail)
                .with_field("Idempotency-Key"),
            Caller(e) => e.problem(),
            Sql(e) => Problem::database(e),
            Blob(e) => Problem::internal(e),
            Job(e) => Problem::internal(e),
            Internal(e) => Problem::internal(e),
        }
    }
}

impl From<serde_json::Error> for TrainingError {
    fn from(e: serde_json::Error) -> Self {
        Self::Internal(format!("stored JSON is unreadable: {e}"))
    }
}

impl From<std::io::Error> for TrainingError {
    fn from(e: std::io::Error) -> Self {
        Self::Internal(format!("reading a file failed: {e}"))
    }
}

impl IntoResponse for TrainingError {
    fn into_response(self) -> Response {
        match self {
            // Not logged in, not an admin: read as in every context, with their headers.
            TrainingError::Caller(e) => e.into_response(),
            other => other.problem().into_response(),
        }
    }
}
