//! Probes for load balancers and orchestrators, and the server's self-description.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use super::Problem;
use crate::Platform;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` when the check passed.
    pub status: &'static str,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// `ok`: the database answers, so requests can be served.
    pub status: &'static str,
    /// The event bus: `up`, `down` (events wait in the outbox and go out
    /// once it is back; the API is not affected) or `unknown` (not asked yet).
    pub bus: &'static str,
}

/// The process is alive and answering. Checks nothing else.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The process can serve requests: its database answers. A bus that is
/// down is reported but does not make the process unready.
#[utoipa::path(
    get, path = "/readyz", tag = "operations",
    responses((status = 200, body = Readiness), (status = 503, body = Problem, content_type = "application/problem+json"))
)]
pub async fn readyz(State(platform): State<Platform>) -> Result<Json<Readiness>, Problem> {
    if platform.db.ping().await {
        Ok(Json(Readiness { status: "ok", bus: platform.events.status().describe() }))
    } else {
        Err(Problem::new(StatusCode::SERVICE_UNAVAILABLE, "database-unreachable", "The database does not answer."))
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ServerInfo {
    pub name: &'static str,
    pub version: &'static str,
    /// The public URL of this server.
    pub url: String,
    /// The contexts this process serves (`--modules`).
    pub modules: Vec<String>,
    /// Map tiles as a URL template with `{z}`, `{x}`, `{y}` (and perhaps
    /// `{s}`); OpenStreetMap's unless the administrator chose others; null
    /// (`ATHLOS_MAP_TILES=none`): draw tracks on a plain background.
    pub map_tiles: Option<String>,
    /// The credit to show on maps drawn with those tiles.
    pub map_attribution: Option<String>,
}

/// What this server is; clients read it to know whom they talk to.
#[utoipa::path(get, path = "/api/v1/server", tag = "server", responses((status = 200, body = ServerInfo)))]
pub async fn server_info(State(platform): State<Platform>) -> Json<ServerInfo> {
    Json(ServerInfo {
        name: "Athlos",
        version: env!("CARGO_PKG_VERSION"),
        url: platform.config.public_url(),
        modules: platform.modules.as_ref().clone(),
        map_tiles: platform.config.tiles().map(String::from),
        map_attribution: platform.config.tiles_attribution().map(String::from),
    })
}
