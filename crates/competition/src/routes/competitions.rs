//! `/api/v1/competitions` and `/api/v1/competitions/{id}`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::competitions::{CompetitionPage, CompetitionView, ListQuery, NewCompetition};
use crate::error::Result;
use crate::Competitions;

pub fn routes() -> OpenApiRouter<Competitions> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(show, delete))
}

#[derive(Deserialize, IntoParams)]
pub struct CodeQuery {
    /// The invitation code of an invite-only competition.
    pub code: Option<String>,
}

/// Competitions on a shelf: open (public, not finished), joined, past or organised.
#[utoipa::path(get, path = "/api/v1/competitions", tag = "competitions", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = CompetitionPage), (status = 422, body = Problem)))]
async fn list(
    State(this): State<Competitions>,
    caller: Caller,
    Query(query): Query<ListQuery>,
) -> Result<Json<CompetitionPage>> {
    Ok(Json(this.list(&caller, query).await?))
}

/// Sets up a competition (organisers and administrators).
#[utoipa::path(post, path = "/api/v1/competitions", tag = "competitions", security(("bearer" = [])),
    request_body = NewCompetition,
    responses((status = 201, body = CompetitionView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create(
    State(this): State<Competitions>,
    caller: Caller,
    Json(new): Json<NewCompetition>,
) -> Result<(StatusCode, Json<CompetitionView>)> {
    Ok((StatusCode::CREATED, Json(this.create(&caller, new).await?)))
}

/// A competition, with your entry if you entered. Invite-only ones are
/// not found without their code unless you entered or run them.
#[utoipa::path(get, path = "/api/v1/competitions/{id}", tag = "competitions", security(("bearer" = [])),
    params(CodeQuery), responses((status = 200, body = CompetitionView), (status = 404, body = Problem)))]
async fn show(
    State(this): State<Competitions>,
    caller: Caller,
    Path(id): Path<String>,
    Query(code): Query<CodeQuery>,
) -> Result<Json<CompetitionView>> {
    Ok(Json(this.show(&caller, &id, code.code.as_deref()).await?))
}

/// Removes a competition that has not started (its organiser or an administrator).
#[utoipa::path(delete, path = "/api/v1/competitions/{id}", tag = "competitions", security(("bearer" = [])),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn delete(State(this): State<Competitions>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    this.delete(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
