//! The browser step of the authorization code flow: `/oauth/authorize`
//! checks the request, asks the person to log in (a server-rendered page
//! that sets a sign-in cookie for `/oauth`), asks for consent once per set of
//! scopes, and sends the browser back with a single-use code.

use std::collections::HashMap;

use axum::extract::{Query, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use platform::http::ClientAddress;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::pages;
use super::store::{self, Client, Code};
use crate::error::IdentityError;
use crate::sessions::{self, LoginOutcome, SecondFactor, Tokens};
use crate::{AccessClaims, Identity};

const CODE_TTL_MS: i64 = 60 * 1000;
const SIGN_IN_COOKIE: &str = "athlos_sso";
const SIGN_IN_AUDIENCE: &str = "athlos-sign-in";
const SIGN_IN_SECS: i64 = 12 * 3600;
const CONSENT_AUDIENCE: &str = "athlos-consent";

/// A checked authorization request.
struct Request {
    client: Client,
    redirect_uri: String,
    scope: Vec<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
}

/// Why a request cannot go on. Until the client and its redirect URI are
/// known good, the person sees a page; after that, the client gets the error.
enum Refusal {
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
    async fn check_request(&self, params: &HashMap<String, String>) -> Result<Request, Refusal> {
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
    async fn signed_in(&self, headers: &HeaderMap) -> Option<String> {
        let token = crate::cookies::get(headers, SIGN_IN_COOKIE)?;
        let claims: AccessClaims = self.keys.verify(&token, &self.issuer(), SIGN_IN_AUDIENCE).await.ok()?;
        let mut conn = self.platform.db.pool().acquire().await.ok()?;
        let check = crate::store::check_session(&mut conn, &claims.sid, &claims.sub).await.ok()??;
        (!check.revoked && !check.suspended).then_some(claims.sub)
    }

    async fn issue_code(&self, request: &Request, user_id: &str) -> Result<Response, IdentityError> {
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

    fn sign_in_cookie(&self, tokens: &Tokens) -> Result<HeaderValue, IdentityError> {
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

#[derive(Serialize, Deserialize)]
struct ConsentClaims {
    iss: String,
    aud: String,
    sub: String,
    exp: i64,
    /// The original authorization request's query string.
    q: String,
}

/// The query of an authorization request (RFC 6749 §4.1.1, with PKCE and
/// OpenID Connect's `nonce`); the handler reads it as a map.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct AuthorizeQuery {
    /// `code`; anything else is sent back to the application as an error.
    response_type: String,
    /// A registered application's id.
    client_id: String,
    /// One of the addresses the application registered.
    redirect_uri: String,
    /// Space-separated scopes the application was registered with.
    scope: String,
    state: Option<String>,
    code_challenge: Option<String>,
    /// `S256` (required with `code_challenge`).
    code_challenge_method: Option<String>,
    nonce: Option<String>,
}

/// Starts (or, once signed in, continues) an authorization request.
#[utoipa::path(get, path = "/oauth/authorize", tag = "oauth", params(AuthorizeQuery),
    responses((status = 200, description = "A login or consent page", content_type = "text/html"),
        (status = 303, description = "Back to the application, with a code or an error"),
        (status = 400, description = "An error page: the application or its address is unknown", content_type = "text/html")))]
async fn authorize(
    State(identity): State<Identity>,
    Query(params): Query<HashMap<String, String>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let request = identity.check_request(&params).await.map_err(IntoResponse::into_response)?;
    let query = query.unwrap_or_default();
    let Some(user_id) = identity.signed_in(&headers).await else {
        return Ok(pages::login(&query, &request.client.name, "", None));
    };
    let internal = |e: IdentityError| pages::error(&format!("Something went wrong: {e}"));
    let granted = {
        let mut conn = identity.platform.db.pool().acquire().await.map_err(|e| internal(e.into()))?;
        store::granted_scope(&mut conn, &user_id, &request.client.id).await.map_err(internal)?
    };
    let covered = granted.is_some_and(|g| {
        let granted = super::split_scopes(&g);
        request.scope.iter().all(|s| granted.contains(s))
    });
    if covered {
        return identity.issue_code(&request, &user_id).await.map_err(internal);
    }
    let consent = ConsentClaims {
        iss: identity.issuer(),
        aud: CONSENT_AUDIENCE.into(),
        sub: user_id,
        exp: platform::db::now_secs() + 600,
        q: query,
    };
    let token = identity.keys.sign(&consent).map_err(internal)?;
    let words: Vec<(&str, &str)> =
        super::SCOPES.iter().filter(|(name, _)| request.scope.iter().any(|s| s == name)).copied().collect();
    Ok(pages::consent(&request.client.name, &words, &token))
}

#[derive(Deserialize)]
struct LoginForm {
    query: String,
    email: String,
    password: String,
}

fn signed_in_redirect(identity: &Identity, query: &str, tokens: &Tokens) -> Response {
    match identity.sign_in_cookie(tokens) {
        Ok(cookie) => {
            let mut response = Redirect::to(&format!("/oauth/authorize?{query}")).into_response();
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        Err(e) => pages::error(&format!("Something went wrong: {e}")),
    }
}

fn browser(address: ClientAddress, headers: &HeaderMap) -> sessions::Client {
    let mut client = sessions::Client::from_request(address, headers);
    client.device.push_str(" (sign-in page)");
    client
}

async fn client_name(identity: &Identity, query: &str) -> String {
    let params: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    match params.get("client_id") {
        Some(id) => identity.client(id).await.ok().flatten().map(|c| c.name).unwrap_or_default(),
        None => String::new(),
    }
}

/// The login form of the browser step.
async fn login(
    State(identity): State<Identity>,
    address: ClientAddress,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    match identity.login(&form.email, &form.password, &browser(address, &headers)).await {
        Ok(LoginOutcome::Tokens(tokens)) => signed_in_redirect(&identity, &form.query, &tokens),
        Ok(LoginOutcome::SecondFactor(step)) => pages::second_factor(&form.query, &step.challenge, None),
        Err(e) => {
            pages::login(&form.query, &client_name(&identity, &form.query).await, &form.email, Some(&e.to_string()))
        }
    }
}

#[derive(Deserialize)]
struct SecondFactorForm {
    query: String,
    challenge: String,
    code: String,
}

/// The second-factor form of the browser step.
async fn second_factor(
    State(identity): State<Identity>,
    address: ClientAddress,
    headers: HeaderMap,
    Form(form): Form<SecondFactorForm>,
) -> Response {
    let code = form.code.trim();
    let factor = if code.contains('-') { SecondFactor::RecoveryCode(code) } else { SecondFactor::Totp(code) };
    match identity.login_second_step(&form.challenge, factor, &browser(address, &headers)).await {
        Ok(tokens) => signed_in_redirect(&identity, &form.query, &tokens),
        Err(IdentityError::InvalidToken) => pages::error("The login took too long; start again from the application."),
        Err(e) => pages::second_factor(&form.query, &form.challenge, Some(&e.to_string())),
    }
}

#[derive(Deserialize)]
struct DecisionForm {
    request: String,
    decision: String,
}

/// The consent form: allow or deny.
async fn decision(State(identity): State<Identity>, headers: HeaderMap, Form(form): Form<DecisionForm>) -> Response {
    let Ok(consent) = identity.keys.verify::<ConsentClaims>(&form.request, &identity.issuer(), CONSENT_AUDIENCE).await
    else {
        return pages::error("This consent page has expired; start again from the application.");
    };
    // The page was made for the person signed in on this browser, and only them.
    if identity.signed_in(&headers).await.as_deref() != Some(consent.sub.as_str()) {
        return pages::error("Log in again from the application.");
    }
    let params: HashMap<String, String> = url::form_urlencoded::parse(consent.q.as_bytes()).into_owned().collect();
    let request = match identity.check_request(&params).await {
        Ok(request) => request,
        Err(refusal) => return refusal.into_response(),
    };
    if form.decision != "approve" {
        let mut params =
            vec![("error", "access_denied".to_string()), ("error_description", "the person said no".into())];
        params.extend(request.state.clone().map(|s| ("state", s)));
        return redirect_with(&request.redirect_uri, &params);
    }
    let saved = async {
        let mut conn = identity.platform.db.pool().acquire().await?;
        store::save_grant(&mut conn, &consent.sub, &request.client.id, &request.scope.join(" ")).await?;
        identity.issue_code(&request, &consent.sub).await
    };
    saved.await.unwrap_or_else(|e| pages::error(&format!("Something went wrong: {e}")))
}

pub fn routes() -> OpenApiRouter<Identity> {
    OpenApiRouter::new()
        .routes(routes!(authorize))
        .route("/oauth/authorize/login", axum::routing::post(login))
        .route("/oauth/authorize/second-factor", axum::routing::post(second_factor))
        .route("/oauth/authorize/decision", axum::routing::post(decision))
}
