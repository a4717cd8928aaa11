//! `/api/v1/equipment/{id}/components`: an item's parts.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::components::{Component, ComponentChanges, NewComponent, Replacement};
use crate::error::Result;
use crate::Inventory;

pub fn routes() -> OpenApiRouter<Inventory> {
    OpenApiRouter::new().routes(routes!(add)).routes(routes!(change, remove)).routes(routes!(replace))
}

/// Fits a part to the item; trainings from its `installed_at` count for it.
#[utoipa::path(post, path = "/api/v1/equipment/{id}/components", tag = "equipment", security(("bearer" = [])),
    request_body = NewComponent,
    responses((status = 201, body = Component), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add(
    State(this): State<Inventory>,
    caller: Caller,
    Path(id): Path<String>,
    Json(new): Json<NewComponent>,
) -> Result<(StatusCode, Json<Component>)> {
    Ok((StatusCode::CREATED, Json(this.add_component(&caller.id, &id, new).await?)))
}

/// Renames a part or changes its threshold.
#[utoipa::path(patch, path = "/api/v1/equipment/{id}/components/{component_id}", tag = "equipment", security(("bearer" = [])),
    request_body = ComponentChanges,
    responses((status = 200, body = Component), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn change(
    State(this): State<Inventory>,
    caller: Caller,
    Path((id, component_id)): Path<(String, String)>,
    Json(changes): Json<ComponentChanges>,
) -> Result<Json<Component>> {
    Ok(Json(this.change_component(&caller.id, &id, &component_id, changes).await?))
}

/// Deletes a part entered by mistake (replace a worn one instead, to keep its history).
#[utoipa::path(delete, path = "/api/v1/equipment/{id}/components/{component_id}", tag = "equipment", security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem)))]
async fn remove(
    State(this): State<Inventory>,
    caller: Caller,
    Path((id, component_id)): Path<(String, String)>,
) -> Result<StatusCode> {
    this.delete_component(&caller.id, &id, &component_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces a worn part: the old one stays in the history with its counters; the new one starts at zero.
#[utoipa::path(post, path = "/api/v1/equipment/{id}/components/{component_id}/replacement", tag = "equipment",
    security(("bearer" = [])), request_body = Replacement,
    responses((status = 201, body = Component, description = "The new part"), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Replaced already"), (status = 422, body = Problem)))]
async fn replace(
    State(this): State<Inventory>,
    caller: Caller,
    Path((id, component_id)): Path<(String, String)>,
    Json(replacement): Json<Replacement>,
) -> Result<(StatusCode, Json<Component>)> {
    Ok((StatusCode::CREATED, Json(this.replace_component(&caller.id, &id, &component_id, replacement).await?)))
}
