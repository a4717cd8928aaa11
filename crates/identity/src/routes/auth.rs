//! `/api/v1/auth`: registering, verifying, logging in, refreshing, logging out, resetting.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use platform::http::Caller;
use platform::http::ClientAddress;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::client;
use super::passkeys::PasskeyAnswer;
use crate::error::{IdentityError, Result};
use crate::sessions::{LoginOutcome, SecondFactor, Tokens};
use crate::{Identity, Registration, Role};

#[derive(Serialize, ToSchema)]
struct Accepted {
    /// What happens next, in words.
    message: &'static str,
}

/// Creates an account and mails a link to confirm the address. The answer is
/// the same whether or not the address already has an account.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = Registration,
    responses((status = 202, body = Accepted), (status = 422, body = platform::http::Problem), (status = 429, body = platform::http::Problem),
        (status = 503, body = platform::http::Problem, description = "Every core is busy hashing passwords; try again after Retry-After")))]
async fn register(
    State(identity): State<Identity>,
    address: ClientAddress,
    Json(form): Json<Registration>,
) -> Result<(StatusCode, Json<Accepted>)> {
    identity.register(form, &address.0, Role::User, false).await?;
    Ok((StatusCode::ACCEPTED, Json(Accepted { message: "Check your mailbox for a link to confirm your address." })))
}

#[derive(Deserialize, ToSchema)]
struct TokenForm {
    /// The token from the mail.
    token: String,
}

/// Confirms an e-mail address with the token from the verification mail.
#[utoipa::path(post, path = "/api/v1/auth/verify", tag = "auth", request_body = TokenForm,
    responses((status = 204), (status = 400, body = platform::http::Problem, description = "The token is unknown, expired or used")))]
async fn verify(State(identity): State<Identity>, Json(form): Json<TokenForm>) -> Result<StatusCode> {
    identity.verify_email(form.token.trim()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sends the verification mail again.
#[utoipa::path(post, path = "/api/v1/auth/verify/resend", tag = "auth", security(("bearer" = [])),
    responses((status = 202, body = Accepted), (status = 409, body = platform::http::Problem),
        (status = 429, body = platform::http::Problem)))]
async fn resend(State(identity): State<Identity>, user: Caller) -> Result<(StatusCode, Json<Accepted>)> {
    identity.resend_verification(&user.id).await?;
    Ok((StatusCode::ACCEPTED, Json(Accepted { message: "A new link is on its way." })))
}

#[derive(Deserialize, ToSchema)]
struct LoginForm {
    email: String,
    password: String,
}

/// Logs in with e-mail and password. With two-factor authentication on, the
/// answer is a challenge for `/api/v1/auth/login/second-factor` instead of tokens.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginForm,
    responses((status = 200, body = LoginOutcome), (status = 401, body = platform::http::Problem),
              (status = 429, body = platform::http::Problem), (status = 503, body = platform::http::Problem, description = "Every core is busy hashing passwords; try again after Retry-After")))]
async fn login(
    State(identity): State<Identity>,
    address: ClientAddress,
    headers: HeaderMap,
    Json(form): Json<LoginForm>,
) -> Result<Json<LoginOutcome>> {
    Ok(Json(identity.login(&form.email, &form.password, &client(address, &headers)).await?))
}

#[derive(Deserialize)]
struct SecondFactorForm {
    challenge: String,
    /// The six digits from the authenticator app…
    code: Option<String>,
    /// …or one of the recovery codes…
    recovery_code: Option<String>,
    /// …or a passkey's answer to `/api/v1/auth/login/second-factor/passkey`.
    passkey: Option<PasskeyAnswer>,
}

/// The challenge and exactly one of `code`, `recovery_code` and `passkey`:
/// a rule the derived schema cannot state, so it is written out here.
impl utoipa::PartialSchema for SecondFactorForm {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, OneOfBuilder, Type};
        use utoipa::openapi::Ref;
        let text = || ObjectBuilder::new().schema_type(Type::String);
        let passkey = || Ref::from_schema_name("PasskeyAnswer");
        let fields = ObjectBuilder::new()
            .property("challenge", text())
            .required("challenge")
            .property("code", text().description(Some("The six digits from the authenticator app…")))
            .property("recovery_code", text().description(Some("…or one of the recovery codes…")))
            .property("passkey", passkey())
            .description(Some(
                "The challenge from the password step and exactly one of `code`, `recovery_code` or `passkey` \
                 (a passkey's answer to `/api/v1/auth/login/second-factor/passkey`).",
            ));
        let given = |field: &str, schema: utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>| {
            ObjectBuilder::new().property(field, schema).required(field)
        };
        let one = OneOfBuilder::new()
            .item(given("code", text().into()))
            .item(given("recovery_code", text().into()))
            .item(given("passkey", passkey().into()));
        AllOfBuilder::new().item(fields).item(one).into()
    }
}

impl ToSchema for SecondFactorForm {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        schemas.push(("PasskeyAnswer".into(), <PasskeyAnswer as utoipa::PartialSchema>::schema()));
        <PasskeyAnswer as ToSchema>::schemas(schemas);
    }
}

/// The second login step: a TOTP code, a recovery code or a passkey.
#[utoipa::path(post, path = "/api/v1/auth/login/second-factor", tag = "auth", request_body = SecondFactorForm,
    responses((status = 200, body = Tokens), (status = 400, body = platform::http::Problem, description = "The challenge is unknown or expired"),
        (status = 401, body = platform::http::Problem), (status = 403, body = platform::http::Problem, description = "The account is suspended"),
        (status = 429, body = platform::http::Problem)))]
async fn second_factor(
    State(identity): State<Identity>,
    address: ClientAddress,
    headers: HeaderMap,
    Json(form): Json<SecondFactorForm>,
) -> Result<Json<Tokens>> {
    let factor = match (&form.code, &form.recovery_code, &form.passkey) {
        (Some(code), None, None) => SecondFactor::Totp(code),
        (None, Some(code), None) => SecondFactor::RecoveryCode(code),
        (None, None, Some(answer)) => {
            SecondFactor::Passkey { ceremony: &answer.ceremony, credential: &answer.credential }
        }
        _ => return Err(IdentityError::invalid("code", "Send one of `code`, `recovery_code` or `passkey`.")),
    };
    Ok(Json(identity.login_second_step(&form.challenge, factor, &client(address, &headers)).await?))
}

#[derive(Deserialize, ToSchema)]
struct RefreshForm {
    refresh_token: String,
}

/// Trades a refresh token for a new access token and a new refresh token.
/// Each refresh token works once; a reused one ends its session. Only an
/// answer lost on its way may be traded again: the same token, from the same
/// address, within 30 s of its trade, while its successor is unused.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshForm,
    responses((status = 200, body = Tokens), (status = 401, body = platform::http::Problem),
        (status = 403, body = platform::http::Problem, description = "The account is suspended")))]
async fn refresh(
    State(identity): State<Identity>,
    address: ClientAddress,
    headers: HeaderMap,
    Json(form): Json<RefreshForm>,
) -> Result<Json<Tokens>> {
    Ok(Json(identity.refresh(&form.refresh_token, &client(address, &headers)).await?))
}

/// Ends the session the access token belongs to.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])), responses((status = 204)))]
async fn logout(State(identity): State<Identity>, user: Caller) -> Result<StatusCode> {
    identity.logout(&user.id, &user.session_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
struct ResetRequest {
    #[schema(format = "email", max_length = 254)]
    email: String,
}

/// Mails a password reset link if the address has an account. The answer is
/// the same either way.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = ResetRequest,
    responses((status = 202, body = Accepted), (status = 429, body = platform::http::Problem)))]
async fn password_reset(
    State(identity): State<Identity>,
    address: ClientAddress,
    Json(form): Json<ResetRequest>,
) -> Result<(StatusCode, Json<Accepted>)> {
    identity.request_password_reset(&form.email, &address.0).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted { message: "If this address has an account, a reset link is on its way." }),
    ))
}

#[derive(Deserialize, ToSchema)]
struct ResetConfirm {
    token: String,
    #[schema(min_length = 10, max_length = 256)]
    new_password: String,
}

/// Sets a new password with the token from the reset mail; every session ends.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth", request_body = ResetConfirm,
    responses((status = 204), (status = 400, body = platform::http::Problem), (status = 422, body = platform::http::Problem),
        (status = 503, body = platform::http::Problem, description = "Every core is busy hashing passwords; try again after Retry-After")))]
async fn password_reset_confirm(
    State(identity): State<Identity>,
    Json(form): Json<ResetConfirm>,
) -> Result<StatusCode> {
    identity.confirm_password_reset(form.token.trim(), &form.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<Identity> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(verify))
        .routes(routes!(resend))
        .routes(routes!(login))
        .routes(routes!(second_factor))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(password_reset))
        .routes(routes!(password_reset_confirm))
}
