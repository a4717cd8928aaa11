//! OpenID Connect discovery and the userinfo endpoint.

use axum::extract::State;
use axum::Json;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::Result;
use crate::{AppUser, Identity};

/// The provider's metadata (OpenID Connect Discovery 1.0).
#[utoipa::path(get, path = "/.well-known/openid-configuration", tag = "oauth", responses((status = 200, description = "Provider metadata")))]
async fn configuration(State(identity): State<Identity>) -> Json<Value> {
    Json(identity.openid_configuration())
}

/// Who the token's owner is, as far as the token's scopes allow.
#[utoipa::path(get, path = "/oauth/userinfo", tag = "oauth", security(("bearer" = [])),
    responses((status = 200, body = Object, description = "Claims about the user")))]
async fn userinfo(State(identity): State<Identity>, caller: AppUser) -> Result<Json<Value>> {
    Ok(Json(identity.userinfo(&caller).await?))
}

pub fn routes() -> OpenApiRouter<Identity> {
    OpenApiRouter::new().routes(routes!(configuration)).routes(routes!(userinfo))
}
