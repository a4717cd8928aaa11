//! Athlos as an OAuth 2.0 / OpenID Connect provider: an independent client
//! (authlib) runs the whole flow; the unhappy paths are checked here.

mod support;

use std::collections::HashMap;

use reqwest::redirect::Policy;
use serde_json::{json, Value};
use support::{access, expect_problem, unique_email, Backend, TestApp};

const PASSWORD: &str = "correct horse battery";
const REDIRECT: &str = "http://127.0.0.1:9/callback";

fn email() -> String {
    unique_email("athlete")
}

async fn register_client(app: &TestApp, token: &str, confidential: bool) -> Value {
    let answer = app
        .post_as(
            token,
            "/api/v1/oauth/clients",
            json!({ "name": "Club <Timing>", "redirect_uris": [REDIRECT], "confidential": confidential,
                    "scopes": ["openid", "profile", "email", "workouts:read"] }),
        )
        .await;
    assert_eq!(answer.status(), 201);
    answer.json().await.unwrap()
}

/// Whether it ran: without Python and authlib (outside CI) it is skipped.
fn run_authlib(app: &TestApp, client: &Value, email: &str) -> bool {
    let Some(python) = support::service("TEST_PYTHON", "Python with authlib") else { return false };
    let output = std::process::Command::new(python)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/oauth/authlib_client.py"))
        .env("ATHLOS_URL", app.server.url())
        .env("CLIENT_ID", client["client_id"].as_str().unwrap())
        .env("CLIENT_SECRET", client["client_secret"].as_str().unwrap_or(""))
        .env("REDIRECT_URI", REDIRECT)
        .env("EMAIL", email)
        .env("PASSWORD", PASSWORD)
        .output()
        .unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{said}");
    assert!(said.contains("authlib client: ok"), "{said}");
    true
}

async fn an_independent_client_completes_the_flow(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = email();
    let token = access(&app.signed_up(&email, PASSWORD).await);
    let confidential = register_client(&app, &token, true).await;
    assert!(confidential["client_secret"].is_string());
    if !run_authlib(&app, &confidential, &email) {
        return;
    }
    let public = register_client(&app, &token, false).await;
    assert!(public.get("client_secret").is_none());
    assert!(run_authlib(&app, &public, &email));

    let apps: Vec<Value> = app.get_as(&token, "/api/v1/account/apps").await.json().await.unwrap();
    assert_eq!(apps.len(), 2, "{apps:?}");
}

/// Walks the browser step by hand: login form, then consent; returns the
/// final redirect's query parameters.
struct Browser {
    http: reqwest::Client,
    base: String,
    cookie: Option<String>,
}

impl Browser {
    fn new(app: &TestApp) -> Self {
        Self {
            http: reqwest::Client::builder().redirect(Policy::none()).build().unwrap(),
            base: app.server.url(),
            cookie: None,
        }
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.unwrap()
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self.http.post(format!("{}{path}", self.base)).form(form);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.unwrap()
    }

    async fn log_in(&mut self, authorize: &str, email: &str) {
        let page = self.get(authorize).await.text().await.unwrap();
        let query = hidden(&page, "query");
        let answer =
            self.post("/oauth/authorize/login", &[("query", &query), ("email", email), ("password", PASSWORD)]).await;
        assert_eq!(answer.status(), 303);
        let cookie = answer.headers()["set-cookie"].to_str().unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/oauth"));
        self.cookie = Some(cookie.split(';').next().unwrap().to_string());
    }

    async fn consent(&self, authorize: &str, decision: &str) -> HashMap<String, String> {
        let page = self.get(authorize).await.text().await.unwrap();
        assert!(page.contains("Club &lt;Timing&gt;"), "the client's name is shown, escaped: {page}");
        let answer = self
            .post("/oauth/authorize/decision", &[("request", &hidden(&page, "request")), ("decision", decision)])
            .await;
        location_params(&answer)
    }
}

fn hidden(page: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = page.find(&marker).unwrap_or_else(|| panic!("no {name} in {page}")) + marker.len();
    let value = &page[start..start + page[start..].find('"').unwrap()];
    value.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
}

fn location_params(answer: &reqwest::Response) -> HashMap<String, String> {
    assert_eq!(answer.status(), 303, "a redirect");
    let location = answer.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(REDIRECT), "{location}");
    url::Url::parse(location).unwrap().query_pairs().into_owned().collect()
}

fn authorize_path(client_id: &str, extra: &str) -> String {
    format!("/oauth/authorize?response_type=code&client_id={client_id}&redirect_uri={REDIRECT}&scope=openid%20email&state=s1{extra}")
}

const PKCE: &str = "&code_challenge=MvKLnMda5RAwto5GigPnUj8ZaL35JFK1G1aXXaoaoas&code_challenge_method=S256";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uD8MtnlzQc-bP2mQg3nAaTPbFxi";

async fn bad_authorization_requests_are_refused_safely(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = access(&app.signed_up(&email(), PASSWORD).await);
    let public = register_client(&app, &token, false).await;
    let id = public["client_id"].as_str().unwrap();
    let browser = Browser::new(&app);

    // An unknown client or an unregistered redirect URI: a page, never a redirect.
    let unknown =
        browser.get("/oauth/authorize?response_type=code&client_id=nope&redirect_uri=https://evil.example/").await;
    assert_eq!(unknown.status(), 400);
    let evil = browser
        .get(&format!("/oauth/authorize?response_type=code&client_id={id}&redirect_uri=https://evil.example/cb"))
        .await;
    assert_eq!(evil.status(), 400);
    assert!(evil.text().await.unwrap().contains("did not register"));

    // After that, the application hears about it.
    let no_pkce = location_params(&browser.get(&authorize_path(id, "")).await);
    assert_eq!((no_pkce["error"].as_str(), no_pkce["state"].as_str()), ("invalid_request", "s1"));
    let plain =
        location_params(&browser.get(&authorize_path(id, "&code_challenge=abc&code_challenge_method=plain")).await);
    assert_eq!(plain["error"], "invalid_request");
    let scope = browser.get(&authorize_path(id, PKCE).replace("openid%20email", "workouts:write")).await;
    assert_eq!(location_params(&scope)["error"], "invalid_scope");
}

async fn codes_work_once_with_the_right_verifier(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = email();
    let token = access(&app.signed_up(&email, PASSWORD).await);
    let client = register_client(&app, &token, false).await;
    let id = client["client_id"].as_str().unwrap().to_string();
    let mut browser = Browser::new(&app);
    let path = authorize_path(&id, PKCE);
    browser.log_in(&path, &email).await;

    let denied = browser.consent(&path, "deny").await;
    assert_eq!((denied["error"].as_str(), denied["state"].as_str()), ("access_denied", "s1"));
    let granted = browser.consent(&path, "approve").await;
    assert_eq!(granted["iss"], app.server.url());
    let code = granted["code"].clone();

    let redeem = |verifier: &'static str, code: String| {
        let form = [
            ("grant_type", "authorization_code".to_string()),
            ("code", code),
            ("redirect_uri", REDIRECT.into()),
            ("client_id", id.clone()),
            ("code_verifier", verifier.into()),
        ];
        let http = reqwest::Client::new();
        let url = app.url("/oauth/token");
        async move { http.post(url).form(&form).send().await.unwrap() }
    };
    let wrong = redeem("dBjftJeZ4CVP-mB92K27uD8MtnlzQc-bP2mQg3nAaTPbFxj", code.clone()).await;
    assert_eq!(wrong.status(), 400);
    assert_eq!(wrong.json::<Value>().await.unwrap()["error"], "invalid_grant");
    // The failed try spent the code: a code is good for one redemption only.
    let spent = redeem(VERIFIER, code).await;
    assert_eq!(spent.json::<Value>().await.unwrap()["error"], "invalid_grant");

    // Consent is remembered: the next authorization goes straight back with a code.
    let again = location_params(&browser.get(&path).await);
    let tokens: Value = redeem(VERIFIER, again["code"].clone()).await.json().await.unwrap();
    assert_eq!(tokens["scope"], "openid email");
    let app_token = access(&tokens);
    let info: Value = app.get_as(&app_token, "/oauth/userinfo").await.json().await.unwrap();
    assert_eq!(info["email"], email.as_str());
    assert!(info.get("name").is_none(), "no profile scope, no name");
    expect_problem(app.get_as(&app_token, "/api/v1/account").await, 403, "insufficient-scope").await;

    // Withdrawing the app's access ends its tokens at once.
    let disconnect = format!("/api/v1/account/apps/{id}");
    assert_eq!(app.delete_as(&token, &disconnect, json!({})).await.status(), 204);
    expect_problem(app.get_as(&app_token, "/oauth/userinfo").await, 401, "session-revoked").await;
    expect_problem(app.delete_as(&token, &disconnect, json!({})).await, 404, "not-found").await;
}

async fn clients_are_their_owners_business(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = access(&app.signed_up(&email(), PASSWORD).await);
    let stranger = access(&app.signed_up(&email(), PASSWORD).await);
    let client = register_client(&app, &owner, true).await;
    let path = format!("/api/v1/oauth/clients/{}", client["client_id"].as_str().unwrap());

    let theirs: Vec<Value> = app.get_as(&stranger, "/api/v1/oauth/clients").await.json().await.unwrap();
    assert!(theirs.is_empty());
    expect_problem(app.delete_as(&stranger, &path, json!({})).await, 404, "not-found").await;
    let mine: Vec<Value> = app.get_as(&owner, "/api/v1/oauth/clients").await.json().await.unwrap();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].get("client_secret").is_none(), "the secret is shown once only");

    for (body, field) in [
        (
            json!({ "name": "x", "redirect_uris": ["http://example.org/cb"], "scopes": ["openid"], "confidential": true }),
            "redirect_uris",
        ),
        (
            json!({ "name": "x", "redirect_uris": ["https://example.org/cb#frag"], "scopes": ["openid"], "confidential": true }),
            "redirect_uris",
        ),
        (
            json!({ "name": "x", "redirect_uris": ["https://example.org/cb"], "scopes": ["admin"], "confidential": true }),
            "scopes",
        ),
        (
            json!({ "name": "", "redirect_uris": ["https://example.org/cb"], "scopes": ["openid"], "confidential": true }),
            "name",
        ),
    ] {
        let refused =
            expect_problem(app.post_as(&owner, "/api/v1/oauth/clients", body).await, 422, "invalid-input").await;
        assert_eq!(refused["field"], field);
    }

    let wrong_secret = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(client["client_id"].as_str().unwrap(), Some("not-the-secret"))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_secret.status(), 401);
    assert_eq!(wrong_secret.json::<Value>().await.unwrap()["error"], "invalid_client");

    assert_eq!(app.delete_as(&owner, &path, json!({})).await.status(), 204);
    let discovery: Value = app.get("/.well-known/openid-configuration").await.json().await.unwrap();
    assert_eq!(discovery["issuer"], app.server.url());
    assert_eq!(discovery["code_challenge_methods_supported"], json!(["S256"]));
}

/// A second Athlos logs a person in through the first one, as its external
/// OpenID Connect provider, and links the account by the verified address.
async fn a_second_athlos_logs_in_through_the_first(backend: Backend) {
    external_login(backend, true).await;
}

/// Someone registered the address on the second server without proving it;
/// the real owner's external login takes the account and shuts them out.
async fn an_unproven_local_account_cannot_be_lain_in_wait(backend: Backend) {
    let (relying, email, squatter) = external_login(backend, false).await;
    expect_problem(relying.get_as(&squatter, "/api/v1/account").await, 401, "session-revoked").await;
    let again =
        relying.post("/api/v1/auth/login", json!({ "email": email, "password": "another good password" })).await;
    expect_problem(again, 401, "invalid-credentials").await;
}

/// Runs the external login; returns the second server, the address and the
/// access token of the local account made before the login.
async fn external_login(backend: Backend, verified_locally: bool) -> (TestApp, String, String) {
    let provider = TestApp::spawn(backend).await;
    let email = email();
    let token = access(&provider.signed_up(&email, PASSWORD).await);
    let mail = support::wait_for_mail(&provider.outbox(), &email, 1).await;
    assert_eq!(provider.post("/api/v1/auth/verify", json!({ "token": support::token_in(&mail) })).await.status(), 204);

    // The second server's address must be known to register it at the first.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let callback = format!("http://localhost:{port}/api/v1/auth/external/callback");
    let registered: Value = provider
        .post_as(
            &token,
            "/api/v1/oauth/clients",
            json!({ "name": "Second Athlos", "redirect_uris": [callback],
            "scopes": ["openid", "email", "profile"], "confidential": true }),
        )
        .await
        .json()
        .await
        .unwrap();
    let issuer = provider.server.url();
    let relying = TestApp::spawn_with(backend, |c| {
        c.listen = format!("127.0.0.1:{port}").parse().unwrap();
        c.oidc_issuer = Some(issuer.clone());
        c.oidc_client_id = registered["client_id"].as_str().map(String::from);
        c.oidc_client_secret = registered["client_secret"].as_str().map(String::from);
        c.oidc_name = "Club Athlos".into();
    })
    .await;
    let info: Value = relying.get("/api/v1/auth/external").await.json().await.unwrap();
    assert_eq!(info["name"], "Club Athlos");
    // Someone already has an account with this address on the second server.
    let local = access(&relying.signed_up(&email, "another good password").await);
    if verified_locally {
        let mail = support::wait_for_mail(&relying.outbox(), &email, 1).await;
        assert_eq!(
            relying.post("/api/v1/auth/verify", json!({ "token": support::token_in(&mail) })).await.status(),
            204
        );
    }
    let local_id = relying.get_as(&local, "/api/v1/account").await.json::<Value>().await.unwrap()["id"].clone();

    // Start on the second server: it sends the browser to the first.
    let http = reqwest::Client::builder().redirect(Policy::none()).build().unwrap();
    let started = http.get(relying.url("/api/v1/auth/external/start")).send().await.unwrap();
    assert_eq!(started.status(), 303);
    let flow_cookie = started.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let to_provider = url::Url::parse(started.headers()["location"].to_str().unwrap()).unwrap();
    assert!(to_provider.as_str().starts_with(&format!("{issuer}/oauth/authorize?")));
    let authorize = format!("/oauth/authorize?{}", to_provider.query().unwrap());

    // The person logs in and consents at the first server.
    let mut browser = Browser::new(&provider);
    browser.log_in(&authorize, &email).await;
    let page = browser.get(&authorize).await.text().await.unwrap();
    let answer = browser
        .post("/oauth/authorize/decision", &[("request", &hidden(&page, "request")), ("decision", "approve")])
        .await;
    let back = answer.headers()["location"].to_str().unwrap().to_string();
    assert!(back.starts_with(&callback), "{back}");

    // Back at the second server: without the flow cookie the answer is refused…
    let stray = http.get(&back).send().await.unwrap();
    assert_eq!(stray.status(), 400);
    // …with it, the person is logged in there.
    let done = http.get(&back).header("cookie", &flow_cookie).send().await.unwrap();
    assert_eq!(done.status(), 303, "{}", done.text().await.unwrap());
    let target = done.headers()["location"].to_str().unwrap().to_string();
    let fragment: HashMap<String, String> =
        url::form_urlencoded::parse(target.split_once('#').expect("tokens in the fragment").1.as_bytes())
            .into_owned()
            .collect();
    let me: Value = relying.get_as(&fragment["access_token"], "/api/v1/account").await.json().await.unwrap();
    assert_eq!((me["email"].as_str(), me["email_verified"].as_bool()), (Some(email.as_str()), Some(true)));
    assert_eq!(me["id"], local_id, "linked to the existing account by its verified address");

    // The same code cannot be replayed at the second server.
    let replay = http.get(&back).header("cookie", &flow_cookie).send().await.unwrap();
    assert_eq!(replay.status(), 400);
    (relying, email, local)
}

on_every_database!(
    a_second_athlos_logs_in_through_the_first,
    an_unproven_local_account_cannot_be_lain_in_wait,
    an_independent_client_completes_the_flow,
    bad_authorization_requests_are_refused_safely,
    codes_work_once_with_the_right_verifier,
    clients_are_their_owners_business,
);
