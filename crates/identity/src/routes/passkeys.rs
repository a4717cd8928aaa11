//! Passkeys: managing them under `/api/v1/account/passkeys`, logging in with
//! them under `/api/v1/auth/passkey`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use platform::http::Caller;
use platform::http::ClientAddress;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use webauthn_rs::prelude::{PublicKeyCredential, RegisterPublicKeyCredential};

use super::client;
use crate::error::Result;
use crate::passkeys::{AuthenticationStart, PasskeyInfo, RegistrationStart};
use crate::sessions::Tokens;
use crate::Identity;

/// Starts registering a passkey: pass `options` to `navigator.credentials.create()`.
#[utoipa::path(post, path = "/api/v1/account/passkeys/registration", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = RegistrationStart),
        (status = 409, body = platform::http::Problem, description = "20 passkeys already, or passkeys are off")))]
async fn start_registration(State(identity): State<Identity>, user: Caller) -> Result<Json<RegistrationStart>> {
    Ok(Json(identity.start_passkey_registration(&user.id).await?))
}

#[derive(Deserialize, ToSchema)]
struct NewPasskey {
    /// The handle from the registration start.
    ceremony: String,
    /// What to call it in the list ("Phone"), at most 60 characters; "Passkey" when empty.
    #[serde(default)]
    #[schema(max_length = 60)]
    name: String,
    /// The browser's answer, binary fields base64url.
    #[schema(value_type = Object)]
    credential: RegisterPublicKeyCredential,
}

/// Finishes registering a passkey with the browser's answer.
#[utoipa::path(post, path = "/api/v1/account/passkeys", tag = "account", security(("bearer" = [])),
    request_body = NewPasskey, responses((status = 201, body = PasskeyInfo),
        (status = 400, body = platform::http::Problem, description = "The ceremony is unknown or expired"),
        (status = 401, body = platform::http::Problem, description = "The passkey's answer was not accepted"), (status = 409, body = platform::http::Problem, description = "Passkeys are off: the public URL does not name the server by a domain")))]
async fn register(
    State(identity): State<Identity>,
    user: Caller,
    Json(form): Json<NewPasskey>,
) -> Result<(StatusCode, Json<PasskeyInfo>)> {
    let info = identity.finish_passkey_registration(&user.id, &form.ceremony, &form.name, &form.credential).await?;
    Ok((StatusCode::CREATED, Json(info)))
}

/// The passkeys of this account.
#[utoipa::path(get, path = "/api/v1/account/passkeys", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Vec<PasskeyInfo>)))]
async fn list(State(identity): State<Identity>, user: Caller) -> Result<Json<Vec<PasskeyInfo>>> {
    Ok(Json(identity.passkeys(&user.id).await?))
}

/// Removes a passkey; it no longer logs anyone in.
#[utoipa::path(delete, path = "/api/v1/account/passkeys/{id}", tag = "account", security(("bearer" = [])),
    params(("id" = String, Path, description = "The passkey id")),
    responses((status = 204), (status = 404, body = platform::http::Problem)))]
async fn remove(State(identity): State<Identity>, user: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    identity.remove_passkey(&user.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Starts a login with a passkey: pass `options` to `navigator.credentials.get()`.
#[utoipa::path(post, path = "/api/v1/auth/passkey/start", tag = "auth",
    responses((status = 200, body = AuthenticationStart), (status = 409, body = platform::http::Problem, description = "Passkeys are off: the public URL does not name the server by a domain"),
        (status = 429, body = platform::http::Problem)))]
async fn start_login(
    State(identity): State<Identity>,
    address: ClientAddress,
    headers: HeaderMap,
) -> Result<Json<AuthenticationStart>> {
    Ok(Json(identity.start_passkey_login(&client(address, &headers)).await?))
}

/// A passkey's answer to a ceremony: to log in, or as the second login step.
#[derive(Deserialize, ToSchema)]
pub(super) struct PasskeyAnswer {
    pub ceremony: String,
    /// The browser's answer, binary fields base64url.
    #[schema(value_type = Object)]
    pub credential: PublicKeyCredential,
}

/// Finishes a passkey login; a passkey needs no second step.
#[utoipa::path(post, path = "/api/v1/auth/passkey/finish", tag = "auth", request_body = PasskeyAnswer,
    responses((status = 200, body = Tokens), (status = 400, body = platform::http::Problem, description = "The ceremony is unknown or expired"),
        (status = 401, body = platform::http::Problem, description = "The passkey's answer was not accepted"),
        (status = 403, body = platform::http::Problem, description = "The account is suspended"), (status = 409, body = platform::http::Problem, description = "Passkeys are off: the public URL does not name the server by a domain")))]
async fn finish_login(
    State(identity): State<Identity>,
    address: ClientAddress,
    headers: HeaderMap,
    Json(form): Json<PasskeyAnswer>,
) -> Result<Json<Tokens>> {
    Ok(Json(identity.finish_passkey_login(&form.ceremony, &form.credential, &client(address, &headers)).await?))
}

#[derive(Deserialize, ToSchema)]
struct ChallengeForm {
    /// The challenge from the password step.
    challenge: String,
}

/// Starts the second login step with a passkey; send the answer to
/// `/api/v1/auth/login/second-factor` as `passkey`.
#[utoipa::path(post, path = "/api/v1/auth/login/second-factor/passkey", tag = "auth", request_body = ChallengeForm,
    responses((status = 200, body = AuthenticationStart),
        (status = 400, body = platform::http::Problem, description = "The challenge is unknown or expired"),
        (status = 409, body = platform::http::Problem, description = "The account has no passkey, or passkeys are off")))]
async fn start_second_factor(
    State(identity): State<Identity>,
    Json(form): Json<ChallengeForm>,
) -> Result<Json<AuthenticationStart>> {
    Ok(Json(identity.start_passkey_second_factor(&form.challenge).await?))
}

pub fn routes() -> OpenApiRouter<Identity> {
    OpenApiRouter::new()
        .routes(routes!(start_registration))
        .routes(routes!(register, list))
        .routes(routes!(remove))
        .routes(routes!(start_login))
        .routes(routes!(finish_login))
        .routes(routes!(start_second_factor))
}
