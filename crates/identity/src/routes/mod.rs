//! The HTTP edge of identity: thin handlers over the operations on `Identity`.

mod account;
mod admin;
mod auth;
mod avatar;
mod exports;
mod external;
mod keys;
mod oauth;
mod passkeys;

use axum::http::HeaderMap;
use platform::http::ClientAddress;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::sessions::Client;
use crate::Identity;

#[derive(OpenApi)]
#[openapi(
    tags(
        (name = "auth", description = "Registering, logging in, tokens, password reset"),
        (name = "account", description = "The logged-in person's own account: profile, password, sessions, two-factor, passkeys, data export"),
        (name = "admin", description = "Administrators managing accounts"),
        (name = "oauth", description = "OAuth 2.0 and OpenID Connect: applications logging people in through Athlos")
    ),
    components(schemas(platform::http::Problem)),
    modifiers(&BearerAuth)
)]
struct IdentityApi;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

pub fn all() -> OpenApiRouter<Identity> {
    OpenApiRouter::with_openapi(IdentityApi::openapi())
        .merge(auth::routes())
        .merge(account::routes())
        .merge(avatar::routes())
        .merge(admin::routes())
        .merge(keys::routes())
        .merge(passkeys::routes())
        .merge(exports::routes())
        .merge(oauth::routes())
        .merge(external::routes())
}

/// The calling device and address, as a new session records them.
fn client(address: ClientAddress, headers: &HeaderMap) -> Client {
    Client::from_request(address, headers)
}
