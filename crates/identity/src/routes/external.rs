//! `/api/v1/auth/external`: logging in through an external OpenID Connect provider.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use platform::http::ClientAddress;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{IdentityError, Result};
use crate::oauth::pages;
use crate::sessions::Client;
use crate::Identity;

#[derive(Serialize, utoipa::ToSchema)]
struct ExternalProvider {
    /// The name for the login button.
    name: String,
    /// Where the browser goes to start.
    start: &'static str,
}

/// The external login provider, if one is configured (404 otherwise).
#[utoipa::path(get, path = "/api/v1/auth/external", tag = "auth",
    responses((status = 200, body = ExternalProvider), (status = 404, body = platform::http::Problem, description = "No provider is set up")))]
async fn provider(State(identity): State<Identity>) -> Result<Json<ExternalProvider>> {
    let name = identity.external_provider_name().ok_or(IdentityError::NotFound)?;
    Ok(Json(ExternalProvider { name, start: "/api/v1/auth/external/start" }))
}

/// Sends the browser to the external provider to log in.
#[utoipa::path(get, path = "/api/v1/auth/external/start", tag = "auth",
    responses((status = 303, description = "To the provider"), (status = 404, body = platform::http::Problem, description = "No provider is set up")))]
async fn start(State(identity): State<Identity>) -> Result<Response> {
    identity.start_external().await
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Where the provider sends the browser back. On success the browser goes on
/// to `/login/external#access_token=…&refresh_token=…` for the web client;
/// the tokens travel in the fragment, which is never sent to a server.
#[utoipa::path(get, path = "/api/v1/auth/external/callback", tag = "auth",
    params(Callback),
    responses((status = 303, description = "To the web client with tokens"),
        (status = 400, description = "An error page: the login was not started in this browser, or failed", content_type = "text/html")))]
async fn callback(
    State(identity): State<Identity>,
    Query(answer): Query<Callback>,
    address: ClientAddress,
    headers: HeaderMap,
) -> Response {
    let Some(flow) = identity.external_flow(&headers, answer.state.as_deref()).await else {
        return pages::error("This login was not started here or took too long; start again.");
    };
    if let Some(error) = answer.error {
        return pages::error(&format!("The login provider said: {error}."));
    }
    let client = Client::from_request(address, &headers);
    match identity.finish_external_login(answer.code.as_deref().unwrap_or_default(), &flow, &client).await {
        Ok(tokens) => identity.external_login_done(&tokens),
        Err(e) => {
            tracing::warn!(error = %e, "external login failed");
            pages::error(&e.to_string())
        }
    }
}

pub fn routes() -> OpenApiRouter<Identity> {
    OpenApiRouter::new().routes(routes!(provider)).routes(routes!(start)).routes(routes!(callback))
}
