//! The token endpoint (code and refresh grants), revocation (RFC 7009) and
//! introspection (RFC 7662), answering in OAuth's own JSON shape.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use platform::http::ClientAddress;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::oauth::{ClientCredentials, OAuthResult, TokenRequest, TokenResponse};
use crate::sessions;
use crate::Identity;

/// How an OAuth error reads (RFC 6749 §5.2).
#[derive(ToSchema)]
#[allow(dead_code)]
struct OAuthErrorAnswer {
    /// `invalid_request`, `invalid_client`, `invalid_grant`, `unsupported_grant_type`, `slow_down`, …
    error: String,
    error_description: String,
}

/// `client_id:client_secret` from HTTP Basic (each form-urlencoded, RFC 6749 §2.3.1).
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(STANDARD.decode(value.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unescape =
        |s: &str| url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
    Some((unescape(id)?, unescape(secret)?))
}

/// Who the calling client says it is: HTTP Basic, else the form's fields.
fn credentials(headers: &HeaderMap, form_id: Option<&str>, form_secret: Option<&str>) -> ClientCredentials {
    match basic_credentials(headers) {
        Some((id, secret)) => ClientCredentials { id, secret: Some(secret) },
        None => {
            ClientCredentials { id: form_id.unwrap_or_default().to_string(), secret: form_secret.map(str::to_string) }
        }
    }
}

/// Trades an authorization code (with its PKCE verifier) or a refresh token for tokens.
#[utoipa::path(post, path = "/oauth/token", tag = "oauth",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, body = TokenResponse), (status = 400, body = OAuthErrorAnswer, description = "An OAuth error"),
        (status = 401, body = OAuthErrorAnswer, description = "invalid_client")))]
async fn token(
    State(identity): State<Identity>,
    address: ClientAddress,
    headers: HeaderMap,
    Form(form): Form<TokenRequest>,
) -> OAuthResult<Response> {
    let said = credentials(&headers, form.client_id.as_deref(), form.client_secret.as_deref());
    let client = identity.calling_client(said).await?;
    let from = sessions::Client { address: address.0, device: format!("{} (app)", client.name) };
    let answer = identity.grant(&client, &form, &from).await?;
    let mut response = Json(answer).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Deserialize, ToSchema)]
struct TokenForm {
    token: String,
    token_type_hint: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// Revokes a token (RFC 7009): the session it belongs to ends, so the
/// access and refresh tokens of that login stop working together.
#[utoipa::path(post, path = "/oauth/revoke", tag = "oauth",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "Revoked, or was not valid anyway"),
        (status = 401, body = OAuthErrorAnswer, description = "invalid_client")))]
async fn revoke(
    State(identity): State<Identity>,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> OAuthResult<StatusCode> {
    let said = credentials(&headers, form.client_id.as_deref(), form.client_secret.as_deref());
    let client = identity.calling_client(said).await?;
    // A hint may be sent; every kind of token is looked for anyway.
    let _ = &form.token_type_hint;
    identity.revoke_token(&client, &form.token).await?;
    Ok(StatusCode::OK)
}

/// Tells a confidential client whether one of its tokens is alive (RFC 7662).
#[utoipa::path(post, path = "/oauth/introspect", tag = "oauth",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, body = Object, description = "`{active: …}` and, when active, what the token is"),
        (status = 401, body = OAuthErrorAnswer, description = "invalid_client")))]
async fn introspect(
    State(identity): State<Identity>,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> OAuthResult<Json<Value>> {
    let said = credentials(&headers, form.client_id.as_deref(), form.client_secret.as_deref());
    let client = identity.calling_client(said).await?;
    Ok(Json(identity.introspect_token(&client, &form.token).await?))
}

pub fn routes() -> OpenApiRouter<Identity> {
    OpenApiRouter::new().routes(routes!(token)).routes(routes!(revoke)).routes(routes!(introspect))
}
