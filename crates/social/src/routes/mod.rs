//! The HTTP edge of social: thin handlers over the operations on `Social`.
//! Its paths have prefixes of their own (`/api/v1/people`, `/api/v1/feed`,
//! …), so a gateway can send them to a social replica.

mod feed;
mod moderation;
mod people;
mod reactions;
mod relations;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::Social;

#[derive(OpenApi)]
#[openapi(tags(
    (name = "social", description = "Profiles, follows, blocks, the feed, kudos and comments"),
    (name = "moderation", description = "Reports, and administrators deciding them")
))]
struct SocialApi;

pub fn all(social: Social) -> OpenApiRouter<platform::Platform> {
    OpenApiRouter::with_openapi(SocialApi::openapi())
        .merge(people::routes())
        .merge(relations::routes())
        .merge(feed::routes())
        .merge(reactions::routes())
        .merge(moderation::routes())
        .with_state(social)
}
