//! `/api/v1/admin/users`: administrators managing accounts.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use platform::http::Caller;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::account::Account;
use crate::error::{IdentityError, Result};
use crate::Identity;

#[derive(Deserialize, IntoParams)]
struct Page {
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// 1 to 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
struct AdminUser {
    #[serde(flatten)]
    account: Account,
    suspended: bool,
}

#[derive(Serialize, ToSchema)]
struct UserPage {
    items: Vec<AdminUser>,
    /// Pass as `cursor` for the next page; absent on the last page.
    next_cursor: Option<String>,
}

/// Every account, a page at a time.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", security(("bearer" = [])), params(Page),
    responses((status = 200, body = UserPage), (status = 403, body = platform::http::Problem, description = "Only administrators may do this")))]
async fn list(State(identity): State<Identity>, user: Caller, Query(page): Query<Page>) -> Result<Json<UserPage>> {
    user.require_admin()?;
    let limit = page.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(IdentityError::invalid("limit", "Ask for 1 to 200 users at a time."));
    }
    let users = identity.list_users(page.cursor.as_deref(), limit).await?;
    let next_cursor = (users.len() as i64 == limit).then(|| users.last().map(|u| u.id.clone())).flatten();
    let items =
        users.into_iter().map(|u| AdminUser { suspended: u.suspended, account: Account::from_user(u, None) }).collect();
    Ok(Json(UserPage { items, next_cursor }))
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/suspend", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 204), (status = 404, body = platform::http::Problem),
        (status = 409, body = platform::http::Problem, description = "Administrators cannot suspend themselves")))]
/// Suspends an account and ends all its sessions.
async fn suspend(State(identity): State<Identity>, user: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    user.require_admin()?;
    identity.set_suspended(&user.id, &id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RoleChange {
    /// `user`, `partner` (publishes offers beside people's equipment) or `admin`.
    role: platform::people::Role,
}

/// Gives an account a role; it applies from the account's next request.
#[utoipa::path(put, path = "/api/v1/admin/users/{id}/role", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = RoleChange,
    responses((status = 204), (status = 403, body = platform::http::Problem), (status = 404, body = platform::http::Problem),
        (status = 409, body = platform::http::Problem, description = "Administrators cannot change their own role")))]
async fn set_role(
    State(identity): State<Identity>,
    user: Caller,
    Path(id): Path<String>,
    Json(change): Json<RoleChange>,
) -> Result<StatusCode> {
    user.require_admin()?;
    identity.set_role(&user.id, &id, change.role).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reinstates a suspended account.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/reinstate", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 204), (status = 404, body = platform::http::Problem),
        (status = 409, body = platform::http::Problem, description = "Administrators cannot reinstate themselves")))]
async fn reinstate(State(identity): State<Identity>, user: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    user.require_admin()?;
    identity.set_suspended(&user.id, &id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes an account for good.
#[utoipa::path(delete, path = "/api/v1/admin/users/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 204), (status = 404, body = platform::http::Problem),
        (status = 409, body = platform::http::Problem, description = "Administrators delete their own account from their settings")))]
async fn delete(State(identity): State<Identity>, user: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    user.require_admin()?;
    identity.delete_user(&user.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<Identity> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(suspend))
        .routes(routes!(set_role))
        .routes(routes!(reinstate))
        .routes(routes!(delete))
}
