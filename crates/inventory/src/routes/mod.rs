//! The HTTP edge of inventory: thin handlers over the operations on `Inventory`.

mod components;
mod equipment;
mod pictures;
mod promotions;

use axum::extract::DefaultBodyLimit;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::Inventory;

#[derive(OpenApi)]
#[openapi(tags(
    (name = "equipment", description = "A person's equipment and its parts, their usage from trainings, wear alerts"),
    (name = "promotions", description = "Partners' offers beside the equipment, and their counts")
))]
struct InventoryApi;

pub fn all(inventory: Inventory) -> OpenApiRouter<platform::Platform> {
    // Pictures count their bytes against their own limit.
    let uploads = OpenApiRouter::new()
        .merge(equipment::uploads())
        .merge(promotions::uploads())
        .layer(DefaultBodyLimit::disable());
    OpenApiRouter::with_openapi(InventoryApi::openapi())
        .merge(uploads)
        .merge(equipment::routes())
        .merge(components::routes())
        .merge(promotions::routes())
        .with_state(inventory)
}
