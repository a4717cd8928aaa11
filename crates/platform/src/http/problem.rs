//! Errors as `application/problem+json` (RFC 9457). Each kind of failure has a
//! stable `type` that clients may match on; `detail` says what to do about it.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A stable identifier of the kind of failure, for example `/problems/not-found`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// For validation failures: which field is wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For a repeat of something already there (`/problems/duplicate-workout`):
    /// the id of what exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<String>,
    /// Seconds after which trying again may succeed, sent as `Retry-After`.
    #[serde(skip)]
    #[schema(ignore)]
    pub retry_after_secs: Option<u64>,
}

impl Problem {
    pub fn new(status: StatusCode, slug: &str, detail: impl Into<String>) -> Self {
        Self {
            kind: format!("/problems/{slug}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            field: None,
            existing_id: None,
            retry_after_secs: None,
        }
    }

    /// The server is too busy for this request now; it may try again later.
    pub fn busy(detail: impl Into<String>, retry_after_secs: u64) -> Self {
        let mut problem = Self::new(StatusCode::SERVICE_UNAVAILABLE, "server-busy", detail);
        problem.retry_after_secs = Some(retry_after_secs);
        problem
    }

    /// A database failure. No free connection within the acquire timeout
    /// means a crowd, not a bug: 503 with a hint when to come back.
    pub fn database(error: &sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut => {
                tracing::warn!("no database connection was free in time");
                Self::busy("The server is busy right now. Try again in a few seconds.", 2)
            }
            other => Self::internal(other),
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", detail)
    }

    pub fn invalid(field: &str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-input", detail).with_field(field)
    }

    /// A failure of ours: logged in full, shown to the client without internals.
    pub fn internal(error: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %error, "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on the server. Try again; if it keeps happening, tell the administrator the request id.",
        )
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).expect("a problem serializes");
        let mut response = (status, body).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(secs) = self.retry_after_secs {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// Failures that leave the router or a layer without a body of ours (an
/// unknown path, a wrong method, a body over the limit, a timeout, a JSON
/// rejection) are turned into problems here, so every error has one shape.
pub async fn problems_for_bare_errors(request: Request, next: Next) -> Response {
    let upload = is_upload(&request);
    let mut response = next.run(request).await;
    let status = response.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE || (upload && status.is_client_error()) {
        // The rest of the body was never read: the connection cannot carry
        // another request, and a client that reused it would see it break.
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    // Bodies a handler shaped on purpose (problem+json, OAuth's JSON errors,
    // HTML error pages) stay as they are; bare ones and plain text are converted.
    let shaped = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !v.starts_with("text/plain"));
    if shaped {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 16 * 1024).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_string();
    let mut problem = bare_problem(status, text);
    if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
        problem = Problem::internal(&problem.detail);
    }
    let mut rebuilt = problem.into_response();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rebuilt.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rebuilt
}

/// A file sent as the body: refused part way, the rest of it is never read,
/// so its connection is closed rather than offered for the next request.
fn is_upload(request: &Request) -> bool {
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    ["multipart/", "image/", "application/octet-stream", "application/zip", "application/gzip"]
        .iter()
        .any(|kind| content_type.starts_with(kind))
}

fn bare_problem(status: StatusCode, text: String) -> Problem {
    let (slug, detail) = match status {
        StatusCode::NOT_FOUND => ("not-found", "Nothing is here. Check the address.".to_string()),
        StatusCode::METHOD_NOT_ALLOWED => {
            ("method-not-allowed", "This address does not accept that method; see /documentation.".to_string())
        }
        StatusCode::PAYLOAD_TOO_LARGE => (
            "body-too-large",
            "The request body is larger than this server accepts (ATHLOS_MAX_BODY_BYTES).".to_string(),
        ),
        StatusCode::REQUEST_TIMEOUT => {
            ("timeout", "The request took longer than this server allows (ATHLOS_REQUEST_TIMEOUT_SECS).".to_string())
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("unsupported-media-type", with_default(text, "Send JSON with Content-Type: application/json."))
        }
        StatusCode::BAD_REQUEST => ("bad-request", with_default(text, "The request is malformed.")),
        StatusCode::UNPROCESSABLE_ENTITY => {
            ("invalid-input", with_default(text, "The request body does not have the expected fields."))
        }
        StatusCode::UNAUTHORIZED => ("unauthorized", with_default(text, "Log in first.")),
        StatusCode::TOO_MANY_REQUESTS => ("rate-limited", with_default(text, "Too many requests; wait and try again.")),
        StatusCode::SERVICE_UNAVAILABLE => {
            ("unavailable", with_default(text, "The server is not ready; try again shortly."))
        }
        _ => ("http-error", with_default(text, status.canonical_reason().unwrap_or("Error"))),
    };
    Problem::new(status, slug, detail)
}

fn with_default(text: String, default: &str) -> String {
    if text.is_empty() {
        default.to_string()
    } else {
        text
    }
}
