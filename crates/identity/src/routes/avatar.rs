//! Profile pictures: `/api/v1/account/avatar` to set or remove one's own,
//! `/api/v1/users/{id}/avatar` to show anyone's.

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::{Stream, StreamExt};
use platform::http::Caller;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{IdentityError, Result};
use crate::{avatar, Identity};

/// The form of an upload (`multipart/form-data`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct AvatarUpload {
    /// A JPEG, PNG or WebP picture.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// A picture sent as the request body itself.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
struct Picture(Vec<u8>);

/// Sets your profile picture: a JPEG, PNG or WebP of at most 10 MiB, as the
/// form field `file` or as the body with its image type. It is kept as the
/// middle square, 256×256, in JPEG.
#[utoipa::path(put, path = "/api/v1/account/avatar", tag = "account", security(("bearer" = [])),
    request_body(content(
        (AvatarUpload = "multipart/form-data"),
        (Picture = "image/jpeg"), (Picture = "image/png"), (Picture = "image/webp"))),
    responses((status = 204), (status = 413, body = platform::http::Problem),
        (status = 415, body = platform::http::Problem), (status = 422, body = platform::http::Problem)))]
async fn set(State(identity): State<Identity>, user: Caller, request: Request) -> Result<StatusCode> {
    let picture = receive(&identity, request).await?;
    identity.set_avatar(&user.id, picture).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes your profile picture.
#[utoipa::path(delete, path = "/api/v1/account/avatar", tag = "account", security(("bearer" = [])),
    responses((status = 204)))]
async fn remove(State(identity): State<Identity>, user: Caller) -> Result<StatusCode> {
    identity.remove_avatar(&user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Someone's profile picture (256×256 JPEG). Open to anyone: `<img>` cannot
/// send a token. 404 when they have none.
#[utoipa::path(get, path = "/api/v1/users/{id}/avatar", tag = "account",
    params(("id" = String, Path, description = "The person's user id")),
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = platform::http::Problem)))]
async fn show(State(identity): State<Identity>, Path(id): Path<String>) -> Result<Response> {
    let picture = identity.avatar(&id).await?;
    let headers = [
        (header::CONTENT_TYPE, "image/jpeg"),
        // Short: a new picture has a new address anyway, and a removed one should go soon.
        (header::CACHE_CONTROL, "private, max-age=300"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    Ok((headers, Body::from_stream(picture)).into_response())
}

/// The picture's bytes from the form field `file` or from the body, counted
/// against the limit as they arrive.
async fn receive(identity: &Identity, request: Request) -> Result<Bytes> {
    let limit = avatar::max_bytes(&identity.platform.config);
    let content_type =
        request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    if content_type.starts_with("multipart/form-data") {
        let mut form = Multipart::from_request(request, identity)
            .await
            .map_err(|e| IdentityError::invalid("file", e.body_text()))?;
        while let Some(field) = form.next_field().await.map_err(|e| IdentityError::invalid("file", e.body_text()))? {
            if field.name() == Some("file") {
                return collect(field, limit).await;
            }
        }
        Err(IdentityError::invalid("file", "Send the picture in a form field named `file`."))
    } else if content_type.starts_with("image/") {
        collect(request.into_body().into_data_stream(), limit).await
    } else {
        Err(IdentityError::UnsupportedMediaType(
            "Send the picture as multipart/form-data (field `file`) or as the body with Content-Type image/jpeg, image/png or image/webp.",
        ))
    }
}

async fn collect<S, E>(mut chunks: S, limit: usize) -> Result<Bytes>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut picture = Vec::new();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|e| {
            IdentityError::invalid("file", format!("The upload broke off before the picture was complete: {e}"))
        })?;
        if picture.len() + chunk.len() > limit {
            return Err(IdentityError::TooLarge { what: "the picture", limit });
        }
        picture.extend_from_slice(&chunk);
    }
    if picture.is_empty() {
        return Err(IdentityError::invalid("file", "The picture is empty."));
    }
    Ok(Bytes::from(picture))
}

pub fn routes() -> OpenApiRouter<Identity> {
    // The upload counts its own bytes against its own limit.
    let upload = OpenApiRouter::new().routes(routes!(set, remove)).layer(DefaultBodyLimit::disable());
    OpenApiRouter::new().merge(upload).routes(routes!(show))
}
