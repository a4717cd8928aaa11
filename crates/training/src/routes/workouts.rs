//! `/api/v1/workouts`: logging, uploading, reading, changing, deleting and
//! exporting workouts.

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::TryStreamExt;
use platform::http::precompressed::{self, Piece};
use platform::http::Caller;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{form, idempotency_key};
use crate::error::{Result, TrainingError};
use crate::workouts::list::{WorkoutFilter, WorkoutPage};
use crate::workouts::{
    self, FileDetails, Idempotency, NewWorkout, Privacy, StoredFile, Workout, WorkoutChanges, WorkoutState,
};
use crate::Training;

/// The form of a file upload (`multipart/form-data`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct WorkoutUpload {
    /// A GPX, TCX or FIT file, gzipped or not.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// A sport id; read from the file when left out.
    sport: Option<String>,
    /// The file's own name, or the sport and day, when left out.
    title: Option<String>,
    notes: Option<String>,
    /// Left out: the owner's `default_privacy` (an account preference).
    privacy: Option<Privacy>,
    /// Comma-separated ids of your equipment; left out: the defaults of the
    /// workout's sport (`/api/v1/equipment`); empty: none.
    equipment_ids: Option<String>,
    /// The device's offset from UTC in minutes (60 for Central Europe in
    /// winter), so that a title made from the time of day ("Morning Run")
    /// is right; left out, it is guessed from where the track starts.
    #[schema(minimum = -840, maximum = 840)]
    utc_offset_minutes: Option<i32>,
}

/// Logs a workout by hand (JSON) or from an activity file (multipart, field
/// `file`). A small file is read at once (201); a large one by a job (202,
/// `state: processing`). A file that is not a workout is refused with what
/// is wrong and where, and nothing is kept. Send `Idempotency-Key` to make
/// retries safe: a repeated key answers 200 with the first result.
#[utoipa::path(post, path = "/api/v1/workouts", tag = "workouts", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, pattern = r"^[!-~]{1,200}$",
        description = "Makes retries safe: 1 to 200 visible ASCII characters")),
    request_body(content(
        (NewWorkout = "application/json"),
        (WorkoutUpload = "multipart/form-data"))),
    responses((status = 201, body = Workout), (status = 202, body = Workout, description = "Read by a job; poll the workout"),
        (status = 200, body = Workout, description = "The same Idempotency-Key was used before"),
        (status = 413, body = platform::http::Problem), (status = 422, body = platform::http::Problem)))]
async fn create(State(training): State<Training>, user: Caller, request: Request) -> Result<Response> {
    let key = idempotency_key(request.headers())?;
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (workout, new) =
        if multipart {
            let form = Multipart::from_request(request, &training)
                .await
                .map_err(|e| TrainingError::invalid("file", e.body_text()))?;
            let (file, details) = receive_upload(&training, &user.id, form).await?;
            let key = key.map(|key| upload_fingerprint(key, &file, &details));
            training.record_file(&user.id, file, details, key.as_ref()).await?
        } else {
            // This route lifts the body limit for files, so JSON keeps its own.
            let limit = training.platform.config.max_body_bytes;
            let json = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
            if !json.is_some_and(|v| v.starts_with("application/json")) {
                return Err(TrainingError::UnsupportedMediaType);
            }
            let bytes = axum::body::to_bytes(request.into_body(), limit).await.map_err(|_| {
                TrainingError::TooLarge { what: "the request body", limit, setting: "ATHLOS_MAX_BODY_BYTES" }
            })?;
            let body: serde_json::Value =
                serde_json::from_slice(&bytes).map_err(|e| TrainingError::invalid("body", e.to_string()))?;
            let key = key.map(|key| Idempotency::new(key, &[body.to_string().as_bytes()]));
            let input: NewWorkout =
                serde_json::from_value(body).map_err(|e| TrainingError::invalid("body", e.to_string()))?;
            training.log_workout(&user.id, input, key.as_ref()).await?
        };
    Ok(answer(workout, new))
}

/// An upload's fingerprint: the file's content and every detail sent with it.
fn upload_fingerprint(key: String, file: &StoredFile, details: &FileDetails) -> Idempotency {
    let privacy = details.privacy.map(|p| p.as_str()).unwrap_or_default();
    let equipment = details.equipment_ids.as_ref().map_or("-".to_string(), |ids| ids.join(","));
    let parts = [&file.sha256, opt(&details.sport), opt(&details.title), opt(&details.notes), privacy, &equipment];
    Idempotency::new(key, &parts.map(str::as_bytes))
}

fn opt(text: &Option<String>) -> &str {
    text.as_deref().unwrap_or_default()
}

fn answer(workout: Workout, new: bool) -> Response {
    let status = match (new, workout.state) {
        (false, _) => StatusCode::OK,
        (true, WorkoutState::Processing) => StatusCode::ACCEPTED,
        (true, _) => StatusCode::CREATED,
    };
    let location = format!("/api/v1/workouts/{}", workout.id);
    (status, [(header::LOCATION, location)], Json(workout)).into_response()
}

/// Reads the upload form, the file straight to the file store. On any
/// error the stored file is deleted again.
async fn receive_upload(training: &Training, user_id: &str, mut form: Multipart) -> Result<(StoredFile, FileDetails)> {
    let mut file: Option<StoredFile> = None;
    let read = read_fields(training, user_id, &mut form, &mut file).await;
    match (read, file) {
        (Ok(details), Some(file)) => Ok((file, details)),
        (Ok(_), None) => Err(TrainingError::invalid("file", "send the activity file in a form field named `file`")),
        (Err(e), stored) => {
            if let Some(stored) = stored {
                let _ = training.platform.blobs.delete(&stored.key).await;
            }
            Err(e)
        }
    }
}

async fn read_fields(
    training: &Training,
    user_id: &str,
    form: &mut Multipart,
    file: &mut Option<StoredFile>,
) -> Result<FileDetails> {
    let mut details = FileDetails::default();
    while let Some(field) = form.next_field().await.map_err(form::broken)? {
        match field.name().unwrap_or_default() {
            "file" if file.is_some() => {
                return Err(TrainingError::invalid(
                    "file",
                    "send one file per request, or use /api/v1/workouts/imports",
                ))
            }
            "file" => {
                let name = field.file_name().unwrap_or("activity").to_string();
                *file = Some(training.store_activity_file(user_id, workouts::new_id(), name, field).await?);
            }
            "sport" => details.sport = Some(form::text(field, "sport").await?),
            "title" => details.title = Some(form::text(field, "title").await?),
            "notes" => details.notes = Some(form::text(field, "notes").await?),
            "privacy" => {
                let text = form::text(field, "privacy").await?;
                details.privacy = Some(Privacy::parse(text.trim()).ok_or_else(|| {
                    TrainingError::invalid("privacy", "privacy must be public, followers or private")
                })?);
            }
            "equipment_ids" => {
                let text = form::text(field, "equipment_ids").await?;
                details
                    .equipment_ids
                    .get_or_insert_with(Vec::new)
                    .extend(text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from));
            }
            "utc_offset_minutes" => {
                let text = form::text(field, "utc_offset_minutes").await?;
                let offset = text.trim().parse::<i32>().ok().filter(|m| (-840..=840).contains(m));
                details.utc_offset_minutes = Some(offset.ok_or_else(|| {
                    TrainingError::invalid("utc_offset_minutes", "utc_offset_minutes must be minutes from -840 to 840")
                })?);
            }
            other => return Err(TrainingError::invalid("file", format!("the form has an unknown field `{other}`"))),
        }
    }
    Ok(details)
}

/// Your workouts (or someone else's, as their privacy allows), newest
/// first, a page at a time.
#[utoipa::path(get, path = "/api/v1/workouts", tag = "workouts", security(("bearer" = [])), params(WorkoutFilter),
    responses((status = 200, body = WorkoutPage), (status = 422, body = platform::http::Problem)))]
async fn list(
    State(training): State<Training>,
    user: Caller,
    Query(filter): Query<WorkoutFilter>,
) -> Result<Json<WorkoutPage>> {
    Ok(Json(training.list_workouts(&user.id, filter).await?))
}

/// One workout with its analysis (splits, best efforts, zones, map shape,
/// chart series). Public workouts are open to everyone; someone else's
/// private workout is not found.
#[utoipa::path(get, path = "/api/v1/workouts/{id}", tag = "workouts", security((), ("bearer" = [])),
    responses((status = 200, body = Workout), (status = 404, body = platform::http::Problem)))]
async fn show(
    State(training): State<Training>,
    user: Option<Caller>,
    Path(id): Path<String>,
    request: HeaderMap,
) -> Result<Response> {
    let (mut workout, analysis) = training.workout_page(user.as_ref().map(|u| u.id.as_str()), &id).await?;
    let Some(analysis) = analysis else { return Ok(Json(workout).into_response()) };
    // The analysis goes out as it was kept, plain or compressed, between
    // the rest of the workout and its owner (the struct's last two fields,
    // so the body is what serialising the whole would give).
    let owner = workout.owner.take();
    let mut head = serde_json::to_vec(&workout)?;
    let closing = head.pop();
    debug_assert_eq!(closing, Some(b'}'));
    head.extend_from_slice(b",\"analysis\":");
    let mut tail = Vec::new();
    if let Some(owner) = owner {
        tail.extend_from_slice(b",\"owner\":");
        serde_json::to_writer(&mut tail, &owner)?;
    }
    tail.push(b'}');
    Ok(precompressed::json(&[Piece::Plain(&head), Piece::Kept(&analysis), Piece::Plain(&tail)], &request))
}

/// Changes a workout; what is left out stays.
#[utoipa::path(patch, path = "/api/v1/workouts/{id}", tag = "workouts", security(("bearer" = [])), request_body = WorkoutChanges,
    responses((status = 200, body = Workout), (status = 404, body = platform::http::Problem), (status = 422, body = platform::http::Problem)))]
async fn change(
    State(training): State<Training>,
    user: Caller,
    Path(id): Path<String>,
    Json(changes): Json<WorkoutChanges>,
) -> Result<Json<Workout>> {
    Ok(Json(training.change_workout(&user.id, &id, changes).await?))
}

/// Deletes a workout with its photos and files.
#[utoipa::path(delete, path = "/api/v1/workouts/{id}", tag = "workouts", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = platform::http::Problem)))]
async fn remove(State(training): State<Training>, user: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    training.delete_workout(&user.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The route as a 1200×630 PNG, for link previews (`og:image`).
#[utoipa::path(get, path = "/api/v1/workouts/{id}/preview.png", tag = "workouts", security((), ("bearer" = [])),
    responses((status = 200, content_type = "image/png"), (status = 404, body = platform::http::Problem)))]
async fn preview(State(training): State<Training>, user: Option<Caller>, Path(id): Path<String>) -> Result<Response> {
    let png = training.route_picture(user.as_ref().map(|u| u.id.as_str()), &id).await?;
    let headers = [(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "private, max-age=600")];
    Ok((headers, png).into_response())
}

/// The workout's track as GPX 1.1 (with heart rate, cadence and power).
#[utoipa::path(get, path = "/api/v1/workouts/{id}/gpx", tag = "workouts", security((), ("bearer" = [])),
    responses((status = 200, content_type = "application/gpx+xml"), (status = 404, body = platform::http::Problem)))]
async fn gpx(State(training): State<Training>, user: Option<Caller>, Path(id): Path<String>) -> Result<Response> {
    let (workout, gpx) = training.export_gpx(user.as_ref().map(|u| u.id.as_str()), &id).await?;
    Ok(download("application/gpx+xml", &format!("{}.gpx", safe_name(&workout.title)), None, Body::from(gpx)))
}

/// The activity file the workout was read from, as it was uploaded.
#[utoipa::path(get, path = "/api/v1/workouts/{id}/original", tag = "workouts", security((), ("bearer" = [])),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = platform::http::Problem)))]
async fn original(State(training): State<Training>, user: Option<Caller>, Path(id): Path<String>) -> Result<Response> {
    let workout = training.visible_workout(user.as_ref().map(|u| u.id.as_str()), &id).await?;
    let (Some(key), Some(file)) = (&workout.file_key, &workout.file) else { return Err(TrainingError::NoTrack) };
    let chunks = training.platform.blobs.get_stream(key).await?;
    let body = Body::from_stream(chunks.map_err(std::io::Error::other));
    Ok(download("application/octet-stream", &safe_name(&file.name), Some(file.size), body))
}

fn download(content_type: &str, filename: &str, size: Option<i64>, body: Body) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, content_type.parse().expect("a content type"));
    let disposition = format!("attachment; filename=\"{filename}\"");
    headers.insert(header::CONTENT_DISPOSITION, disposition.parse().expect("an ASCII file name"));
    if let Some(size) = size {
        headers.insert(header::CONTENT_LENGTH, size.into());
    }
    (headers, body).into_response()
}

/// A file name safe in a header: ASCII letters, digits, dots, dashes.
fn safe_name(name: &str) -> String {
    let safe: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '-' }).collect();
    let safe = safe.trim_matches('-').to_string();
    if safe.is_empty() {
        "workout".into()
    } else {
        safe
    }
}

pub fn uploads() -> OpenApiRouter<Training> {
    OpenApiRouter::new().routes(routes!(create, list))
}

pub fn routes() -> OpenApiRouter<Training> {
    OpenApiRouter::new()
        .routes(routes!(show, change, remove))
        .routes(routes!(gpx))
        .routes(routes!(original))
        .routes(routes!(preview))
}
