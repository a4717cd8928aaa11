//! Pictures sent as the request body, and sent back.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures::stream::BoxStream;

use crate::error::{InventoryError, Result};
use crate::pictures::MAX_BYTES;

/// A picture as the body: `image/jpeg`, `image/png` or `image/webp`.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct Picture(Vec<u8>);

/// The body's bytes, refused past 10 MiB or when not a picture type.
pub async fn receive(request: Request) -> Result<Bytes> {
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if !matches!(essence.as_str(), "image/jpeg" | "image/png" | "image/webp") {
        return Err(InventoryError::UnsupportedMediaType);
    }
    axum::body::to_bytes(request.into_body(), MAX_BYTES)
        .await
        .map_err(|_| InventoryError::TooLarge { limit: MAX_BYTES })
}

/// A stored JPEG, for whoever may see it.
pub fn jpeg(picture: BoxStream<'static, std::io::Result<Bytes>>, cache: &'static str) -> Response {
    let headers = [
        (header::CONTENT_TYPE, "image/jpeg"),
        (header::CACHE_CONTROL, cache),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    (headers, Body::from_stream(picture)).into_response()
}
