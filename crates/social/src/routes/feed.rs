//! `/api/v1/feed`.

use axum::extract::{Query, State};
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Result;
use crate::feed::{FeedPage, FeedQuery};
use crate::Social;

pub fn routes() -> OpenApiRouter<Social> {
    OpenApiRouter::new().routes(routes!(feed))
}

/// Your trainings and those of the people you follow that you may see,
/// newest first, with their route and counts.
#[utoipa::path(get, path = "/api/v1/feed", tag = "social", security(("bearer" = [])), params(FeedQuery),
    responses((status = 200, body = FeedPage), (status = 422, body = Problem)))]
async fn feed(State(this): State<Social>, caller: Caller, Query(query): Query<FeedQuery>) -> Result<Json<FeedPage>> {
    Ok(Json(this.feed(&caller.id, query).await?))
}
