//! Leaderboards: a competition's, and the global boards of fastest efforts.

use axum::extract::{Path, Query, State};
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::boards::{AroundMe, BoardPage, BoardQuery, GlobalPath, GlobalQuery};
use crate::error::Result;
use crate::Competitions;

pub fn routes() -> OpenApiRouter<Competitions> {
    OpenApiRouter::new()
        .routes(routes!(board))
        .routes(routes!(board_me))
        .routes(routes!(global))
        .routes(routes!(global_me))
}

/// The competition's board from the top (or after `cursor`), optionally filtered.
#[utoipa::path(get, path = "/api/v1/competitions/{id}/board", tag = "competitions", security(("bearer" = [])),
    params(BoardQuery), responses((status = 200, body = BoardPage), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn board(
    State(this): State<Competitions>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<BoardQuery>,
) -> Result<Json<BoardPage>> {
    Ok(Json(this.board(&caller, &id, query).await?))
}

/// Your place on the competition's board (with the same filters) and the people around you.
#[utoipa::path(get, path = "/api/v1/competitions/{id}/board/me", tag = "competitions", security(("bearer" = [])),
    params(BoardQuery), responses((status = 200, body = AroundMe), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn board_me(
    State(this): State<Competitions>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<BoardQuery>,
) -> Result<Json<AroundMe>> {
    Ok(Json(this.board_around_me(&caller, &id, query).await?))
}

/// A global board: everyone's fastest public effort over `distance` (`1k`,
/// `5k`, `10k`, `half`, `marathon`) in `sport`, all time or this year.
#[utoipa::path(get, path = "/api/v1/leaderboards/{sport}/{distance}", tag = "competitions", security(("bearer" = [])),
    params(GlobalPath, GlobalQuery),
    responses((status = 200, body = BoardPage), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn global(
    State(this): State<Competitions>,
    caller: Caller,
    Path(path): Path<GlobalPath>,
    Query(query): Query<GlobalQuery>,
) -> Result<Json<BoardPage>> {
    Ok(Json(this.global_board(&caller, path, query).await?))
}

/// Your place on a global board and the people around you.
#[utoipa::path(get, path = "/api/v1/leaderboards/{sport}/{distance}/me", tag = "competitions", security(("bearer" = [])),
    params(GlobalPath, GlobalQuery),
    responses((status = 200, body = AroundMe), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn global_me(
    State(this): State<Competitions>,
    caller: Caller,
    Path(path): Path<GlobalPath>,
    Query(query): Query<GlobalQuery>,
) -> Result<Json<AroundMe>> {
    Ok(Json(this.global_around_me(&caller, path, query).await?))
}
