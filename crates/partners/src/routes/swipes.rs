//! Swipes, undo, matches and unmatching.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Result;
use crate::swipes::{Match, NewSwipe, Swiped, Undone};
use crate::Partners;

pub fn routes() -> OpenApiRouter<Partners> {
    OpenApiRouter::new()
        .routes(routes!(swipe))
        .routes(routes!(undo_swipe))
        .routes(routes!(partner_matches))
        .routes(routes!(unmatch))
}

/// Says yes or no to someone in my deck; a yes both ways is a match.
#[utoipa::path(post, path = "/api/v1/partners/swipes", tag = "partners", security(("bearer" = [])),
    request_body = NewSwipe,
    responses((status = 200, body = Swiped), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn swipe(State(this): State<Partners>, caller: Caller, Json(new): Json<NewSwipe>) -> Result<Json<Swiped>> {
    Ok(Json(this.swipe(&caller.id, new).await?))
}

/// Takes back my last swipe (of the last hour), and the match it made.
#[utoipa::path(delete, path = "/api/v1/partners/swipes/last", tag = "partners", security(("bearer" = [])),
    responses((status = 200, body = Undone), (status = 404, body = Problem)))]
async fn undo_swipe(State(this): State<Partners>, caller: Caller) -> Result<Json<Undone>> {
    Ok(Json(this.undo_swipe(&caller.id).await?))
}

/// My matches, newest first.
#[utoipa::path(get, path = "/api/v1/partners/matches", tag = "partners", security(("bearer" = [])),
    responses((status = 200, body = Vec<Match>)))]
async fn partner_matches(State(this): State<Partners>, caller: Caller) -> Result<Json<Vec<Match>>> {
    Ok(Json(this.matches(&caller.id).await?))
}

/// Ends a match, and the conversation it opened, for both.
#[utoipa::path(delete, path = "/api/v1/partners/matches/{user_id}", tag = "partners", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn unmatch(State(this): State<Partners>, caller: Caller, Path(user_id): Path<String>) -> Result<StatusCode> {
    this.unmatch(&caller.id, &user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
