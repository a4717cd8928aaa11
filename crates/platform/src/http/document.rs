//! The finishing pass over the OpenAPI document: the answers every operation
//! shares are written here once instead of on every route, so the document
//! says what the layers and extractors do, not only what each handler does.
//!
//! It runs where the document is finished, so `/openapi.json` and
//! `athlos openapi` say the same. It works on the document as JSON, where
//! a response's content is a map like any other.
//!
//! - every error is `application/problem+json` with the `Problem` schema
//!   (an error that has another shape, such as OAuth's JSON errors or an
//!   HTML page, names its own content type and is left alone);
//! - an operation with a query string or a body may answer 400 (it cannot
//!   be read) and 422 (a value is invalid: a wrong type, a control
//!   character (see [`super::text`]), a rule of the route);
//! - an operation with a body may answer 413 (too large) and, unless it
//!   takes only multipart forms, 415 (wrong content type);
//! - an operation with bearer security may answer 401 (no valid token) and
//!   403 (an application's token, or a suspended account).
//!
//! 500 is never documented: it is a bug, whatever the route.

use serde_json::{json, Map, Value};

use super::PROBLEM_JSON;

const PROBLEM_REF: &str = "#/components/schemas/Problem";

/// Applies the shared answers to every operation of `openapi`.
pub fn complete(openapi: &mut utoipa::openapi::OpenApi) {
    let mut document = serde_json::to_value(&*openapi).expect("an OpenAPI document serializes");
    complete_json(&mut document);
    *openapi = serde_json::from_value(document).expect("a completed OpenAPI document reads back");
}

fn complete_json(document: &mut Value) {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (method, operation) in item.iter_mut() {
            if matches!(method.as_str(), "get" | "put" | "post" | "delete" | "patch" | "head" | "options") {
                complete_operation(operation);
            }
        }
    }
}

fn complete_operation(operation: &mut Value) {
    let secured = operation["security"]
        .as_array()
        .is_some_and(|requirements| requirements.iter().any(|r| r.get("bearer").is_some()));
    let has_query =
        operation["parameters"].as_array().is_some_and(|parameters| parameters.iter().any(|p| p["in"] == "query"));
    let body_types: Vec<String> = operation["requestBody"]["content"]
        .as_object()
        .map(|content| content.keys().cloned().collect())
        .unwrap_or_default();
    let has_body = !body_types.is_empty();
    let only_multipart = has_body && body_types.iter().all(|t| t == "multipart/form-data");

    let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else { return };
    if has_query || has_body {
        add(responses, "400", "The request cannot be read: a malformed query string, body or form.");
        add(
            responses,
            "422",
            "A value is invalid (the wrong type, out of range, a control character other than tab or a line break, \
             or against a rule of this operation); `field` names it.",
        );
    }
    if has_body {
        add(responses, "413", "The body is larger than this server accepts.");
        if !only_multipart {
            add(responses, "415", "The body is not of a content type this operation takes.");
        }
    }
    if secured {
        add(responses, "401", "No valid access token: send `Authorization: Bearer <access token>`.");
        add(responses, "403", "This token may not do this: an application's token, or a suspended account.");
    }
    for (status, response) in responses.iter_mut() {
        if status.starts_with('4') || status.starts_with('5') {
            as_problem(response);
        }
    }
    // Rate limits always say when to come back; a busy server says so when it can tell.
    for (status, required) in [("429", true), ("503", false)] {
        if let Some(response) = responses.get_mut(status) {
            let header = json!({
                "description": "Seconds to wait before trying again.",
                "required": required,
                "schema": { "type": "integer", "minimum": 0 }
            });
            response["headers"]["Retry-After"] = header;
        }
    }
}

/// Adds an error answer unless the operation documents that status itself.
fn add(responses: &mut Map<String, Value>, status: &str, description: &str) {
    responses.entry(status).or_insert_with(|| json!({ "description": description }));
}

/// An error documented without a body, or as JSON with the `Problem`
/// schema, is what the server sends: `application/problem+json`.
fn as_problem(response: &mut Value) {
    let Some(response) = response.as_object_mut() else { return };
    let problem = json!({ PROBLEM_JSON: { "schema": { "$ref": PROBLEM_REF } } });
    let content = response.entry("content").or_insert_with(|| json!({}));
    let Some(types) = content.as_object_mut() else { return };
    if types.is_empty() {
        *content = problem;
    } else if types.get("application/json").is_some_and(|c| c["schema"]["$ref"] == PROBLEM_REF) {
        types.remove("application/json");
        types.insert(PROBLEM_JSON.to_string(), problem[PROBLEM_JSON].clone());
    }
    if response.get("description").and_then(Value::as_str).is_none_or(str::is_empty) {
        response.insert("description".into(), json!("A problem (RFC 9457)."));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem_of(response: &Value) -> &Value {
        &response["content"][PROBLEM_JSON]["schema"]["$ref"]
    }

    #[test]
    fn shared_answers_are_added_and_errors_are_problems() {
        let oauth = json!({ "schema": { "$ref": "#/components/schemas/OAuthErrorAnswer" } });
        let mut document = json!({ "paths": {
            "/things": { "post": {
                "security": [{ "bearer": [] }],
                "requestBody": { "content": { "application/json": {} } },
                "responses": {
                    "201": { "description": "made" },
                    "400": { "description": "an OAuth error", "content": { "application/json": oauth } },
                    "404": { "description": "", "content": { "application/json": { "schema": { "$ref": PROBLEM_REF } } } },
                    "429": { "description": "slow down" }
                }
            } },
            "/uploads": { "put": {
                "requestBody": { "content": { "multipart/form-data": {} } },
                "responses": { "204": { "description": "kept" } }
            } },
            "/health": { "get": { "responses": { "200": { "description": "fine" } } } }
        } });
        complete_json(&mut document);

        let things = &document["paths"]["/things"]["post"]["responses"];
        for status in ["401", "403", "404", "413", "415", "422", "429"] {
            assert_eq!(problem_of(&things[status]), PROBLEM_REF, "{status}: {}", things[status]);
        }
        assert_eq!(things["400"]["content"]["application/json"], oauth, "another shape of error stays");
        assert_eq!(things["429"]["headers"]["Retry-After"]["required"], true);
        assert!(things["201"].get("content").is_none());

        let uploads = &document["paths"]["/uploads"]["put"]["responses"];
        assert!(uploads.get("415").is_none() && uploads.get("401").is_none(), "{uploads}");
        assert_eq!(problem_of(&uploads["413"]), PROBLEM_REF);

        let health = document["paths"]["/health"]["get"]["responses"].as_object().unwrap();
        assert_eq!(health.keys().collect::<Vec<_>>(), ["200"], "nothing to refuse, nothing added");
    }
}
