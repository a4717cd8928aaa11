//! The HTTP edge of competition: thin handlers over `Competitions`. Its
//! paths (`/api/v1/competitions`, `/api/v1/leaderboards`) are its own, so a
//! gateway can send them to a competition replica.

mod boards;
mod competitions;
mod entries;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::Competitions;

#[derive(OpenApi)]
#[openapi(tags((name = "competitions", description = "Competitions, teams, leaderboards and global boards")))]
struct CompetitionApi;

pub fn all(this: Competitions) -> OpenApiRouter<platform::Platform> {
    OpenApiRouter::with_openapi(CompetitionApi::openapi())
        .merge(competitions::routes())
        .merge(entries::routes())
        .merge(boards::routes())
        .with_state(this)
}
