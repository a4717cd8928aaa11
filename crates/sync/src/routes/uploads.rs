//! Files made offline, uploaded in parts.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Result;
use crate::uploads::{NewUpload, PartQuery, Upload};
use crate::Sync;

pub fn routes() -> OpenApiRouter<Sync> {
    OpenApiRouter::new()
        .routes(routes!(start_upload))
        .routes(routes!(upload, upload_part))
        // A part is up to 8 MiB; the route counts it as it streams in.
        .layer(DefaultBodyLimit::disable())
}

/// The bytes of one part.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
struct Part(Vec<u8>);

/// Starts uploading a file made offline, or answers the upload under way for
/// the same training (a device that lost the answer asks again).
#[utoipa::path(post, path = "/api/v1/sync/uploads", tag = "sync", security(("bearer" = [])),
    request_body = NewUpload,
    responses((status = 200, body = Upload), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn start_upload(State(this): State<Sync>, caller: Caller, Json(new): Json<NewUpload>) -> Result<Json<Upload>> {
    Ok(Json(this.start_upload(&caller.id, new).await?))
}

/// Where my upload stands: the offset the next part starts at, or the training it made.
#[utoipa::path(get, path = "/api/v1/sync/uploads/{id}", tag = "sync", security(("bearer" = [])),
    responses((status = 200, body = Upload), (status = 404, body = Problem)))]
async fn upload(State(this): State<Sync>, caller: Caller, Path(id): Path<String>) -> Result<Json<Upload>> {
    Ok(Json(this.upload(&caller.id, &id).await?))
}

/// Sends the part that starts at `offset` (at most 8 MiB); the part that
/// completes the file makes the training. A part at any other offset is a
/// 409 that says where to continue.
#[utoipa::path(put, path = "/api/v1/sync/uploads/{id}", tag = "sync", security(("bearer" = [])),
    params(PartQuery),
    request_body(content((Part = "application/octet-stream"))),
    responses((status = 200, body = Upload), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn upload_part(
    State(this): State<Sync>,
    caller: Caller,
    Path(id): Path<String>,
    Query(part): Query<PartQuery>,
    request: Request,
) -> Result<Json<Upload>> {
    let body: Body = request.into_body();
    Ok(Json(this.upload_part(&caller.id, &id, part.offset, body).await?))
}
