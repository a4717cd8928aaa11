//! Registering applications (`/api/v1/oauth/clients`) and the applications a
//! person has allowed (`/api/v1/account/apps`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use platform::http::Caller;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Result;
use crate::oauth::{ClientRegistration, ConnectedApp, RegisteredClient};
use crate::Identity;

/// Registers an application that logs people in through Athlos.
#[utoipa::path(post, path = "/api/v1/oauth/clients", tag = "oauth", security(("bearer" = [])),
    request_body = ClientRegistration,
    responses((status = 201, body = RegisteredClient),
        (status = 422, body = platform::http::Problem, description = "A field is invalid, such as a redirect URI that is not an absolute URL")))]
async fn register(
    State(identity): State<Identity>,
    user: Caller,
    Json(form): Json<ClientRegistration>,
) -> Result<(StatusCode, Json<RegisteredClient>)> {
    Ok((StatusCode::CREATED, Json(identity.register_client(&user, form).await?)))
}

/// The applications this account registered.
#[utoipa::path(get, path = "/api/v1/oauth/clients", tag = "oauth", security(("bearer" = [])),
    responses((status = 200, body = Vec<RegisteredClient>)))]
async fn list(State(identity): State<Identity>, user: Caller) -> Result<Json<Vec<RegisteredClient>>> {
    Ok(Json(identity.clients_of(&user).await?))
}

/// Deletes an application; everyone logged in through it is logged out of it.
#[utoipa::path(delete, path = "/api/v1/oauth/clients/{id}", tag = "oauth", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 204), (status = 404, body = platform::http::Problem)))]
async fn delete(State(identity): State<Identity>, user: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    identity.delete_client(&user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The applications this person allowed to act for them.
#[utoipa::path(get, path = "/api/v1/account/apps", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Vec<ConnectedApp>)))]
async fn connected(State(identity): State<Identity>, user: Caller) -> Result<Json<Vec<ConnectedApp>>> {
    Ok(Json(identity.connected_apps(&user.id).await?))
}

/// Withdraws an application's access: its tokens stop working at once.
#[utoipa::path(delete, path = "/api/v1/account/apps/{client_id}", tag = "account", security(("bearer" = [])),
    params(("client_id" = String, Path)), responses((status = 204), (status = 404, body = platform::http::Problem)))]
async fn disconnect(
    State(identity): State<Identity>,
    user: Caller,
    Path(client_id): Path<String>,
) -> Result<StatusCode> {
    identity.disconnect_app(&user.id, &client_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<Identity> {
    OpenApiRouter::new()
        .routes(routes!(register, list))
        .routes(routes!(delete))
        .routes(routes!(connected))
        .routes(routes!(disconnect))
}
