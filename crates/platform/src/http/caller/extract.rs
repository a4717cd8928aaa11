//! The extractors: [`Bearer`] (any valid token, applications' too),
//! [`Caller`] (a person using Athlos's own apps) and `Option<Caller>`.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::{Authenticator, Bearer, Caller, CallerError};

/// The token of an `Authorization: Bearer …` header.
fn bearer_token(parts: &Parts) -> Result<&str, CallerError> {
    let header = parts.headers.get(AUTHORIZATION).ok_or(CallerError::Unauthenticated)?;
    let token = header
        .to_str()
        .ok()
        .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
        .ok_or(CallerError::Unauthenticated)?;
    Ok(token.trim())
}

impl<S> FromRequestParts<S> for Bearer
where
    Arc<dyn Authenticator>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = CallerError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, CallerError> {
        let authenticator = Arc::<dyn Authenticator>::from_ref(state);
        authenticator.authenticate(bearer_token(parts)?).await
    }
}

/// Refuses tokens issued to applications: endpoints open to them take
/// [`Bearer`] (or identity's scope-checking wrapper) instead.
impl<S> FromRequestParts<S> for Caller
where
    Arc<dyn Authenticator>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = CallerError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, CallerError> {
        let bearer = Bearer::from_request_parts(parts, state).await?;
        if bearer.application.is_some() {
            return Err(CallerError::InsufficientScope("applications cannot use this endpoint".into()));
        }
        Ok(bearer.caller)
    }
}

/// No `Authorization` header is `None`; a bad one is refused, not ignored.
impl<S> OptionalFromRequestParts<S> for Caller
where
    Arc<dyn Authenticator>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = CallerError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Option<Self>, CallerError> {
        if !parts.headers.contains_key(AUTHORIZATION) {
            return Ok(None);
        }
        <Caller as FromRequestParts<S>>::from_request_parts(parts, state).await.map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(authorization: Option<&str>) -> Parts {
        let mut request = axum::http::Request::builder();
        if let Some(value) = authorization {
            request = request.header(AUTHORIZATION, value);
        }
        request.body(()).unwrap().into_parts().0
    }

    #[test]
    fn the_token_is_read_from_a_bearer_header_only() {
        assert_eq!(bearer_token(&parts(Some("Bearer abc "))).unwrap(), "abc");
        assert_eq!(bearer_token(&parts(Some("bearer abc"))).unwrap(), "abc");
        assert!(matches!(bearer_token(&parts(Some("Basic abc"))), Err(CallerError::Unauthenticated)));
        assert!(matches!(bearer_token(&parts(None)), Err(CallerError::Unauthenticated)));
    }
}
