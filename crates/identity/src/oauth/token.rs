//! What the token endpoint (code and refresh grants), revocation (RFC 7009)
//! and introspection (RFC 7662) do. Errors here take OAuth's own JSON shape
//! (`{"error": …}`), which client libraries expect.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::store::{self, Client};
use crate::error::IdentityError;
use crate::sessions::{self, Tokens};
use crate::store::{self as user_store, AppAccess};
use crate::{secrets, AccessClaims, Identity, API_AUDIENCE};

/// An OAuth error answer (RFC 6749 §5.2).
#[derive(Debug)]
pub struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
}

impl OAuthError {
    fn new(error: &'static str, description: impl Into<String>) -> Self {
        let status = if error == "invalid_client" { StatusCode::UNAUTHORIZED } else { StatusCode::BAD_REQUEST };
        Self { status, error, description: description.into() }
    }
}

impl From<IdentityError> for OAuthError {
    fn from(e: IdentityError) -> Self {
        match e {
            IdentityError::TokenInvalid
            | IdentityError::TokenExpired
            | IdentityError::SessionRevoked
            | IdentityError::RefreshTokenReused
            | IdentityError::Suspended => OAuthError::new("invalid_grant", e.to_string()),
            IdentityError::RateLimited { .. } => OAuthError::new("slow_down", e.to_string()),
            other => {
                tracing::error!(error = %other, "token endpoint failed");
                OAuthError {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    error: "server_error",
                    description: "try again".into(),
                }
            }
        }
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut response =
            (self.status, Json(json!({ "error": self.error, "error_description": self.description }))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"athlos\""));
        }
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

pub(crate) type OAuthResult<T> = Result<T, OAuthError>;

#[derive(Deserialize, ToSchema)]
pub(crate) struct TokenRequest {
    grant_type: String,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct TokenResponse {
    access_token: String,
    token_type: &'static str,
    expires_in: i64,
    refresh_token: String,
    scope: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
}

/// Who a client says it is: by HTTP Basic, or by fields of the form (RFC 6749 §2.3.1).
pub(crate) struct ClientCredentials {
    pub id: String,
    pub secret: Option<String>,
}

impl Identity {
    /// Authenticates the calling client: a confidential client by its
    /// secret, a public one by its id alone.
    pub(crate) async fn calling_client(&self, credentials: ClientCredentials) -> OAuthResult<Client> {
        let unknown = || OAuthError::new("invalid_client", "unknown client or wrong secret");
        let client = self.client(&credentials.id).await.map_err(OAuthError::from)?.ok_or_else(unknown)?;
        match (&client.secret_hash, credentials.secret) {
            (None, None) => Ok(client),
            (Some(hash), Some(secret)) if secrets::same(hash.as_bytes(), secrets::hash(&secret).as_bytes()) => {
                Ok(client)
            }
            _ => Err(unknown()),
        }
    }
}

fn pkce_matches(challenge: &str, verifier: &str) -> bool {
    let valid = (43..=128).contains(&verifier.len())
        && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    valid && secrets::same(URL_SAFE_NO_PAD.encode(digest).as_bytes(), challenge.as_bytes())
}

#[derive(Serialize)]
struct IdTokenClaims {
    iss: String,
    sub: String,
    aud: String,
    exp: i64,
    iat: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email_verified: Option<bool>,
}

impl Identity {
    async fn id_token(
        &self,
        user_id: &str,
        client_id: &str,
        scope: &str,
        nonce: Option<String>,
    ) -> OAuthResult<String> {
        let user = self.user(user_id).await?;
        let scopes = super::split_scopes(scope);
        let has = |s: &str| scopes.iter().any(|x| x == s);
        let now = platform::db::now_secs();
        let claims = IdTokenClaims {
            iss: self.issuer(),
            sub: user.id,
            aud: client_id.into(),
            exp: now + self.access_token_secs(),
            iat: now,
            nonce,
            name: has("profile").then_some(user.display_name),
            email: has("email").then(|| user.email.clone()),
            email_verified: has("email").then_some(user.email_verified_at.is_some()),
        };
        Ok(self.keys.sign(&claims)?)
    }

    async fn redeem_code(
        &self,
        client: &Client,
        form: &TokenRequest,
        from: &sessions::Client,
    ) -> OAuthResult<TokenResponse> {
        let value = form.code.as_deref().ok_or_else(|| OAuthError::new("invalid_request", "`code` is missing"))?;
        let mut conn = self.platform.db.pool().acquire().await.map_err(IdentityError::from)?;
        let code = store::spend_code(&mut conn, value)
            .await?
            .filter(|c| c.client_id == client.id)
            .ok_or_else(|| OAuthError::new("invalid_grant", "the code is unknown, expired, used or not yours"))?;
        drop(conn);
        if form.redirect_uri.as_deref() != Some(code.redirect_uri.as_str()) {
            return Err(OAuthError::new(
                "invalid_grant",
                "`redirect_uri` differs from the one in the authorization request",
            ));
        }
        if let Some(challenge) = &code.code_challenge {
            let verifier = form.code_verifier.as_deref().unwrap_or_default();
            if !pkce_matches(challenge, verifier) {
                return Err(OAuthError::new("invalid_grant", "`code_verifier` does not match the code challenge"));
            }
        }
        let user = self.user(&code.user_id).await?;
        if user.suspended {
            return Err(IdentityError::Suspended.into());
        }
        let app = AppAccess { client_id: client.id.clone(), scope: code.scope.clone() };
        let tokens = self.open_session(&user, from, Some(&app)).await?;
        self.token_response(tokens, &app, code.nonce).await
    }

    async fn token_response(
        &self,
        tokens: Tokens,
        app: &AppAccess,
        nonce: Option<String>,
    ) -> OAuthResult<TokenResponse> {
        let id_token = if super::split_scopes(&app.scope).iter().any(|s| s == "openid") {
            Some(self.id_token(&tokens.user_id, &app.client_id, &app.scope, nonce).await?)
        } else {
            None
        };
        Ok(TokenResponse {
            access_token: tokens.access_token,
            token_type: "Bearer",
            expires_in: tokens.expires_in,
            refresh_token: tokens.refresh_token,
            scope: app.scope.clone(),
            id_token,
        })
    }
}

/// What a token refers to, if it is alive and belongs to `client`.
async fn live_session_of(
    identity: &Identity,
    token: &str,
    client: &Client,
) -> OAuthResult<Option<(String, String, Value)>> {
    let mut conn = identity.platform.db.pool().acquire().await.map_err(IdentityError::from)?;
    if let Some(state) = user_store::refresh_token_state(&mut conn, token).await? {
        let ours = state.app.as_ref().is_some_and(|a| a.client_id == client.id);
        let alive = state.used_at.is_none() && !state.expired && !state.session_revoked;
        if !ours || !alive {
            return Ok(None);
        }
        let scope = state.app.map(|a| a.scope).unwrap_or_default();
        let info =
            json!({ "token_type": "refresh_token", "scope": scope, "client_id": client.id, "sub": state.user_id });
        return Ok(Some((state.user_id, state.session_id, info)));
    }
    let Ok(claims) = identity.keys.verify::<AccessClaims>(token, &identity.issuer(), API_AUDIENCE).await else {
        return Ok(None);
    };
    if claims.client_id.as_deref() != Some(client.id.as_str()) {
        return Ok(None);
    }
    let check = user_store::check_session(&mut conn, &claims.sid, &claims.sub).await?;
    if !check.is_some_and(|c| !c.revoked && !c.suspended) {
        return Ok(None);
    }
    let info = json!({
        "token_type": "Bearer", "scope": claims.scope, "client_id": client.id, "sub": claims.sub,
        "exp": claims.exp, "iat": claims.iat, "iss": claims.iss, "aud": claims.aud
    });
    Ok(Some((claims.sub, claims.sid, info)))
}

impl Identity {
    /// Trades an authorization code (with its PKCE verifier) or a refresh
    /// token of `client`'s for tokens.
    pub(crate) async fn grant(
        &self,
        client: &Client,
        form: &TokenRequest,
        from: &sessions::Client,
    ) -> OAuthResult<TokenResponse> {
        match form.grant_type.as_str() {
            "authorization_code" => self.redeem_code(client, form, from).await,
            "refresh_token" => {
                let token = form
                    .refresh_token
                    .as_deref()
                    .ok_or_else(|| OAuthError::new("invalid_request", "`refresh_token` is missing"))?;
                let tokens = self.refresh_for(token, from, |app| app.is_some_and(|a| a.client_id == client.id)).await?;
                let app = AppAccess { client_id: client.id.clone(), scope: tokens.scope.clone().unwrap_or_default() };
                self.token_response(tokens, &app, None).await
            }
            other => Err(OAuthError::new("unsupported_grant_type", format!("`{other}` is not supported"))),
        }
    }

    /// Revokes a token of `client`'s (RFC 7009): the session it belongs to
    /// ends, so the access and refresh tokens of that login stop working
    /// together. A token that was not valid anyway is no error.
    pub(crate) async fn revoke_token(&self, client: &Client, token: &str) -> OAuthResult<()> {
        if let Some((user_id, session_id, _)) = live_session_of(self, token, client).await? {
            let mut conn = self.platform.db.pool().acquire().await.map_err(IdentityError::from)?;
            user_store::revoke_session(&mut conn, &user_id, &session_id, "revoked by the application").await?;
        }
        Ok(())
    }

    /// Whether one of a confidential client's tokens is alive (RFC 7662).
    pub(crate) async fn introspect_token(&self, client: &Client, token: &str) -> OAuthResult<Value> {
        if client.is_public() {
            return Err(OAuthError::new("invalid_client", "only confidential clients may introspect"));
        }
        Ok(match live_session_of(self, token, client).await? {
            Some((_, _, mut info)) => {
                info["active"] = json!(true);
                info
            }
            None => json!({ "active": false }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_an_independent_computation() {
        // The challenge was computed with Python's hashlib and base64 (url-safe, unpadded).
        let challenge = "MvKLnMda5RAwto5GigPnUj8ZaL35JFK1G1aXXaoaoas";
        assert!(pkce_matches(challenge, "dBjftJeZ4CVP-mB92K27uD8MtnlzQc-bP2mQg3nAaTPbFxi"));
        assert!(!pkce_matches(challenge, "dBjftJeZ4CVP-mB92K27uD8MtnlzQc-bP2mQg3nAaTPbFxj"));
        assert!(!pkce_matches(challenge, "short"));
    }
}
