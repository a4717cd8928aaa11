//! Control characters in text input, refused in one place at the edge.
//!
//! A NUL byte is text to SQLite but an error to PostgreSQL, and the other
//! control characters are never what a person meant to type: they come
//! from broken clients or from someone probing. Every JSON body, form
//! body, query string and path passes this check before any handler, so
//! both databases see the same text and the answer is the same 422 naming
//! the field, whichever route was called. Multipart text fields are read
//! by their routes, which call [`check_text`].

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::Problem;

/// Whether a character may appear in text input: anything but the control
/// characters, except tab and the line breaks (`\n`, and `\r` as part of
/// `\r\n`, which text areas on some systems send).
pub fn allowed(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\n' | '\r')
}

/// Text with a control character, and where it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` contains a control character; only tab and line breaks are allowed in text")]
pub struct ControlCharacter {
    pub field: String,
}

impl From<ControlCharacter> for Problem {
    fn from(found: ControlCharacter) -> Self {
        Problem::invalid(&found.field, found.to_string())
    }
}

/// A text field's value checked; the error names `field`.
pub fn check_text(field: &str, value: &str) -> Result<(), ControlCharacter> {
    if value.chars().all(allowed) {
        return Ok(());
    }
    Err(ControlCharacter { field: field.to_string() })
}

/// Every string (and key) in a JSON document, the first offending one named
/// by its path, such as `equipment_ids[2]` or `address.city`.
pub fn check_json(value: &Value) -> Result<(), ControlCharacter> {
    check_json_at(value, &mut String::new())
}

fn check_json_at(value: &Value, path: &mut String) -> Result<(), ControlCharacter> {
    match value {
        Value::String(text) => check_text(field_name(path), text),
        Value::Array(items) => items.iter().enumerate().try_for_each(|(i, item)| within(path, &format!("[{i}]"), item)),
        Value::Object(fields) => fields.iter().try_for_each(|(key, item)| {
            let step = if path.is_empty() { key.clone() } else { format!(".{key}") };
            check_text(field_name(&format!("{path}{step}")), key)?;
            within(path, &step, item)
        }),
        _ => Ok(()),
    }
}

fn within(path: &mut String, step: &str, value: &Value) -> Result<(), ControlCharacter> {
    let length = path.len();
    path.push_str(step);
    let checked = check_json_at(value, path);
    path.truncate(length);
    checked
}

fn field_name(path: &str) -> &str {
    if path.is_empty() {
        "body"
    } else {
        path
    }
}

/// Name-value pairs as in a query string or a form body.
pub fn check_pairs(encoded: &[u8]) -> Result<(), ControlCharacter> {
    for (name, value) in url::form_urlencoded::parse(encoded) {
        check_text(&name, &name)?;
        check_text(&name, &value)?;
    }
    Ok(())
}

/// The middleware: path, query string, and JSON or form bodies up to
/// `max_body_bytes` (larger ones are the body limit's to refuse).
pub async fn refuse_control_characters(State(max_body_bytes): State<usize>, request: Request, next: Next) -> Response {
    match checked(request, max_body_bytes).await {
        Ok(request) => next.run(request).await,
        Err(response) => response,
    }
}

async fn checked(request: Request, max_body_bytes: usize) -> Result<Request, Response> {
    let decoded = percent_encoding::percent_decode_str(request.uri().path()).decode_utf8_lossy();
    if !decoded.chars().all(allowed) {
        // No resource has such a name.
        return Err(Problem::not_found("Nothing is here. Check the address.").into_response());
    }
    if let Some(query) = request.uri().query() {
        check_pairs(query.as_bytes()).map_err(|found| Problem::from(found).into_response())?;
    }
    let kind = body_kind(&request);
    if kind == BodyKind::Other {
        return Ok(request);
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, max_body_bytes).await.map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
    let verdict = match kind {
        // Malformed JSON is the handler's to explain; only text is checked here.
        BodyKind::Json => serde_json::from_slice::<Value>(&bytes).map_or(Ok(()), |value| check_json(&value)),
        BodyKind::Form => check_pairs(&bytes),
        BodyKind::Other => Ok(()),
    };
    verdict.map_err(|found| Problem::from(found).into_response())?;
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Json,
    Form,
    Other,
}

fn body_kind(request: &Request) -> BodyKind {
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") {
        BodyKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyKind::Form
    } else {
        BodyKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_tabs_and_line_breaks_and_refuses_other_controls() {
        assert!(check_text("notes", "a\tb\r\nc — ü 🏃").is_ok());
        for bad in ["a\0b", "\u{1b}[31m", "\u{7f}", "\u{85}", "\u{8}"] {
            let problem = Problem::from(check_text("notes", bad).unwrap_err());
            assert_eq!(problem.status, 422);
            assert_eq!(problem.field.as_deref(), Some("notes"));
        }
    }

    #[test]
    fn json_names_the_offending_field_by_its_path() {
        let value = serde_json::json!({ "title": "ok", "equipment_ids": ["a", "b\u{0}"], "n": 3 });
        assert_eq!(check_json(&value).unwrap_err().field, "equipment_ids[1]");
        let nested = serde_json::json!({ "a": { "b": "\u{1}" } });
        assert_eq!(check_json(&nested).unwrap_err().field, "a.b");
        let key = serde_json::json!({ "ti\u{0}tle": "x" });
        assert!(check_json(&key).is_err());
        assert_eq!(check_json(&serde_json::json!("\u{0}")).unwrap_err().field, "body");
        assert!(check_json(&serde_json::json!({ "title": "fine\n" })).is_ok());
    }

    #[test]
    fn query_pairs_are_decoded_before_the_check() {
        assert!(check_pairs(b"q=runs&limit=20").is_ok());
        assert_eq!(check_pairs(b"q=a%00b").unwrap_err().field, "q");
        assert!(check_pairs(b"user=%C2%85").is_err());
    }
}
