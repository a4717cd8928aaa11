//! `/api/v1/equipment`: a person's items, their photos, monthly usage, and
//! the person's inventory settings.

use axum::extract::{Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::pictures::{self, Picture};
use crate::equipment::{Equipment, EquipmentChanges, ListQuery, NewEquipment, Retirement};
use crate::error::Result;
use crate::promotions::Settings;
use crate::usage::{MonthlyUsage, MonthsQuery};
use crate::Inventory;

pub fn routes() -> OpenApiRouter<Inventory> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, change, remove))
        .routes(routes!(retire, reinstate))
        .routes(routes!(photo, remove_photo))
        .routes(routes!(monthly))
        .routes(routes!(settings, choose_settings))
}

pub fn uploads() -> OpenApiRouter<Inventory> {
    OpenApiRouter::new().routes(routes!(set_photo))
}

/// Your equipment, newest first, with usage and parts.
#[utoipa::path(get, path = "/api/v1/equipment", tag = "equipment", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Vec<Equipment>)))]
async fn list(
    State(this): State<Inventory>,
    caller: Caller,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<Equipment>>> {
    Ok(Json(this.list_equipment(&caller.id, query.state.unwrap_or_default()).await?))
}

/// Adds an item. With an `id` sent before (a retried offline create), answers that item with 200.
#[utoipa::path(post, path = "/api/v1/equipment", tag = "equipment", security(("bearer" = [])), request_body = NewEquipment,
    responses((status = 201, body = Equipment), (status = 200, body = Equipment, description = "Made by an earlier request with the same id"),
        (status = 409, body = Problem, description = "The id is taken"), (status = 422, body = Problem)))]
async fn create(State(this): State<Inventory>, caller: Caller, Json(new): Json<NewEquipment>) -> Result<Response> {
    let (item, made) = this.add_equipment(&caller.id, new).await?;
    let status = if made { StatusCode::CREATED } else { StatusCode::OK };
    let location = format!("/api/v1/equipment/{}", item.id);
    Ok((status, [(header::LOCATION, location)], Json(item)).into_response())
}

/// One of your items.
#[utoipa::path(get, path = "/api/v1/equipment/{id}", tag = "equipment", security(("bearer" = [])),
    responses((status = 200, body = Equipment), (status = 404, body = Problem)))]
async fn show(State(this): State<Inventory>, caller: Caller, Path(id): Path<String>) -> Result<Json<Equipment>> {
    Ok(Json(this.equipment(&caller.id, &id).await?))
}

/// Changes the fields sent; `null` clears an optional one.
#[utoipa::path(patch, path = "/api/v1/equipment/{id}", tag = "equipment", security(("bearer" = [])), request_body = EquipmentChanges,
    responses((status = 200, body = Equipment), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn change(
    State(this): State<Inventory>,
    caller: Caller,
    Path(id): Path<String>,
    Json(changes): Json<EquipmentChanges>,
) -> Result<Json<Equipment>> {
    Ok(Json(this.change_equipment(&caller.id, &id, changes).await?))
}

/// Deletes the item, its parts and photo, and takes it off its trainings.
#[utoipa::path(delete, path = "/api/v1/equipment/{id}", tag = "equipment", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn remove(State(this): State<Inventory>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    this.delete_equipment(&caller.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Retires the item: it keeps its history and leaves pickers and defaults.
#[utoipa::path(post, path = "/api/v1/equipment/{id}/retirement", tag = "equipment", security(("bearer" = [])),
    request_body = Retirement, responses((status = 200, body = Equipment), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn retire(
    State(this): State<Inventory>,
    caller: Caller,
    Path(id): Path<String>,
    Json(retirement): Json<Retirement>,
) -> Result<Json<Equipment>> {
    Ok(Json(this.retire(&caller.id, &id, retirement).await?))
}

/// Brings a retired item back.
#[utoipa::path(delete, path = "/api/v1/equipment/{id}/retirement", tag = "equipment", security(("bearer" = [])),
    responses((status = 200, body = Equipment), (status = 404, body = Problem)))]
async fn reinstate(State(this): State<Inventory>, caller: Caller, Path(id): Path<String>) -> Result<Json<Equipment>> {
    Ok(Json(this.reinstate(&caller.id, &id).await?))
}

/// Sets the item's photo: a JPEG, PNG or WebP of at most 10 MiB as the body,
/// kept as a JPEG of at most 1600 pixels a side without its metadata.
#[utoipa::path(put, path = "/api/v1/equipment/{id}/photo", tag = "equipment", security(("bearer" = [])),
    request_body(content((Picture = "image/jpeg"), (Picture = "image/png"), (Picture = "image/webp"))),
    responses((status = 200, body = Equipment), (status = 404, body = Problem), (status = 413, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem)))]
async fn set_photo(
    State(this): State<Inventory>,
    caller: Caller,
    Path(id): Path<String>,
    request: Request,
) -> Result<Json<Equipment>> {
    let picture = pictures::receive(request).await?;
    Ok(Json(this.set_photo(&caller.id, &id, picture).await?))
}

/// The item's photo (JPEG).
#[utoipa::path(get, path = "/api/v1/equipment/{id}/photo", tag = "equipment", security(("bearer" = [])),
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = Problem)))]
async fn photo(State(this): State<Inventory>, caller: Caller, Path(id): Path<String>) -> Result<Response> {
    Ok(pictures::jpeg(this.photo(&caller.id, &id).await?, "private, max-age=60"))
}

/// Removes the item's photo; removing none is not an error.
#[utoipa::path(delete, path = "/api/v1/equipment/{id}/photo", tag = "equipment", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn remove_photo(State(this): State<Inventory>, caller: Caller, Path(id): Path<String>) -> Result<StatusCode> {
    this.remove_photo(&caller.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The item's use per calendar month (UTC), oldest first, months without use included.
#[utoipa::path(get, path = "/api/v1/equipment/{id}/usage", tag = "equipment", security(("bearer" = [])), params(MonthsQuery),
    responses((status = 200, body = Vec<MonthlyUsage>), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn monthly(
    State(this): State<Inventory>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<MonthsQuery>,
) -> Result<Json<Vec<MonthlyUsage>>> {
    Ok(Json(this.monthly_usage(&caller.id, &id, query.months.unwrap_or(12)).await?))
}

/// Whether you see offers, and the country they may be targeted by.
#[utoipa::path(get, path = "/api/v1/equipment/settings", tag = "equipment", security(("bearer" = [])),
    responses((status = 200, body = Settings)))]
async fn settings(State(this): State<Inventory>, caller: Caller) -> Result<Json<Settings>> {
    Ok(Json(this.settings(&caller.id).await?))
}

#[utoipa::path(put, path = "/api/v1/equipment/settings", tag = "equipment", security(("bearer" = [])), request_body = Settings,
    responses((status = 200, body = Settings), (status = 422, body = Problem)))]
async fn choose_settings(
    State(this): State<Inventory>,
    caller: Caller,
    Json(settings): Json<Settings>,
) -> Result<Json<Settings>> {
    Ok(Json(this.set_settings(&caller.id, settings).await?))
}
