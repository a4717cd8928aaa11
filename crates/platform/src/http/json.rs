//! JSON bodies whose wrong values are named: a value of the wrong type, an
//! unknown word or an unknown field is a 422 whose `field` says which, as
//! every other refused value is, so a form can point at it. Contexts take
//! `platform::http::json::Json` where they would take `axum::Json`.

use super::Problem;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// A JSON body, or an answer in JSON.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        // axum's own extractor answers a wrong content type (415) and bad JSON (400).
        let axum::Json(body) =
            axum::Json::<Value>::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        // Every body here is an object; serde would take a struct's fields as an array too.
        if !body.is_object() {
            return Err(Problem::invalid("body", "send a JSON object").into_response());
        }
        serde_path_to_error::deserialize(body).map(Json).map_err(|e| {
            let field = field_of(&e);
            Problem::invalid(&field, e.into_inner().to_string()).into_response()
        })
    }
}

/// Answers are plain JSON, as axum's.
impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Where the body went wrong: the path to the value (`kind`, `sports[2]`),
/// or for a field missing or unknown at the top, the field's name.
fn field_of(error: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = error.path().to_string();
    if path != "." {
        return path;
    }
    let message = error.inner().to_string();
    message.split('`').nth(1).filter(|_| message.contains(" field `")).unwrap_or("body").to_string()
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Shoes,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Shape {
        kind: Kind,
        sports: Option<Vec<String>>,
    }

    fn field(body: Value) -> String {
        field_of(&serde_path_to_error::deserialize::<_, Shape>(body).unwrap_err())
    }

    #[test]
    fn the_wrong_value_is_named_by_its_path() {
        assert_eq!(field(serde_json::json!({ "kind": "hoverboard" })), "kind");
        assert_eq!(field(serde_json::json!({ "kind": "shoes", "sports": ["running", 3] })), "sports[1]");
        assert_eq!(field(serde_json::json!({ "kind": "shoes", "colour": "blue" })), "colour");
        assert_eq!(field(serde_json::json!({ "sports": [] })), "kind");
        assert_eq!(field(serde_json::json!([])), "body");
    }
}
