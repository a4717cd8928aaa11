//! `/api/v1/account`: the logged-in person's own account.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use platform::http::Caller;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::athlete::Sex;
use crate::error::Result;
use crate::preferences::{Language, Privacy, ProfileChange, Units};
use crate::second_factor::{RecoveryCodes, TotpEnrolment};
use crate::store::{Role, Session, User};
use crate::Identity;

#[derive(Serialize, ToSchema)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub email_verified: bool,
    pub display_name: String,
    pub role: Role,
    pub two_factor_enabled: bool,
    /// Unused recovery codes left, when two-factor authentication is on.
    pub recovery_codes_left: Option<i64>,
    /// UTC, RFC 3339.
    pub created_at: String,
    /// How the client shows distances, speeds and heights.
    pub units: Units,
    /// The privacy of a new workout that does not name one.
    pub default_privacy: Privacy,
    /// The language of what the server writes for this person (workout titles).
    pub language: Language,
    /// The profile picture (a 256×256 JPEG anyone may fetch, no token needed),
    /// or null; the address changes with every new picture.
    pub avatar_url: Option<String>,
    /// `female`, `male`, or null when not said. Like the year of birth and
    /// the weight, used only to place the person in competition categories.
    pub sex: Option<Sex>,
    /// From 1900 to the current year, or null.
    #[schema(minimum = 1900)]
    pub birth_year: Option<i32>,
    /// Body weight in kilograms, 20 to 300, or null.
    #[schema(minimum = 20.0, maximum = 300.0)]
    pub weight_kg: Option<f64>,
}

impl Account {
    pub fn from_user(user: User, recovery_codes_left: Option<i64>) -> Self {
        Self {
            avatar_url: crate::avatar::url(&user),
            units: user.preferences.units,
            default_privacy: user.preferences.default_privacy,
            language: user.preferences.language,
            sex: user.athlete.sex,
            birth_year: user.athlete.birth_year,
            weight_kg: user.athlete.weight_kg,
            two_factor_enabled: user.totp_secret.is_some(),
            id: user.id,
            email: user.email,
            email_verified: user.email_verified_at.is_some(),
            display_name: user.display_name,
            role: user.role,
            recovery_codes_left,
            created_at: platform::db::rfc3339(user.created_at),
        }
    }
}

/// The account of the person logged in.
#[utoipa::path(get, path = "/api/v1/account", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Account)))]
async fn me(State(identity): State<Identity>, user: Caller) -> Result<Json<Account>> {
    let account = identity.user(&user.id).await?;
    let left = match account.totp_secret {
        Some(_) => Some(identity.unused_recovery_codes(&user.id).await?),
        None => None,
    };
    Ok(Json(Account::from_user(account, left)))
}

/// Changes the name others see, the preferences and the athlete facts; send
/// only what changes, and null to clear a fact. An invalid value (a wrong
/// word, number or type) changes nothing and is named in the problem's `field`.
#[utoipa::path(patch, path = "/api/v1/account", tag = "account", security(("bearer" = [])), request_body = ProfileChange,
    responses((status = 200, body = Account), (status = 422, body = platform::http::Problem)))]
async fn update(
    State(identity): State<Identity>,
    user: Caller,
    platform::http::json::Json(change): platform::http::json::Json<ProfileChange>,
) -> Result<Json<Account>> {
    identity.change_profile(&user.id, change).await?;
    me(State(identity), user).await
}

#[derive(Deserialize, ToSchema)]
struct DeleteForm {
    /// The current password, to confirm.
    password: String,
}

/// Deletes the account for good, once the password confirms it.
#[utoipa::path(delete, path = "/api/v1/account", tag = "account", security(("bearer" = [])), request_body = DeleteForm,
    responses((status = 204), (status = 422, body = platform::http::Problem), (status = 503, body = platform::http::Problem, description = "Every core is busy hashing passwords; try again after Retry-After")))]
async fn delete(State(identity): State<Identity>, user: Caller, Json(form): Json<DeleteForm>) -> Result<StatusCode> {
    identity.delete_own_account(&user.id, &form.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
struct PasswordChange {
    current_password: String,
    /// 10 to 256 characters, not the e-mail address.
    #[schema(min_length = 10, max_length = 256)]
    new_password: String,
}

/// Changes the password; every other session ends.
#[utoipa::path(post, path = "/api/v1/account/password", tag = "account", security(("bearer" = [])),
    request_body = PasswordChange, responses((status = 204), (status = 422, body = platform::http::Problem),
        (status = 503, body = platform::http::Problem, description = "Every core is busy hashing passwords; try again after Retry-After")))]
async fn change_password(
    State(identity): State<Identity>,
    user: Caller,
    Json(form): Json<PasswordChange>,
) -> Result<StatusCode> {
    identity.change_password(&user.id, &user.session_id, &form.current_password, &form.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The sessions (logged-in devices) of this account.
#[utoipa::path(get, path = "/api/v1/account/sessions", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = Vec<Session>)))]
async fn sessions(State(identity): State<Identity>, user: Caller) -> Result<Json<Vec<Session>>> {
    Ok(Json(identity.sessions(&user.id, &user.session_id).await?))
}

/// Ends one session (logs that device out).
#[utoipa::path(delete, path = "/api/v1/account/sessions/{id}", tag = "account", security(("bearer" = [])),
    params(("id" = String, Path, description = "The session id")),
    responses((status = 204), (status = 404, body = platform::http::Problem)))]
async fn revoke_session(State(identity): State<Identity>, user: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    identity.revoke_session(&user.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Starts two-factor enrolment: show the URI as a QR code, then confirm a code.
#[utoipa::path(post, path = "/api/v1/account/totp", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = TotpEnrolment), (status = 409, body = platform::http::Problem)))]
async fn start_totp(State(identity): State<Identity>, user: Caller) -> Result<Json<TotpEnrolment>> {
    Ok(Json(identity.start_totp(&user.id).await?))
}

#[derive(Deserialize, ToSchema)]
struct CodeForm {
    /// A current code from the authenticator app (or, to turn it off, a recovery code).
    code: String,
}

/// Confirms enrolment with a first code; answers the recovery codes, shown once.
#[utoipa::path(post, path = "/api/v1/account/totp/confirm", tag = "account", security(("bearer" = [])),
    request_body = CodeForm, responses((status = 200, body = RecoveryCodes),
        (status = 409, body = platform::http::Problem, description = "No enrolment was started, or two-factor is on already"),
        (status = 422, body = platform::http::Problem, description = "The code is wrong")))]
async fn confirm_totp(
    State(identity): State<Identity>,
    user: Caller,
    Json(form): Json<CodeForm>,
) -> Result<Json<RecoveryCodes>> {
    Ok(Json(identity.confirm_totp(&user.id, &form.code).await?))
}

/// Turns two-factor authentication off; takes a current code.
#[utoipa::path(delete, path = "/api/v1/account/totp", tag = "account", security(("bearer" = [])),
    request_body = CodeForm, responses((status = 204),
        (status = 401, body = platform::http::Problem, description = "The code is wrong"),
        (status = 409, body = platform::http::Problem, description = "Two-factor authentication is off")))]
async fn disable_totp(
    State(identity): State<Identity>,
    user: Caller,
    Json(form): Json<CodeForm>,
) -> Result<StatusCode> {
    identity.disable_totp(&user.id, &form.code).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<Identity> {
    OpenApiRouter::new()
        .routes(routes!(me, update, delete))
        .routes(routes!(change_password))
        .routes(routes!(sessions))
        .routes(routes!(revoke_session))
        .routes(routes!(start_totp, disable_totp))
        .routes(routes!(confirm_totp))
}
