//! The HTTP edge of partners: thin handlers over `Partners`. Its paths
//! (`/api/v1/partners`, `/api/v1/conversations`) are its own, so a gateway
//! can send them to a partners replica.

mod conversations;
mod finder;
mod swipes;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::Partners;

#[derive(OpenApi)]
#[openapi(tags(
    (name = "partners", description = "Finding training partners nearby: the deck, swipes and matches"),
    (name = "chat", description = "One-to-one conversations, live over the realtime socket")
))]
struct PartnersApi;

pub fn all(this: Partners) -> OpenApiRouter<platform::Platform> {
    OpenApiRouter::with_openapi(PartnersApi::openapi())
        .merge(finder::routes())
        .merge(swipes::routes())
        .merge(conversations::routes())
        .with_state(this)
}
