//! The HTTP edge of sync: thin handlers over `Sync`, under `/api/v1/sync`.

mod uploads;

use axum::extract::{Query, State};
use platform::http::json::Json;
use platform::http::{Caller, Problem};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Result;
use crate::pull::{Changes, ChangesQuery};
use crate::push::{NewMutations, Pushed};
use crate::Sync;

#[derive(OpenApi)]
#[openapi(tags((name = "sync", description = "The offline sync protocol for trainings and equipment (docs/sync.md)")))]
struct SyncApi;

pub fn all(this: Sync) -> OpenApiRouter<platform::Platform> {
    OpenApiRouter::with_openapi(SyncApi::openapi())
        .routes(routes!(changes))
        .routes(routes!(push))
        .merge(uploads::routes())
        .with_state(this)
}

/// My changes after a cursor, each with its whole record or as a tombstone.
#[utoipa::path(get, path = "/api/v1/sync/changes", tag = "sync", security(("bearer" = [])),
    params(ChangesQuery),
    responses((status = 200, body = Changes), (status = 410, body = Problem), (status = 422, body = Problem)))]
async fn changes(State(this): State<Sync>, caller: Caller, Query(query): Query<ChangesQuery>) -> Result<Json<Changes>> {
    Ok(Json(this.changes(&caller.id, query).await?))
}

/// Applies changes made offline, each once, merged per field on its clock.
#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", security(("bearer" = [])),
    request_body = NewMutations,
    responses((status = 200, body = Pushed), (status = 422, body = Problem)))]
async fn push(State(this): State<Sync>, caller: Caller, Json(new): Json<NewMutations>) -> Result<Json<Pushed>> {
    Ok(Json(this.push(&caller.id, new).await?))
}
