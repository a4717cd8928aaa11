//! The browser step of the authorization code flow: `/oauth/authorize`
//! checks the request, asks the person to log in (a server-rendered page
//! that sets a sign-in cookie for `/oauth`), asks for consent once per set of
//! scopes, and sends the browser back with a single-use code.

use std::collections::HashMap;

use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::pages;
use super::store::{self, Client, Code};
use crate::error::IdentityError;
use crate::sessions::Tokens;
use crate::{AccessClaims, Identity};

const CODE_TTL_MS: i64 = 60 * 1000;
const SIGN_IN_COOKIE: &str = "athlos_sso";
const SIGN_IN_AUDIENCE: &str = "athlos-sign-in";
const SIGN_IN_SECS: i64 = 12 * 3600;
const CONSENT_AUDIENCE: &str = "athlos-consent";

/// A checked authorization request.
pub(crate) struct Request {
    pub client: Client,
    redirect_uri: String,
    scope: Vec<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
}

impl Request {
    /// What the consent page says each scope asked for lets the application do.
    pub fn scope_words(&self) -> Vec<(&'static str, &'static str)> {
        super::SCOPES.iter().filter(|(name, _)| self.scope.iter().any(|s| s == name)).copied().collect()
    }

    /// Back to the application: the person said no.
    pub fn denied(&self) -> Response {
        let mut params =
            vec![("error", "access_denied".to_string()), ("error_description", "the person said no".into())];
        params.extend(self.state.clone().map(|s| ("state", s)));
        redirect_with(&self.redirect_uri, &params)
    }
}

/// Why a request cannot go on. Until the client and its redirect URI are
/// known good, the person sees a page; after that, the client gets the error.
pub(crate) enum Refusal {
    Page(String),
    Redirect { to: String, error: &'static str, description: String, state: Option<String> },
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Page(message) => pages::error(&message),
            Refusal::Redirect { to, error, description, state } => {
                let mut params = vec![("error", error.to_string()), ("error_description", description)];
                params.extend(state.map(|s| ("state", s)));
                redirect_with(&to, &params)
            }
        }
    }
}

fn redirect_with(to: &str, params: &[(&str, String)]) -> Response {
    let mut url = url::Url::parse(to).expect("redirect URIs are checked at registration");
    url.query_pairs_mut().extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())));
    Redirect::to(url.as_str()).into_response()
}

impl Identity {
    pub(crate) async fn check_request(&self, params: &HashMap<String, String>) -> Result<Request, Refusal> {
        let get = |name: &str| params.get(name).map(String::as_str).filter(|v| !v.is_empty());
        let client_id =
            get("client_id").ok_or_else(|| Refusal::Page("The request names no application (client_id).".into()))?;
        let client = self
            .client(client_id)
            .await
            .map_err(|_| Refusal::Page("The server could not look the application up.".into()))?
            .ok_or_else(|| Refusal::Page("The application is not registered with this Athlos server.".into()))?;
        let redirect_uri = get("redirect_uri")
            .filter(|uri| client.redirect_uris.iter().any(|known| known == uri))
            .ok_or_else(|| {
                Refusal::Page("The application asked to send you back to an address it did not register.".into())
            })?
            .to_string();
        let state = get("state").map(str::to_string);
        let refuse = |error: &'static str, description: &str| Refusal::Redirect {
            to: redirect_uri.clone(),
            error,
            description: description.to_string(),
            state: state.clone(),
        };
        if get("response_type") != Some("code") {
            return Err(refuse("unsupported_response_type", "only response_type=code is supported"));
        }
        let scope = super::split_scopes(get("scope").unwrap_or_default());
        if scope.is_empty() || scope.iter().any(|s| !client.scopes.contains(s)) {
            return Err(refuse("invalid_scope", "ask for scopes the application was registered with"));
        }
        let code_challenge = get("code_challenge").map(str::to_string);
        match (code_challenge.is_some(), get("code_challenge_method")) {
            (true, Some("S256")) => {}
            (true, _) => return Err(refuse("invalid_request", "code_challenge_method must be S256")),
            (false, _) if client.is_public() => {
                return Err(refuse("invalid_request", "public clients must use PKCE (code_challenge with S256)"))
            }
            (false, _) => {}
        }
        Ok(Request { client, redirect_uri, scope, state, nonce: get("nonce").map(str::to_string), code_challenge })
    }

    /// The person signed in on this browser for the `/oauth` pages, if any.
    pub(crate) async fn signed_in(&self, headers: &HeaderMap) -> Option<String> {
        let token = crate::cookies::get(headers, SIGN_IN_COOKIE)?;
        let claims: AccessClaims = self.keys.verify(&token, &self.issuer(), SIGN_IN_AUDIENCE).await.ok()?;
        let mut conn = self.platform.db.pool().acquire().await.ok()?;
        let check = crate::store::check_session(&mut conn, &claims.sid, &claims.sub).await.ok()??;
        (!check.revoked && !check.suspended).then_some(claims.sub)
    }

    pub(crate) async fn issue_code(&self, request: &Request, user_id: &str) -> Result<Response, IdentityError> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let code = Code {
            client_id: request.client.id.clone(),
            user_id: user_id.to_string(),
            redirect_uri: request.redirect_uri.clone(),
            scope: request.scope.join(" "),
            code_challenge: request.code_challenge.clone(),
            nonce: request.nonce.clone(),
        };
        let value = store::insert_code(&mut conn, &code, CODE_TTL_MS).await?;
        let mut params = vec![("code", value), ("iss", self.issuer())];
        params.extend(request.state.clone().map(|s| ("state", s)));
        Ok(redirect_with(&request.redirect_uri, &params))
    }

    pub(crate) fn sign_in_cookie(&self, tokens: &Tokens) -> Result<HeaderValue, IdentityError> {
        let now = platform::db::now_secs();
        let claims = AccessClaims {
            iss: self.issuer(),
            aud: SIGN_IN_AUDIENCE.into(),
            sub: tokens.user_id.clone(),
            sid: tokens.session_id.clone(),
            iat: now,
            exp: now + SIGN_IN_SECS,
            jti: crate::secrets::new_token(),
            client_id: None,
            scope: None,
        };
        let secure = self.issuer().starts_with("https://");
        Ok(crate::cookies::set(SIGN_IN_COOKIE, &self.keys.sign(&claims)?, "/oauth", SIGN_IN_SECS, secure))
    }
}

/// What the consent page carries to the decision, signed.
#[derive(Serialize, Deserialize)]
pub(crate) struct ConsentClaims {
    iss: String,
    aud: String,
    /// The person asked.
    pub sub: String,
    exp: i64,
    /// The original authorization request's query string.
    pub q: String,
}

impl Identity {
    /// Whether the person allowed the application every scope it asks for before.
    pub(crate) async fn granted_before(&self, user_id: &str, request: &Request) -> Result<bool, IdentityError> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let granted = store::granted_scope(&mut conn, user_id, &request.client.id).await?;
        Ok(granted.is_some_and(|g| {
            let granted = super::split_scopes(&g);
            request.scope.iter().all(|s| granted.contains(s))
        }))
    }

    /// The consent page's token for the decision: `query` asked of `user_id`,
    /// good for ten minutes.
    pub(crate) fn consent_token(&self, user_id: String, query: String) -> Result<String, IdentityError> {
        let consent = ConsentClaims {
            iss: self.issuer(),
            aud: CONSENT_AUDIENCE.into(),
            sub: user_id,
            exp: platform::db::now_secs() + 600,
            q: query,
        };
        self.keys.sign(&consent)
    }

    /// The consent a decision answers; none when its page has expired or was not ours.
    pub(crate) async fn consent(&self, token: &str) -> Option<ConsentClaims> {
        self.keys.verify::<ConsentClaims>(token, &self.issuer(), CONSENT_AUDIENCE).await.ok()
    }

    /// The person allowed the request: remembered, and a code goes back to the application.
    pub(crate) async fn allow(&self, user_id: &str, request: &Request) -> Result<Response, IdentityError> {
        {
            // Given back before the code takes its own: a request never holds
            // one pooled connection while it waits for a second.
            let mut conn = self.platform.db.pool().acquire().await?;
            store::save_grant(&mut conn, user_id, &request.client.id, &request.scope.join(" ")).await?;
        }
        self.issue_code(request, user_id).await
    }
}
