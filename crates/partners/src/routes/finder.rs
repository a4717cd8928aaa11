//! Opting in and out, level suggestions, the deck, mail settings.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Result;
use crate::finder::{Candidate, DeckQuery, MyFinder, Seeking, Suggestion};
use crate::settings::PartnerSettings;
use crate::Partners;

pub fn routes() -> OpenApiRouter<Partners> {
    OpenApiRouter::new()
        .routes(routes!(my_finder, opt_in, opt_out))
        .routes(routes!(partner_suggestions))
        .routes(routes!(partner_candidates))
        .routes(routes!(partner_settings, set_partner_settings))
}

/// What I look for, and whether I am in the finder at all.
#[utoipa::path(get, path = "/api/v1/partners/me", tag = "partners", security(("bearer" = [])),
    responses((status = 200, body = MyFinder)))]
async fn my_finder(State(this): State<Partners>, caller: Caller) -> Result<Json<MyFinder>> {
    Ok(Json(this.my_finder(&caller.id).await?))
}

/// Opts in to the finder, or changes what I look for.
#[utoipa::path(put, path = "/api/v1/partners/me", tag = "partners", security(("bearer" = [])),
    request_body = Seeking,
    responses((status = 200, body = MyFinder), (status = 422, body = Problem)))]
async fn opt_in(State(this): State<Partners>, caller: Caller, Json(seeking): Json<Seeking>) -> Result<Json<MyFinder>> {
    Ok(Json(this.opt_in(&caller.id, seeking).await?))
}

/// Opts out: I leave every deck at once. Matches and conversations stay.
#[utoipa::path(delete, path = "/api/v1/partners/me", tag = "partners", security(("bearer" = [])),
    responses((status = 204), (status = 409, body = Problem)))]
async fn opt_out(State(this): State<Partners>, caller: Caller) -> Result<StatusCode> {
    this.opt_out(&caller.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A level per sport from my trainings of the last 90 days.
#[utoipa::path(get, path = "/api/v1/partners/suggestions", tag = "partners", security(("bearer" = [])),
    responses((status = 200, body = Vec<Suggestion>)))]
async fn partner_suggestions(State(this): State<Partners>, caller: Caller) -> Result<Json<Vec<Suggestion>>> {
    Ok(Json(this.suggestions(&caller.id).await?))
}

/// My deck: people near me at my level and times, best first.
#[utoipa::path(get, path = "/api/v1/partners/candidates", tag = "partners", security(("bearer" = [])),
    params(DeckQuery),
    responses((status = 200, body = Vec<Candidate>), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn partner_candidates(
    State(this): State<Partners>,
    caller: Caller,
    Query(query): Query<DeckQuery>,
) -> Result<Json<Vec<Candidate>>> {
    Ok(Json(this.deck(&caller.id, query).await?))
}

/// Which partner and chat mails I get.
#[utoipa::path(get, path = "/api/v1/partners/settings", tag = "partners", security(("bearer" = [])),
    responses((status = 200, body = PartnerSettings)))]
async fn partner_settings(State(this): State<Partners>, caller: Caller) -> Result<Json<PartnerSettings>> {
    Ok(Json(this.settings(&caller.id).await?))
}

#[utoipa::path(put, path = "/api/v1/partners/settings", tag = "partners", security(("bearer" = [])),
    request_body = PartnerSettings,
    responses((status = 200, body = PartnerSettings), (status = 422, body = Problem)))]
async fn set_partner_settings(
    State(this): State<Partners>,
    caller: Caller,
    Json(settings): Json<PartnerSettings>,
) -> Result<Json<PartnerSettings>> {
    Ok(Json(this.set_settings(&caller.id, settings).await?))
}
