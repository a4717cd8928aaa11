//! The browser step of the authorization code flow: `/oauth/authorize` and
//! the forms of its login, second-factor and consent pages.

use std::collections::HashMap;

use axum::extract::{Query, RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use platform::http::ClientAddress;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::IdentityError;
use crate::oauth::pages;
use crate::sessions::{self, LoginOutcome, SecondFactor, Tokens};
use crate::Identity;

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
    if identity.granted_before(&user_id, &request).await.map_err(internal)? {
        return identity.issue_code(&request, &user_id).await.map_err(internal);
    }
    let token = identity.consent_token(user_id, query).map_err(internal)?;
    Ok(pages::consent(&request.client.name, &request.scope_words(), &token))
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
    let Some(consent) = identity.consent(&form.request).await else {
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
        return request.denied();
    }
    identity.allow(&consent.sub, &request).await.unwrap_or_else(|e| pages::error(&format!("Something went wrong: {e}")))
}

pub fn routes() -> OpenApiRouter<Identity> {
    OpenApiRouter::new()
        .routes(routes!(authorize))
        .route("/oauth/authorize/login", axum::routing::post(login))
        .route("/oauth/authorize/second-factor", axum::routing::post(second_factor))
        .route("/oauth/authorize/decision", axum::routing::post(decision))
}
