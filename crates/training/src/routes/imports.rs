//! `/api/v1/workouts/imports`: a ZIP of activity files (a Strava export)
//! read into workouts by a job, with progress.

use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use platform::http::Caller;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::form;
use crate::error::{Result, TrainingError};
use crate::imports::ImportStatus;
use crate::uploads::{self, Limits};
use crate::Training;

/// The form of an import.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct ImportUpload {
    /// A ZIP archive: the export Strava gives you, or any ZIP of GPX, TCX and FIT files (gzipped or not).
    #[schema(value_type = String, format = Binary)]
    archive: Vec<u8>,
}

/// Starts importing an archive (form field `archive`); poll the answer's
/// address for progress. Files imported before are skipped.
#[utoipa::path(post, path = "/api/v1/workouts/imports", tag = "workouts", security(("bearer" = [])),
    request_body(content((ImportUpload = "multipart/form-data"))),
    responses((status = 202, body = ImportStatus), (status = 413, body = platform::http::Problem), (status = 422, body = platform::http::Problem)))]
async fn start(State(training): State<Training>, user: Caller, mut form: Multipart) -> Result<Response> {
    let field = form.next_field().await.map_err(form::broken)?;
    let Some(field) = field.filter(|f| f.name() == Some("archive")) else {
        return Err(TrainingError::invalid("archive", "send the ZIP archive in a form field named `archive`"));
    };
    let import_id = crate::workouts::new_id();
    let key = format!("{}/imports/{import_id}.zip", crate::workouts::files_of(&user.id));
    let limits = Limits {
        max_bytes: training.platform.config.max_import_bytes,
        setting: "ATHLOS_MAX_IMPORT_BYTES",
        what: "the archive",
        keep_up_to: 0,
    };
    let received = uploads::receive(&training.platform.blobs, field, limits, |head| {
        if head.starts_with(b"PK\x03\x04") {
            Ok(key.clone())
        } else {
            Err(TrainingError::invalid("archive", "the archive must be a ZIP file (like the export Strava gives you)"))
        }
    })
    .await?;
    let status = match training.queue_import(&user.id, &import_id, &received.key).await {
        Ok(status) => status,
        Err(e) => {
            let _ = training.platform.blobs.delete(&received.key).await;
            return Err(e);
        }
    };
    let location = format!("/api/v1/workouts/imports/{}", status.id);
    Ok((StatusCode::ACCEPTED, [(header::LOCATION, location)], Json(status)).into_response())
}

/// Your recent imports, newest first.
#[utoipa::path(get, path = "/api/v1/workouts/imports", tag = "workouts", security(("bearer" = [])),
    responses((status = 200, body = Vec<ImportStatus>)))]
async fn list(State(training): State<Training>, user: Caller) -> Result<Json<Vec<ImportStatus>>> {
    Ok(Json(training.imports(&user.id).await?))
}

/// How an import is going: files found, processed, imported, skipped, and what went wrong.
#[utoipa::path(get, path = "/api/v1/workouts/imports/{id}", tag = "workouts", security(("bearer" = [])),
    responses((status = 200, body = ImportStatus), (status = 404, body = platform::http::Problem)))]
async fn show(State(training): State<Training>, user: Caller, Path(id): Path<String>) -> Result<Json<ImportStatus>> {
    Ok(Json(training.import_status(&user.id, &id).await?))
}

pub fn uploads() -> OpenApiRouter<Training> {
    OpenApiRouter::new().routes(routes!(start, list))
}

pub fn routes() -> OpenApiRouter<Training> {
    OpenApiRouter::new().routes(routes!(show))
}
