//! The public keys that verify access tokens.

use axum::extract::State;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::Identity;

/// The JSON Web Key Set that verifies access tokens (RFC 7517).
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "auth", responses((status = 200, description = "JWKS")))]
async fn jwks(State(identity): State<Identity>) -> Json<serde_json::Value> {
    Json(identity.keys.jwks())
}

pub fn routes() -> OpenApiRouter<Identity> {
    OpenApiRouter::new().routes(routes!(jwks))
}
