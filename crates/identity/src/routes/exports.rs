//! `/api/v1/account/exports`: a copy of one's own data.

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::TryStreamExt;
use platform::http::Caller;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Result;
use crate::export::ExportInfo;
use crate::Identity;

/// Starts an export of everything Athlos keeps about you: a ZIP of JSON
/// files and your original files. A link to it comes by mail when it is ready.
#[utoipa::path(post, path = "/api/v1/account/exports", tag = "account", security(("bearer" = [])),
    responses((status = 202, body = ExportInfo), (status = 409, body = platform::http::Problem),
        (status = 429, body = platform::http::Problem)))]
async fn request(State(identity): State<Identity>, user: Caller) -> Result<(StatusCode, Json<ExportInfo>)> {
    Ok((StatusCode::ACCEPTED, Json(identity.request_export(&user.id).await?)))
}

/// Your exports, newest first, with their state.
#[utoipa::path(get, path = "/api/v1/account/exports", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Vec<ExportInfo>)))]
async fn list(State(identity): State<Identity>, user: Caller) -> Result<Json<Vec<ExportInfo>>> {
    Ok(Json(identity.exports(&user.id).await?))
}

#[derive(Deserialize, IntoParams)]
struct DownloadQuery {
    /// The token from the mailed link.
    token: String,
}

/// Downloads an export with the link from the mail (no login needed: the
/// link is the key; it works for seven days).
#[utoipa::path(get, path = "/api/v1/account/exports/download", tag = "account", params(DownloadQuery),
    responses((status = 200, content_type = "application/zip"), (status = 400, body = platform::http::Problem)))]
async fn download(State(identity): State<Identity>, Query(query): Query<DownloadQuery>) -> Result<Response> {
    let export = identity.export_download(query.token.trim()).await?;
    let chunks = identity.platform.blobs.get_stream(&export.key).await?;
    let day = platform::db::rfc3339(export.created_at);
    let filename = format!("athlos-export-{}.zip", &day[..10]);
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (header::CONTENT_LENGTH, export.size.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(chunks.map_err(std::io::Error::other)),
    )
        .into_response())
}

pub fn routes() -> OpenApiRouter<Identity> {
    OpenApiRouter::new().routes(routes!(request, list)).routes(routes!(download))
}
