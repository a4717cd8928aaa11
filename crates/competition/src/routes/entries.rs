//! Entering, teams, and organisers judging results.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::entries::{Disqualification, Entry, EntryChoice, NewTeam, Team};
use crate::error::Result;
use crate::Competitions;

pub fn routes() -> OpenApiRouter<Competitions> {
    OpenApiRouter::new()
        .routes(routes!(enter, leave))
        .routes(routes!(teams, create_team))
        .routes(routes!(disqualify, reinstate))
}

/// Enters the competition (or changes your entry: team, private entry, being told when overtaken).
#[utoipa::path(put, path = "/api/v1/competitions/{id}/entry", tag = "competitions", security(("bearer" = [])),
    request_body = EntryChoice,
    responses((status = 200, body = Entry), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn enter(
    State(this): State<Competitions>,
    caller: Caller,
    Path(id): Path<String>,
    Json(choice): Json<EntryChoice>,
) -> Result<Json<Entry>> {
    Ok(Json(this.enter(&caller, &id, choice).await?))
}

/// Leaves a competition before it ends.
#[utoipa::path(delete, path = "/api/v1/competitions/{id}/entry", tag = "competitions", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn leave(State(this): State<Competitions>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    this.leave(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The teams, best first: the team board.
#[utoipa::path(get, path = "/api/v1/competitions/{id}/teams", tag = "competitions", security(("bearer" = [])),
    responses((status = 200, body = Vec<Team>), (status = 404, body = Problem)))]
async fn teams(State(this): State<Competitions>, caller: Caller, Path(id): Path<String>) -> Result<Json<Vec<Team>>> {
    Ok(Json(this.teams(&caller, &id).await?))
}

/// Makes a team (entrants and organisers); join it by entering with its id.
#[utoipa::path(post, path = "/api/v1/competitions/{id}/teams", tag = "competitions", security(("bearer" = [])),
    request_body = NewTeam,
    responses((status = 201, body = Team), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn create_team(
    State(this): State<Competitions>,
    caller: Caller,
    Path(id): Path<String>,
    Json(new): Json<NewTeam>,
) -> Result<(StatusCode, Json<Team>)> {
    Ok((StatusCode::CREATED, Json(this.create_team(&caller, &id, new).await?)))
}

/// Disqualifies someone's result, saying why; they are told.
#[utoipa::path(put, path = "/api/v1/competitions/{id}/entries/{user_id}/disqualification", tag = "competitions",
    security(("bearer" = [])), request_body = Disqualification,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn disqualify(
    State(this): State<Competitions>,
    caller: Caller,
    Path((id, user_id)): Path<(String, String)>,
    Json(dq): Json<Disqualification>,
) -> Result<StatusCode> {
    this.judge(&caller, &id, &user_id, Some(dq.reason)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reinstates a disqualified result; the person is told.
#[utoipa::path(delete, path = "/api/v1/competitions/{id}/entries/{user_id}/disqualification", tag = "competitions",
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn reinstate(
    State(this): State<Competitions>,
    caller: Caller,
    Path((id, user_id)): Path<(String, String)>,
) -> Result<StatusCode> {
    this.judge(&caller, &id, &user_id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}
