//! Passkeys through a real browser's WebAuthn (headless Chromium with a
//! virtual authenticator): registering, logging in with one alone, using one
//! as the second step, and the answers that must be refused.

mod support;

use serde_json::{json, Value};
use support::authenticator::Authenticator;
use support::{access, expect_problem, unique_email, Backend, TestApp};

const PASSWORD: &str = "correct horse battery";

fn email() -> String {
    unique_email("passkey")
}

async fn json_of(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status);
    response.json().await.unwrap()
}

/// Registers a passkey named `name` for the holder of `token`.
async fn register(app: &TestApp, browser: &mut Authenticator, token: &str, name: &str) -> Value {
    let start = json_of(app.post_as(token, "/api/v1/account/passkeys/registration", json!({})).await, 200).await;
    let credential = browser.create(&start["options"]).await;
    let form = json!({ "ceremony": start["ceremony"], "name": name, "credential": credential });
    json_of(app.post_as(token, "/api/v1/account/passkeys", form).await, 201).await
}

/// A passkey login: the ceremony handle and the browser's signed answer.
async fn passkey_answer(app: &TestApp, browser: &mut Authenticator) -> (Value, Value) {
    let start = json_of(app.post("/api/v1/auth/passkey/start", json!({})).await, 200).await;
    let credential = browser.get(&start["options"]).await;
    (start["ceremony"].clone(), credential)
}

async fn a_passkey_logs_in_without_a_password(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let Some(mut browser) = Authenticator::open(&app.server.platform.config.public_url()).await else { return };
    let address = email();
    let token = access(&app.signed_up(&address, PASSWORD).await);

    let start = json_of(app.post_as(&token, "/api/v1/account/passkeys/registration", json!({})).await, 200).await;
    let credential = browser.create(&start["options"]).await;
    let form = json!({ "ceremony": start["ceremony"], "name": "Laptop", "credential": credential });
    let made = json_of(app.post_as(&token, "/api/v1/account/passkeys", form.clone()).await, 201).await;
    assert_eq!(made["name"], "Laptop");
    // A ceremony is finished once.
    expect_problem(app.post_as(&token, "/api/v1/account/passkeys", form).await, 400, "invalid-token").await;
    let listed = json_of(app.get_as(&token, "/api/v1/account/passkeys").await, 200).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);

    let (ceremony, answer) = passkey_answer(&app, &mut browser).await;
    let login = json!({ "ceremony": ceremony, "credential": answer });
    let tokens = json_of(app.post("/api/v1/auth/passkey/finish", login.clone()).await, 200).await;
    let me = json_of(app.get_as(&access(&tokens), "/api/v1/account").await, 200).await;
    assert_eq!(me["email"], address.as_str());
    let used = json_of(app.get_as(&token, "/api/v1/account/passkeys").await, 200).await;
    assert!(used[0]["last_used_at"].is_i64());

    // The same signed answer cannot be played again, not even for a new ceremony.
    expect_problem(app.post("/api/v1/auth/passkey/finish", login).await, 400, "invalid-token").await;
    let (fresh, _) = passkey_answer(&app, &mut browser).await;
    let replay = json!({ "ceremony": fresh, "credential": answer });
    expect_problem(app.post("/api/v1/auth/passkey/finish", replay).await, 401, "passkey-rejected").await;

    // A forged signature is refused.
    let (ceremony, mut forged) = passkey_answer(&app, &mut browser).await;
    let signature = forged["response"]["signature"].as_str().unwrap().to_string();
    let flipped = if signature.starts_with('A') { "B" } else { "A" };
    forged["response"]["signature"] = json!(format!("{flipped}{}", &signature[1..]));
    let forged = json!({ "ceremony": ceremony, "credential": forged });
    expect_problem(app.post("/api/v1/auth/passkey/finish", forged).await, 401, "passkey-rejected").await;
}

async fn a_removed_passkey_no_longer_logs_in_and_others_cannot_remove_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let Some(mut browser) = Authenticator::open(&app.server.platform.config.public_url()).await else { return };
    let token = access(&app.signed_up(&email(), PASSWORD).await);
    let passkey = register(&app, &mut browser, &token, "").await;
    assert_eq!(passkey["name"], "Passkey");
    let path = format!("/api/v1/account/passkeys/{}", passkey["id"].as_str().unwrap());

    let other = access(&app.signed_up(&email(), PASSWORD).await);
    expect_problem(app.delete_as(&other, &path, json!({})).await, 404, "not-found").await;
    assert_eq!(json_of(app.get_as(&other, "/api/v1/account/passkeys").await, 200).await, json!([]));

    assert_eq!(app.delete_as(&token, &path, json!({})).await.status(), 204);
    let (ceremony, answer) = passkey_answer(&app, &mut browser).await;
    let login = json!({ "ceremony": ceremony, "credential": answer });
    expect_problem(app.post("/api/v1/auth/passkey/finish", login).await, 401, "passkey-rejected").await;
}

async fn a_passkey_is_a_second_factor(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let Some(mut browser) = Authenticator::open(&app.server.platform.config.public_url()).await else { return };
    let address = email();
    let token = access(&app.signed_up(&address, PASSWORD).await);
    let enrolment = json_of(app.post_as(&token, "/api/v1/account/totp", json!({})).await, 200).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let code = identity::totp::current_code(enrolment["secret"].as_str().unwrap(), now);
    let confirm = app.post_as(&token, "/api/v1/account/totp/confirm", json!({ "code": code })).await;
    assert_eq!(confirm.status(), 200);
    register(&app, &mut browser, &token, "Phone").await;

    let step = app.logged_in(&address, PASSWORD).await;
    assert_eq!(step["methods"], json!(["totp", "recovery_code", "passkey"]));
    let challenge = step["challenge"].clone();
    let start =
        json_of(app.post("/api/v1/auth/login/second-factor/passkey", json!({ "challenge": challenge })).await, 200)
            .await;
    let credential = browser.get(&start["options"]).await;
    let answer =
        json!({ "challenge": challenge, "passkey": { "ceremony": start["ceremony"], "credential": credential } });
    let tokens = json_of(app.post("/api/v1/auth/login/second-factor", answer.clone()).await, 200).await;
    assert!(tokens["refresh_token"].is_string());
    // The challenge and the ceremony are spent.
    expect_problem(app.post("/api/v1/auth/login/second-factor", answer).await, 400, "invalid-token").await;

    // A passkey answer made for another login's ceremony does not pass.
    let challenge = app.logged_in(&address, PASSWORD).await["challenge"].clone();
    let start =
        json_of(app.post("/api/v1/auth/login/second-factor/passkey", json!({ "challenge": challenge })).await, 200)
            .await;
    let stale =
        json!({ "challenge": challenge, "passkey": { "ceremony": start["ceremony"], "credential": credential } });
    expect_problem(app.post("/api/v1/auth/login/second-factor", stale).await, 401, "invalid-second-factor").await;
}

on_every_database!(
    a_passkey_logs_in_without_a_password,
    a_removed_passkey_no_longer_logs_in_and_others_cannot_remove_it,
    a_passkey_is_a_second_factor,
);
