//! `/api/v1/sports`: the catalogue, open to all, edited by administrators.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use platform::http::Caller;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Result;
use crate::sports::{self, Sport, SportInput};
use crate::Training;

/// A new sport (the handler reads it as a `SportInput`).
#[derive(utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "id": "nordic-walking", "name": "Nordic walking", "icon": "🚶", "has_distance": true }))]
#[allow(dead_code)]
struct NewSport {
    /// 1 to 40 lowercase letters, digits or dashes; workouts refer to it, so it never changes.
    #[schema(pattern = r"^[a-z0-9-]{1,40}$")]
    id: String,
    /// 1 to 60 characters, not only spaces.
    #[schema(
        max_length = 60,
        pattern = r"[^\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    name: String,
    /// An emoji, 1 to 8 characters; ⭐ when left out.
    #[schema(
        max_length = 8,
        pattern = r"[^\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    icon: Option<String>,
    /// True when left out.
    has_distance: Option<bool>,
    /// The place in the list; 500 when left out.
    #[schema(minimum = -2147483648, maximum = 2147483647)]
    position: Option<i64>,
}

/// Changes to a sport; what is left out stays (the handler reads it as a `SportInput`).
#[derive(utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SportChange {
    /// 1 to 60 characters, not only spaces.
    #[schema(
        max_length = 60,
        pattern = r"[^\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    name: Option<String>,
    /// An emoji, 1 to 8 characters.
    #[schema(
        max_length = 8,
        pattern = r"[^\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    icon: Option<String>,
    has_distance: Option<bool>,
    /// The place in the list.
    #[schema(minimum = -2147483648, maximum = 2147483647)]
    position: Option<i64>,
}

/// Every sport a workout can be, in display order.
#[utoipa::path(get, path = "/api/v1/sports", tag = "sports", responses((status = 200, body = Vec<Sport>)))]
async fn list(State(training): State<Training>) -> Result<Json<Vec<Sport>>> {
    let mut conn = training.platform.db.pool().acquire().await?;
    Ok(Json(sports::all(&mut conn).await?))
}

/// Adds a sport (administrators).
#[utoipa::path(post, path = "/api/v1/sports", tag = "sports", security(("bearer" = [])), request_body = NewSport,
    responses((status = 201, body = Sport), (status = 403, body = platform::http::Problem, description = "Only administrators may do this"),
        (status = 409, body = platform::http::Problem, description = "A sport with this id exists")))]
async fn create(
    State(training): State<Training>,
    user: Caller,
    Json(input): Json<SportInput>,
) -> Result<(StatusCode, Json<Sport>)> {
    user.require_admin()?;
    let mut conn = training.platform.db.pool().acquire().await?;
    Ok((StatusCode::CREATED, Json(sports::create(&mut conn, input).await?)))
}

/// Changes a sport's name, icon, order or whether distance matters (administrators).
#[utoipa::path(patch, path = "/api/v1/sports/{id}", tag = "sports", security(("bearer" = [])), request_body = SportChange,
    responses((status = 200, body = Sport), (status = 403, body = platform::http::Problem, description = "Only administrators may do this"),
        (status = 404, body = platform::http::Problem)))]
async fn change(
    State(training): State<Training>,
    user: Caller,
    Path(id): Path<String>,
    Json(input): Json<SportInput>,
) -> Result<Json<Sport>> {
    user.require_admin()?;
    let mut conn = training.platform.db.pool().acquire().await?;
    Ok(Json(sports::update(&mut conn, &id, input).await?))
}

/// Removes a sport no workout uses (administrators).
#[utoipa::path(delete, path = "/api/v1/sports/{id}", tag = "sports", security(("bearer" = [])),
    responses((status = 204), (status = 403, body = platform::http::Problem, description = "Only administrators may do this"),
        (status = 404, body = platform::http::Problem), (status = 409, body = platform::http::Problem, description = "Workouts are of this sport")))]
async fn remove(State(training): State<Training>, user: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    user.require_admin()?;
    let mut conn = training.platform.db.pool().acquire().await?;
    sports::delete(&mut conn, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<Training> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(change, remove))
}
