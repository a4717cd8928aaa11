//! `/api/v1/sports`: the catalogue, open to all, edited by administrators.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use identity::AuthUser;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Result;
use crate::sports::{self, Sport, SportInput};
use crate::Training;

/// Every sport a workout can be, in display order.
#[utoipa::path(get, path = "/api/v1/sports", tag = "sports", responses((status = 200, body = Vec<Sport>)))]
async fn list(State(training): State<Training>) -> Result<Json<Vec<Sport>>> {
    let mut conn = training.platform.db.pool().acquire().await?;
    Ok(Json(sports::all(&mut conn).await?))
}

/// Adds a sport (administrators).
#[utoipa::path(post, path = "/api/v1/sports", tag = "sports", security(("bearer" = [])), request_body = SportInput,
    responses((status = 201, body = Sport), (status = 403, body = platform::http::Problem), (status = 409, body = platform::http::Problem)))]
async fn create(
    State(training): State<Training>,
    user: AuthUser,
    Json(input): Json<SportInput>,
) -> Result<(StatusCode, Json<Sport>)> {
    user.require_admin()?;
    let mut conn = training.platform.db.pool().acquire().await?;
    Ok((StatusCode::CREATED, Json(sports::create(&mut conn, input).await?)))
}

/// Changes a sport's name, icon, order or whether distance matters (administrators).
#[utoipa::path(patch, path = "/api/v1/sports/{id}", tag = "sports", security(("bearer" = [])), request_body = SportInput,
    responses((status = 200, body = Sport), (status = 403, body = platform::http::Problem), (status = 404, body = platform::http::Problem)))]
async fn change(
    State(training): State<Training>,
    user: AuthUser,
    Path(id): Path<String>,
    Json(input): Json<SportInput>,
) -> Result<Json<Sport>> {
    user.require_admin()?;
    let mut conn = training.platform.db.pool().acquire().await?;
    Ok(Json(sports::update(&mut conn, &id, input).await?))
}

/// Removes a sport no workout uses (administrators).
#[utoipa::path(delete, path = "/api/v1/sports/{id}", tag = "sports", security(("bearer" = [])),
    responses((status = 204), (status = 403, body = platform::http::Problem), (status = 409, body = platform::http::Problem)))]
async fn remove(State(training): State<Training>, user: AuthUser, Path(id): Path<String>) -> Result<StatusCode> {
    user.require_admin()?;
    let mut conn = training.platform.db.pool().acquire().await?;
    sports::delete(&mut conn, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<Training> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(change, remove))
}
