//! The OAuth 2.0 / OpenID Connect provider's endpoints: registering
//! applications, discovery, the token endpoints and the browser step.

mod authorize;
mod clients;
mod discovery;
mod token;

use utoipa_axum::router::OpenApiRouter;

use crate::Identity;

pub fn routes() -> OpenApiRouter<Identity> {
    OpenApiRouter::new()
        .merge(clients::routes())
        .merge(discovery::routes())
        .merge(token::routes())
        .merge(authorize::routes())
}
