//! `/api/v1/reports` (anyone) and `/api/v1/moderation` (administrators).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Result;
use crate::moderation::{Decision, LoggedAction, NewReport, QueueQuery, Report};
use crate::Social;

pub fn routes() -> OpenApiRouter<Social> {
    OpenApiRouter::new()
        .routes(routes!(mine, report))
        .routes(routes!(queue))
        .routes(routes!(decide))
        .routes(routes!(actions))
}

/// Reports a profile, a training or a comment you can see. At most 20 a day.
#[utoipa::path(post, path = "/api/v1/reports", tag = "moderation", security(("bearer" = [])), request_body = NewReport,
    responses((status = 201, body = Report), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn report(
    State(this): State<Social>,
    caller: Caller,
    Json(new): Json<NewReport>,
) -> Result<(StatusCode, Json<Report>)> {
    Ok((StatusCode::CREATED, Json(this.report(&caller.id, new).await?)))
}

/// Your reports, newest first, with what was done about each.
#[utoipa::path(get, path = "/api/v1/reports", tag = "moderation", security(("bearer" = [])),
    responses((status = 200, body = Vec<Report>)))]
async fn mine(State(this): State<Social>, caller: Caller) -> Result<Json<Vec<Report>>> {
    Ok(Json(this.my_reports(&caller.id).await?))
}

/// The reports to decide, oldest first, with the reported content (administrators).
#[utoipa::path(get, path = "/api/v1/moderation/reports", tag = "moderation", security(("bearer" = [])), params(QueueQuery),
    responses((status = 200, body = Vec<Report>), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn queue(
    State(this): State<Social>,
    caller: Caller,
    Query(query): Query<QueueQuery>,
) -> Result<Json<Vec<Report>>> {
    Ok(Json(this.queue(&caller, query.state.as_deref()).await?))
}

/// Decides a report: hide, warn, suspend or dismiss, with a reason (administrators).
#[utoipa::path(post, path = "/api/v1/moderation/reports/{id}/decision", tag = "moderation", security(("bearer" = [])),
    request_body = Decision,
    responses((status = 200, body = Report), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn decide(
    State(this): State<Social>,
    caller: Caller,
    Path(id): Path<String>,
    Json(decision): Json<Decision>,
) -> Result<Json<Report>> {
    Ok(Json(this.decide(&caller, &id, decision).await?))
}

/// Every moderator action, newest first, with who and why (administrators).
#[utoipa::path(get, path = "/api/v1/moderation/actions", tag = "moderation", security(("bearer" = [])),
    responses((status = 200, body = Vec<LoggedAction>), (status = 403, body = Problem)))]
async fn actions(State(this): State<Social>, caller: Caller) -> Result<Json<Vec<LoggedAction>>> {
    Ok(Json(this.actions(&caller).await?))
}
