//! Who is calling: the client's network address, as rate limits and the
//! session list need it. Behind nginx or an ingress the socket's peer is the
//! proxy, so with `ATHLOS_TRUST_FORWARDED_FOR` the address the proxy appended
//! to `X-Forwarded-For` (the right-most one) is taken instead.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub String);

pub async fn attach(State(trust_forwarded): State<bool>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let forwarded = trust_forwarded
        .then(|| {
            request.headers().get("x-forwarded-for")?.to_str().ok()?.rsplit(',').next().map(|s| s.trim().to_string())
        })
        .flatten()
        .filter(|s| !s.is_empty());
    let address = forwarded.or(peer).unwrap_or_else(|| "unknown".into());
    request.extensions_mut().insert(ClientAddress(address));
    next.run(request).await
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(parts.extensions.get::<ClientAddress>().cloned().unwrap_or_else(|| ClientAddress("unknown".into())))
    }
}
