//! `/api/v1/people` and `/api/v1/profile`: profiles, finding people,
//! following them, and their followers and followings.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Result;
use crate::profiles::{PeoplePage, Profile, SearchQuery, StoredProfile};
use crate::relations::FollowState;
use crate::Social;

pub fn routes() -> OpenApiRouter<Social> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(show))
        .routes(routes!(follow, unfollow))
        .routes(routes!(followers))
        .routes(routes!(following))
        .routes(routes!(mine, set_mine))
}

#[derive(Deserialize, IntoParams)]
pub struct PageQuery {
    /// `next_cursor` of the page before.
    pub cursor: Option<String>,
}

/// People whose name has these words, by name.
#[utoipa::path(get, path = "/api/v1/people", tag = "social", security(("bearer" = [])), params(SearchQuery),
    responses((status = 200, body = PeoplePage), (status = 422, body = Problem)))]
async fn search(
    State(this): State<Social>,
    caller: Caller,
    Query(query): Query<SearchQuery>,
) -> Result<Json<PeoplePage>> {
    Ok(Json(this.search(&caller.id, query).await?))
}

/// Someone as you may see them: their profile, counts, whether you follow
/// each other, and their trainings you may see. Blocked either way: 404.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "social", security(("bearer" = [])),
    responses((status = 200, body = Profile), (status = 404, body = Problem)))]
async fn show(State(this): State<Social>, caller: Caller, Path(id): Path<String>) -> Result<Json<Profile>> {
    Ok(Json(this.profile(&caller.id, &id).await?))
}

/// Follows someone: at once for a public profile (`accepted`), as a request
/// for a private one (`pending`).
#[utoipa::path(put, path = "/api/v1/people/{id}/follow", tag = "social", security(("bearer" = [])),
    responses((status = 200, body = FollowState), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn follow(State(this): State<Social>, caller: Caller, Path(id): Path<String>) -> Result<Json<FollowState>> {
    Ok(Json(this.follow(&caller.id, &id).await?))
}

/// Stops following someone, or withdraws the request.
#[utoipa::path(delete, path = "/api/v1/people/{id}/follow", tag = "social", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn unfollow(State(this): State<Social>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    this.unfollow(&caller.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Someone's followers (a private profile's only to its followers).
#[utoipa::path(get, path = "/api/v1/people/{id}/followers", tag = "social", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = PeoplePage), (status = 404, body = Problem)))]
async fn followers(
    State(this): State<Social>,
    caller: Caller,
    Path(id): Path<String>,
    Query(page): Query<PageQuery>,
) -> Result<Json<PeoplePage>> {
    Ok(Json(this.follow_list(&caller.id, &id, true, page.cursor.as_deref()).await?))
}

/// Whom someone follows (a private profile's only to its followers).
#[utoipa::path(get, path = "/api/v1/people/{id}/following", tag = "social", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = PeoplePage), (status = 404, body = Problem)))]
async fn following(
    State(this): State<Social>,
    caller: Caller,
    Path(id): Path<String>,
    Query(page): Query<PageQuery>,
) -> Result<Json<PeoplePage>> {
    Ok(Json(this.follow_list(&caller.id, &id, false, page.cursor.as_deref()).await?))
}

/// What you tell others: bio, sports, a coarse home area, public or private.
#[utoipa::path(get, path = "/api/v1/profile", tag = "social", security(("bearer" = [])),
    responses((status = 200, body = StoredProfile)))]
async fn mine(State(this): State<Social>, caller: Caller) -> Result<Json<StoredProfile>> {
    Ok(Json(this.my_profile(&caller.id).await?))
}

/// Changes what you tell others. Turning a private profile public accepts
/// every pending request.
#[utoipa::path(put, path = "/api/v1/profile", tag = "social", security(("bearer" = [])), request_body = StoredProfile,
    responses((status = 200, body = StoredProfile), (status = 422, body = Problem)))]
async fn set_mine(
    State(this): State<Social>,
    caller: Caller,
    Json(profile): Json<StoredProfile>,
) -> Result<Json<StoredProfile>> {
    Ok(Json(this.set_profile(&caller.id, profile).await?))
}
