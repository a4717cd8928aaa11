//! `/api/v1/workouts/{id}/photos`: photos of a workout and their thumbnails.

use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use platform::http::Caller;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::form;
use crate::error::{Result, TrainingError};
use crate::photos::{self, Image, Photo};
use crate::uploads::{self, Limits};
use crate::Training;

/// The form of a photo upload.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct PhotoUpload {
    /// A JPEG, PNG or WebP image.
    #[schema(value_type = String, format = Binary)]
    photo: Vec<u8>,
}

/// Adds a photo (form field `photo`) to one of your workouts; its thumbnail
/// is made by a job (`thumbnail_ready`).
#[utoipa::path(post, path = "/api/v1/workouts/{id}/photos", tag = "workouts", security(("bearer" = [])),
    request_body(content((PhotoUpload = "multipart/form-data"))),
    responses((status = 201, body = Photo), (status = 404, body = platform::http::Problem),
        (status = 413, body = platform::http::Problem), (status = 422, body = platform::http::Problem)))]
async fn add(
    State(training): State<Training>,
    user: Caller,
    Path(workout_id): Path<String>,
    mut form: Multipart,
) -> Result<(StatusCode, Json<Photo>)> {
    training.may_add_photo(&user.id, &workout_id).await?;
    let field = form.next_field().await.map_err(form::broken)?;
    let Some(field) = field.filter(|f| f.name() == Some("photo")) else {
        return Err(TrainingError::invalid("photo", "send the image in a form field named `photo`"));
    };
    let photo_id = crate::workouts::new_id();
    let max = training.platform.config.max_upload_bytes;
    let limits = Limits { max_bytes: max, setting: "ATHLOS_MAX_UPLOAD_BYTES", what: "the photo", keep_up_to: max };
    let received = uploads::receive(&training.platform.blobs, field, limits, |head| {
        let (_, extension) = photos::recognise(head)
            .ok_or_else(|| TrainingError::invalid("photo", "the photo must be a JPEG, PNG or WebP image"))?;
        Ok(photos::photo_key(&user.id, &workout_id, &photo_id, extension))
    })
    .await?;
    Ok((StatusCode::CREATED, Json(training.add_photo(&user.id, &workout_id, &photo_id, received).await?)))
}

/// The photos of a workout you may see.
#[utoipa::path(get, path = "/api/v1/workouts/{id}/photos", tag = "workouts", security((), ("bearer" = [])),
    responses((status = 200, body = Vec<Photo>), (status = 404, body = platform::http::Problem)))]
async fn list(
    State(training): State<Training>,
    user: Option<Caller>,
    Path(workout_id): Path<String>,
) -> Result<Json<Vec<Photo>>> {
    Ok(Json(training.photos(user.as_ref().map(|u| u.id.as_str()), &workout_id).await?))
}

/// The photo itself.
#[utoipa::path(get, path = "/api/v1/workouts/{id}/photos/{photo_id}", tag = "workouts", security((), ("bearer" = [])),
    responses((status = 200, content_type = "image/*"), (status = 404, body = platform::http::Problem)))]
async fn image(
    State(training): State<Training>,
    user: Option<Caller>,
    Path((workout_id, photo_id)): Path<(String, String)>,
) -> Result<Response> {
    let image = training.photo_image(user.as_ref().map(|u| u.id.as_str()), &workout_id, &photo_id, false).await?;
    Ok(respond(image))
}

/// The photo's thumbnail (JPEG, at most 480 pixels on its longer side);
/// 409 while it is being made.
#[utoipa::path(get, path = "/api/v1/workouts/{id}/photos/{photo_id}/thumbnail", tag = "workouts", security((), ("bearer" = [])),
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = platform::http::Problem), (status = 409, body = platform::http::Problem)))]
async fn thumbnail(
    State(training): State<Training>,
    user: Option<Caller>,
    Path((workout_id, photo_id)): Path<(String, String)>,
) -> Result<Response> {
    let image = training.photo_image(user.as_ref().map(|u| u.id.as_str()), &workout_id, &photo_id, true).await?;
    Ok(respond(image))
}

/// Deletes a photo of one of your workouts.
#[utoipa::path(delete, path = "/api/v1/workouts/{id}/photos/{photo_id}", tag = "workouts", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = platform::http::Problem)))]
async fn remove(
    State(training): State<Training>,
    user: Caller,
    Path((workout_id, photo_id)): Path<(String, String)>,
) -> Result<StatusCode> {
    training.delete_photo(&user.id, &workout_id, &photo_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn respond(image: Image) -> Response {
    let headers =
        [(header::CONTENT_TYPE, image.content_type), (header::CACHE_CONTROL, "private, max-age=86400".into())];
    (headers, Body::from_stream(image.bytes)).into_response()
}

pub fn uploads() -> OpenApiRouter<Training> {
    OpenApiRouter::new().routes(routes!(add, list))
}

pub fn routes() -> OpenApiRouter<Training> {
    OpenApiRouter::new().routes(routes!(image, remove)).routes(routes!(thumbnail))
}
