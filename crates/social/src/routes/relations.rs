//! `/api/v1/follow-requests`, `/api/v1/followers` and `/api/v1/blocks`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use platform::people::PublicProfile;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::people::PageQuery;
use crate::error::Result;
use crate::profiles::PeoplePage;
use crate::Social;

pub fn routes() -> OpenApiRouter<Social> {
    OpenApiRouter::new()
        .routes(routes!(requests))
        .routes(routes!(approve, refuse))
        .routes(routes!(remove_follower))
        .routes(routes!(blocked))
        .routes(routes!(block, unblock))
}

/// The people waiting for you to approve their request to follow you.
#[utoipa::path(get, path = "/api/v1/follow-requests", tag = "social", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = PeoplePage)))]
async fn requests(
    State(this): State<Social>,
    caller: Caller,
    Query(page): Query<PageQuery>,
) -> Result<Json<PeoplePage>> {
    Ok(Json(this.requests(&caller.id, page.cursor.as_deref()).await?))
}

/// Approves someone's request to follow you.
#[utoipa::path(post, path = "/api/v1/follow-requests/{id}", tag = "social", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn approve(State(this): State<Social>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    this.approve(&caller.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Refuses someone's request to follow you; they are not told.
#[utoipa::path(delete, path = "/api/v1/follow-requests/{id}", tag = "social", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn refuse(State(this): State<Social>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    this.refuse(&caller.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stops someone from following you; they are not told.
#[utoipa::path(delete, path = "/api/v1/followers/{id}", tag = "social", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn remove_follower(State(this): State<Social>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    this.remove_follower(&caller.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The people you blocked, newest first.
#[utoipa::path(get, path = "/api/v1/blocks", tag = "social", security(("bearer" = [])),
    responses((status = 200, body = Vec<PublicProfile>)))]
async fn blocked(State(this): State<Social>, caller: Caller) -> Result<Json<Vec<PublicProfile>>> {
    Ok(Json(this.blocked(&caller.id).await?))
}

/// Blocks someone: neither of you sees the other's profile, trainings or
/// comments, and every follow and request between you ends.
#[utoipa::path(put, path = "/api/v1/blocks/{id}", tag = "social", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn block(State(this): State<Social>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    this.block(&caller.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/blocks/{id}", tag = "social", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn unblock(State(this): State<Social>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    this.unblock(&caller.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
