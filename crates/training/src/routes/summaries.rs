//! `/api/v1/stats` and `/api/v1/records`: what the workouts add up to.

use axum::extract::{Query, State};
use axum::Json;
use platform::http::Caller;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Result;
use crate::records::{RecordsQuery, SportRecords};
use crate::stats::{Stats, StatsQuery};
use crate::Training;

/// Your totals per week, month or year, per sport.
#[utoipa::path(get, path = "/api/v1/stats", tag = "statistics", security(("bearer" = [])), params(StatsQuery),
    responses((status = 200, body = Stats), (status = 422, body = platform::http::Problem)))]
async fn stats(State(training): State<Training>, user: Caller, Query(query): Query<StatsQuery>) -> Result<Json<Stats>> {
    Ok(Json(training.stats(&user.id, query).await?))
}

/// Your personal records per sport: best efforts, longest, most climbing.
#[utoipa::path(get, path = "/api/v1/records", tag = "statistics", security(("bearer" = [])), params(RecordsQuery),
    responses((status = 200, body = Vec<SportRecords>)))]
async fn records(
    State(training): State<Training>,
    user: Caller,
    Query(query): Query<RecordsQuery>,
) -> Result<Json<Vec<SportRecords>>> {
    Ok(Json(training.records(&user.id, query).await?))
}

pub fn routes() -> OpenApiRouter<Training> {
    OpenApiRouter::new().routes(routes!(stats)).routes(routes!(records))
}
