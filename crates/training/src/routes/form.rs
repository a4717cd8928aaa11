//! Reading multipart forms: files streamed to the file store, small text
//! fields read with a cap, and a clear error for a form that breaks off.

use axum::extract::multipart::{Field, MultipartError};
use futures::StreamExt;

use crate::error::{Result, TrainingError};

/// Text fields are short (a title, notes): more than this is not one.
const MAX_TEXT: usize = 64 * 1024;

pub fn broken(e: MultipartError) -> TrainingError {
    TrainingError::invalid("file", format!("the form could not be read: {}", e.body_text()))
}

/// A text field's value, refused when longer than a text field can be.
pub async fn text(field: Field<'_>, name: &'static str) -> Result<String> {
    let mut field = field;
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        bytes.extend_from_slice(&chunk.map_err(broken)?);
        if bytes.len() > MAX_TEXT {
            return Err(TrainingError::invalid(name, format!("`{name}` is longer than {MAX_TEXT} bytes")));
        }
    }
    let text =
        String::from_utf8(bytes).map_err(|_| TrainingError::invalid(name, format!("`{name}` is not UTF-8 text")))?;
    platform::http::text::check_text(name, &text).map_err(|found| TrainingError::invalid(name, found.to_string()))?;
    Ok(text)
}
