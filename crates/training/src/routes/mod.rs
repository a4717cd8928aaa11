//! The HTTP edge of training: thin handlers over the operations on `Training`.

mod form;
mod imports;
mod photos;
mod sports;
mod summaries;
mod workouts;

use axum::extract::DefaultBodyLimit;
use axum::http::HeaderMap;
use platform::config::Config;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::error::{Result, TrainingError};
use crate::Training;

#[derive(OpenApi)]
#[openapi(tags(
    (name = "workouts", description = "Workouts logged by hand or read from GPX, TCX and FIT files; photos; export; bulk import"),
    (name = "sports", description = "The sports catalogue"),
    (name = "statistics", description = "Totals per week, month and year, and personal records")
))]
struct TrainingApi;

pub fn all(_config: &Config) -> OpenApiRouter<Training> {
    // Uploads stream their files and count them against their own limits.
    let uploads = OpenApiRouter::new()
        .merge(workouts::uploads())
        .merge(photos::uploads())
        .merge(imports::uploads())
        .layer(DefaultBodyLimit::disable());
    OpenApiRouter::with_openapi(TrainingApi::openapi())
        .merge(uploads)
        .merge(workouts::routes())
        .merge(photos::routes())
        .merge(imports::routes())
        .merge(sports::routes())
        .merge(summaries::routes())
}

/// The `Idempotency-Key` of a write, if sent: a retried request with the
/// same key gets the first one's result instead of doing the work again.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>> {
    let Some(value) = headers.get("idempotency-key") else { return Ok(None) };
    let key = value.to_str().ok().map(str::trim).filter(|k| !k.is_empty() && k.len() <= 200);
    match key {
        Some(key) if key.chars().all(|c| c.is_ascii_graphic()) => Ok(Some(key.to_string())),
        _ => Err(TrainingError::invalid(
            "Idempotency-Key",
            "the Idempotency-Key must be 1 to 200 visible ASCII characters",
        )),
    }
}
