//! Identity through the HTTP API: accounts, mail flows, tokens, sessions,
//! two-factor, rate limits, roles, on SQLite and PostgreSQL.

mod support;

use serde_json::{json, Value};
use support::{access, expect_problem, token_in, unique_email, wait_for_mail, wait_for_mail_about, Backend, TestApp};

const PASSWORD: &str = "correct horse battery";

fn email() -> String {
    unique_email("runner")
}

async fn register_verify_and_log_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = email();
    let tokens = app.signed_up(&email, PASSWORD).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);

    let me: Value = app.get_as(&access(&tokens), "/api/v1/account").await.json().await.unwrap();
    assert_eq!((me["email"].as_str(), me["email_verified"].as_bool()), (Some(email.as_str()), Some(false)));

    let mail = wait_for_mail(&app.outbox(), &email, 1).await;
    assert!(mail.contains("Subject: Confirm your e-mail address"), "{mail}");
    let token = token_in(&mail);
    assert!(mail.contains(&format!("{}/verify-email?token={token}", app.server.url())));
    assert_eq!(app.post("/api/v1/auth/verify", json!({ "token": token })).await.status(), 204);
    let me: Value = app.get_as(&access(&tokens), "/api/v1/account").await.json().await.unwrap();
    assert_eq!(me["email_verified"], true);

    let again = app.post("/api/v1/auth/verify", json!({ "token": token })).await;
    expect_problem(again, 400, "invalid-token").await;
}

async fn registering_reveals_nothing_and_refuses_bad_input(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = email();
    app.signed_up(&email, PASSWORD).await;
    let second = app
        .post(
            "/api/v1/auth/register",
            json!({ "email": email.to_uppercase(), "password": "another password!", "display_name": "X" }),
        )
        .await;
    assert_eq!(second.status(), 202, "the same answer as for a new address");
    wait_for_mail_about(&app.outbox(), &email, "You already have an Athlos account").await;
    // The first password still works: nothing was changed.
    app.logged_in(&email, PASSWORD).await;

    for (body, field) in [
        (json!({ "email": "not-an-address", "password": PASSWORD, "display_name": "A" }), "email"),
        (json!({ "email": "a@example.org", "password": "short", "display_name": "A" }), "password"),
        (json!({ "email": "b@example.org", "password": PASSWORD, "display_name": "  " }), "display_name"),
    ] {
        let refused = expect_problem(app.post("/api/v1/auth/register", body).await, 422, "invalid-input").await;
        assert_eq!(refused["field"], field);
    }
    let missing = app.post("/api/v1/auth/register", json!({ "email": "c@example.org" })).await;
    assert_eq!(missing.status(), 422);
    let wrong = app.post("/api/v1/auth/login", json!({ "email": "a@example.org", "password": "short" })).await;
    expect_problem(wrong, 401, "invalid-credentials").await;
}

async fn refresh(app: &TestApp, token: &Value) -> reqwest::Response {
    app.post("/api/v1/auth/refresh", json!({ "refresh_token": token })).await
}

async fn a_reused_refresh_token_ends_its_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.signed_up(&email(), PASSWORD).await;
    let refreshed = refresh(&app, &first["refresh_token"]).await;
    assert_eq!(refreshed.status(), 200);
    let second: Value = refreshed.json().await.unwrap();
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    assert_eq!(second["session_id"], first["session_id"]);
    assert_eq!(app.get_as(&access(&second), "/api/v1/account").await.status(), 200);
    let third: Value = refresh(&app, &second["refresh_token"]).await.json().await.unwrap();

    // The spent token comes back after its successor was used: someone
    // copied it. The whole family dies.
    let stolen = refresh(&app, &first["refresh_token"]).await;
    expect_problem(stolen, 401, "refresh-token-reused").await;
    expect_problem(refresh(&app, &third["refresh_token"]).await, 401, "session-revoked").await;
    expect_problem(app.get_as(&access(&third), "/api/v1/account").await, 401, "session-revoked").await;

    expect_problem(refresh(&app, &json!("made-up")).await, 401, "token-invalid").await;
}

/// An app that reloads while its refresh is in flight never reads the
/// answer and sends the spent token again: that is traded once more, and
/// the successor nobody received stops working.
async fn a_refresh_answer_lost_on_the_way_is_traded_again(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app.signed_up(&email(), PASSWORD).await;
    let lost: Value = refresh(&app, &first["refresh_token"]).await.json().await.unwrap();

    let again = refresh(&app, &first["refresh_token"]).await;
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.unwrap();
    assert_ne!(again["refresh_token"], lost["refresh_token"]);
    assert_eq!(again["session_id"], first["session_id"]);
    expect_problem(refresh(&app, &lost["refresh_token"]).await, 401, "token-invalid").await;
    let next: Value = refresh(&app, &again["refresh_token"]).await.json().await.unwrap();
    assert_eq!(app.get_as(&access(&next), "/api/v1/account").await.status(), 200);

    // Once the new successor is used, the first token is a copy again.
    expect_problem(refresh(&app, &first["refresh_token"]).await, 401, "refresh-token-reused").await;
    expect_problem(app.get_as(&access(&next), "/api/v1/account").await, 401, "session-revoked").await;
}

/// A spent token sent again from another address, or 30 s after its trade,
/// is a copy even while its successor was never used.
async fn a_spent_token_from_elsewhere_or_too_late_ends_its_session(backend: Backend) {
    let app = behind_a_proxy(backend).await;
    let email = email();
    app.signed_up(&email, PASSWORD).await;
    let from = |address: &'static str, token: Value| {
        app.client
            .post(app.url("/api/v1/auth/refresh"))
            .header("x-forwarded-for", address)
            .json(&json!({ "refresh_token": token }))
            .send()
    };

    let home: Value = app.login_from("203.0.113.1", &email, PASSWORD).await.json().await.unwrap();
    assert_eq!(from("203.0.113.1", home["refresh_token"].clone()).await.unwrap().status(), 200);
    let elsewhere = from("198.51.100.7", home["refresh_token"].clone()).await.unwrap();
    expect_problem(elsewhere, 401, "refresh-token-reused").await;
    expect_problem(app.get_as(&access(&home), "/api/v1/account").await, 401, "session-revoked").await;

    let later: Value = app.login_from("203.0.113.1", &email, PASSWORD).await.json().await.unwrap();
    assert_eq!(from("203.0.113.1", later["refresh_token"].clone()).await.unwrap().status(), 200);
    // The trade is moved 31 s into the past, as if that time had gone by.
    sqlx::query("UPDATE refresh_tokens SET used_at = used_at - 31000 WHERE session_id = $1 AND used_at IS NOT NULL")
        .bind(later["session_id"].as_str().unwrap())
        .execute(app.server.platform.db.pool())
        .await
        .unwrap();
    let late = from("203.0.113.1", later["refresh_token"].clone()).await.unwrap();
    expect_problem(late, 401, "refresh-token-reused").await;
    expect_problem(app.get_as(&access(&later), "/api/v1/account").await, 401, "session-revoked").await;
}

async fn sessions_are_listed_and_ended(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = email();
    let phone = app.signed_up(&email, PASSWORD).await;
    let laptop: Value = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("user-agent", "Laptop Browser")
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sessions: Vec<Value> = app.get_as(&access(&phone), "/api/v1/account/sessions").await.json().await.unwrap();
    assert_eq!(sessions.len(), 2);
    let other = sessions.iter().find(|s| s["current"] == false).unwrap();
    assert_eq!(other["device"], "Laptop Browser");
    assert_eq!(other["address"], "127.0.0.1");

    let path = format!("/api/v1/account/sessions/{}", laptop["session_id"].as_str().unwrap());
    assert_eq!(app.delete_as(&access(&phone), &path, json!({})).await.status(), 204);
    expect_problem(app.get_as(&access(&laptop), "/api/v1/account").await, 401, "session-revoked").await;

    // Another person's session is not found, and stays alive.
    let stranger = app.signed_up(&email_again(), PASSWORD).await;
    let theirs = format!("/api/v1/account/sessions/{}", stranger["session_id"].as_str().unwrap());
    expect_problem(app.delete_as(&access(&phone), &theirs, json!({})).await, 404, "not-found").await;
    assert_eq!(app.get_as(&access(&stranger), "/api/v1/account").await.status(), 200);

    assert_eq!(app.post_as(&access(&phone), "/api/v1/auth/logout", json!({})).await.status(), 204);
    expect_problem(app.get_as(&access(&phone), "/api/v1/account").await, 401, "session-revoked").await;
}

fn email_again() -> String {
    email()
}

async fn two_factor_login_with_a_code_and_with_recovery_codes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = email();
    let tokens = app.signed_up(&email, PASSWORD).await;
    let token = access(&tokens);
    let enrolment: Value = app.post_as(&token, "/api/v1/account/totp", json!({})).await.json().await.unwrap();
    let secret = enrolment["secret"].as_str().unwrap().to_string();
    assert!(enrolment["otpauth_uri"].as_str().unwrap().starts_with("otpauth://totp/Athlos:"));

    let wrong = app.post_as(&token, "/api/v1/account/totp/confirm", json!({ "code": "000000" })).await;
    expect_problem(wrong, 422, "invalid-input").await;
    let now = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let confirmed = app
        .post_as(
            &token,
            "/api/v1/account/totp/confirm",
            json!({ "code": identity::totp::current_code(&secret, now()) }),
        )
        .await;
    assert_eq!(confirmed.status(), 200);
    let codes: Vec<String> =
        serde_json::from_value(confirmed.json::<Value>().await.unwrap()["recovery_codes"].clone()).unwrap();
    assert_eq!(codes.len(), 10);

    // With a code from the authenticator: it works, once. (The code of the
    // next step works too, so the test does not depend on the clock.)
    let code = identity::totp::current_code(&secret, now() + 30);
    let first = challenge(&app, &email).await;
    let ok = app.post("/api/v1/auth/login/second-factor", json!({ "challenge": first, "code": code })).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(app.get_as(&access(&ok.json().await.unwrap()), "/api/v1/account").await.status(), 200);
    let replay = app
        .post("/api/v1/auth/login/second-factor", json!({ "challenge": challenge(&app, &email).await, "code": code }))
        .await;
    expect_problem(replay, 401, "invalid-second-factor").await;
    let spent = app.post("/api/v1/auth/login/second-factor", json!({ "challenge": first, "code": code })).await;
    expect_problem(spent, 400, "invalid-token").await;

    // With a recovery code: each works once.
    let body = |c: String| json!({ "challenge": c, "recovery_code": codes[3].to_uppercase() });
    let ok = app.post("/api/v1/auth/login/second-factor", body(challenge(&app, &email).await)).await;
    assert_eq!(ok.status(), 200);
    let again = app.post("/api/v1/auth/login/second-factor", body(challenge(&app, &email).await)).await;
    expect_problem(again, 401, "invalid-second-factor").await;
    let me: Value = app.get_as(&token, "/api/v1/account").await.json().await.unwrap();
    assert_eq!((me["two_factor_enabled"].as_bool(), me["recovery_codes_left"].as_i64()), (Some(true), Some(9)));

    // Turning it off takes a code.
    let refused = app.delete_as(&token, "/api/v1/account/totp", json!({ "code": "123456" })).await;
    expect_problem(refused, 401, "invalid-second-factor").await;
    assert_eq!(app.delete_as(&token, "/api/v1/account/totp", json!({ "code": codes[0] })).await.status(), 204);
    let plain = app.logged_in(&email, PASSWORD).await;
    assert!(plain["access_token"].is_string());
}

/// Signs `email` up and turns two-factor authentication on; returns the
/// recovery codes.
async fn with_two_factor(app: &TestApp, email: &str) -> Vec<String> {
    let token = access(&app.signed_up(email, PASSWORD).await);
    let started: Value = app.post_as(&token, "/api/v1/account/totp", json!({})).await.json().await.unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let code = identity::totp::current_code(started["secret"].as_str().unwrap(), now);
    let confirmed = app.post_as(&token, "/api/v1/account/totp/confirm", json!({ "code": code })).await;
    assert_eq!(confirmed.status(), 200);
    serde_json::from_value(confirmed.json::<Value>().await.unwrap()["recovery_codes"].clone()).unwrap()
}

async fn second_factor_attempts_are_limited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = email();
    with_two_factor(&app, &email).await;
    let challenge = app.logged_in(&email, PASSWORD).await["challenge"].as_str().unwrap().to_string();
    for _ in 0..5 {
        let wrong =
            app.post("/api/v1/auth/login/second-factor", json!({ "challenge": challenge, "code": "999999" })).await;
        assert_eq!(wrong.status(), 401);
    }
    let limited =
        app.post("/api/v1/auth/login/second-factor", json!({ "challenge": challenge, "code": "999999" })).await;
    assert!(limited.headers().contains_key("retry-after"));
    expect_problem(limited, 429, "rate-limited").await;
}

/// A server that takes the client's address from `X-Forwarded-For`, as
/// behind a proxy, so that a test can log in from anywhere.
async fn behind_a_proxy(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |config| config.trust_forwarded_for = true).await
}

async fn expect_limited(response: reqwest::Response) {
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry_after), "Retry-After: {retry_after}");
    expect_problem(response, 429, "rate-limited").await;
}

async fn failed_logins_from_one_address_are_limited(backend: Backend) {
    let app = behind_a_proxy(backend).await;
    let email = email();
    app.signed_up(&email, PASSWORD).await;
    for _ in 0..10 {
        expect_problem(app.login_from("203.0.113.1", &email, "wrong password").await, 401, "invalid-credentials").await;
    }
    // The pair of account and address waits now, even with the right password.
    expect_limited(app.login_from("203.0.113.1", &email, PASSWORD).await).await;
    // Another account from the same address is not held up.
    let other = email_again();
    app.signed_up(&other, PASSWORD).await;
    assert_eq!(app.login_from("203.0.113.1", &other, PASSWORD).await.status(), 200);
}

async fn wrong_passwords_from_elsewhere_never_lock_the_owner_out(backend: Backend) {
    let app = behind_a_proxy(backend).await;
    let email = email();
    app.signed_up(&email, PASSWORD).await;
    for _ in 0..10 {
        assert_eq!(app.login_from("203.0.113.1", &email, "wrong password").await.status(), 401);
    }
    expect_limited(app.login_from("203.0.113.1", &email, "wrong password").await).await;
    assert_eq!(app.login_from("198.51.100.7", &email, PASSWORD).await.status(), 200);
}

async fn successful_logins_are_never_limited(backend: Backend) {
    let app = behind_a_proxy(backend).await;
    let email = email();
    app.signed_up(&email, PASSWORD).await;
    // More than any login limit allows failures, per pair (10) or per address (50).
    for n in 0..60 {
        assert_eq!(app.login_from("192.0.2.1", &email, PASSWORD).await.status(), 200, "login {n}");
    }
    // A success forgets the failures before it.
    for _ in 0..2 {
        for _ in 0..9 {
            assert_eq!(app.login_from("192.0.2.1", &email, "wrong password").await.status(), 401);
        }
        assert_eq!(app.login_from("192.0.2.1", &email, PASSWORD).await.status(), 200);
    }
}

async fn two_factor_logins_in_a_row_are_never_limited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = email();
    let codes = with_two_factor(&app, &email).await;
    // More logins than the five wrong second steps allowed.
    for code in &codes[..8] {
        let step = json!({ "challenge": challenge(&app, &email).await, "recovery_code": code });
        assert_eq!(app.post("/api/v1/auth/login/second-factor", step).await.status(), 200);
    }
}

async fn spraying_passwords_from_one_address_is_limited(backend: Backend) {
    let app = behind_a_proxy(backend).await;
    for _ in 0..50 {
        assert_eq!(app.login_from("203.0.113.9", &email(), "a guessed password").await.status(), 401);
    }
    expect_limited(app.login_from("203.0.113.9", &email(), "a guessed password").await).await;
    assert_eq!(app.login_from("203.0.113.10", &email(), "a guessed password").await.status(), 401);

    // The counts are kept for as long as a window can last, then pruned: a
    // spray does not leave its rows behind for good, however long its keys.
    let huge = format!("{}@example.org", "x".repeat(100_000));
    assert_eq!(app.login_from("203.0.113.11", &huge, "a guessed password").await.status(), 401);
    let identity = &app.server.contexts.identity;
    let rows = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM rate_limits").fetch_one(app.server.platform.db.pool()).await
    };
    let longest: i64 = sqlx::query_scalar("SELECT MAX(LENGTH(bucket)) FROM rate_limits")
        .fetch_one(app.server.platform.db.pool())
        .await
        .unwrap();
    assert!(longest < 400, "{longest}");
    let now = platform::db::now_ms();
    assert_eq!(identity.prune_rate_limits(now).await.unwrap(), 0, "nothing is pruned while it may count");
    assert!(rows().await.unwrap() > 0);
    assert!(identity.prune_rate_limits(now + 25 * 3600 * 1000).await.unwrap() > 0);
    assert_eq!(rows().await.unwrap(), 0);
}

async fn an_account_under_attack_gives_new_addresses_fewer_tries(backend: Backend) {
    let app = behind_a_proxy(backend).await;
    let email = email();
    app.signed_up(&email, PASSWORD).await;
    assert_eq!(app.login_from("192.0.2.50", &email, PASSWORD).await.status(), 200);
    // 21 failures from seven addresses: more than the 20 that mean an attack.
    for attacker in 1..=7 {
        for _ in 0..3 {
            let wrong = app.login_from(&format!("203.0.113.{attacker}"), &email, "wrong password").await;
            assert_eq!(wrong.status(), 401);
        }
    }
    // An address the account never logged in from gets three tries…
    for _ in 0..3 {
        assert_eq!(app.login_from("198.51.100.1", &email, "wrong password").await.status(), 401);
    }
    expect_limited(app.login_from("198.51.100.1", &email, "wrong password").await).await;
    // …so the owner somewhere new still gets in with the right password…
    assert_eq!(app.login_from("198.51.100.2", &email, PASSWORD).await.status(), 200);
    // …and an address the owner logged in from keeps its ten.
    for _ in 0..5 {
        assert_eq!(app.login_from("192.0.2.50", &email, "wrong password").await.status(), 401);
    }
    assert_eq!(app.login_from("192.0.2.50", &email, PASSWORD).await.status(), 200);
}

async fn bad_tokens_are_refused_with_a_clear_problem(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let tokens = app.signed_up(&email(), PASSWORD).await;
    let token = access(&tokens);

    let missing = app.client.get(app.url("/api/v1/account")).send().await.unwrap();
    assert_eq!(missing.headers()["www-authenticate"], "Bearer");
    expect_problem(missing, 401, "unauthenticated").await;

    let mut tampered = token.clone().into_bytes();
    let at = tampered.len() - 5;
    tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    expect_problem(app.get_as(&tampered, "/api/v1/account").await, 401, "token-invalid").await;

    // A token whose claims were edited (another user's id) fails the signature.
    let parts: Vec<&str> = token.split('.').collect();
    let forged = format!("{}.{}.{}", parts[0], parts[1].chars().rev().collect::<String>(), parts[2]);
    expect_problem(app.get_as(&forged, "/api/v1/account").await, 401, "token-invalid").await;

    let expired = app
        .server
        .contexts
        .identity
        .keys
        .sign(&identity::AccessClaims {
            iss: app.server.url(),
            aud: "athlos".into(),
            sub: "someone".into(),
            sid: tokens["session_id"].as_str().unwrap().into(),
            iat: 1_000_000_000,
            exp: 1_000_000_900,
            jti: "x".into(),
            client_id: None,
            scope: None,
        })
        .unwrap();
    expect_problem(app.get_as(&expired, "/api/v1/account").await, 401, "token-expired").await;

    // A token from another Athlos server is not ours.
    let other = TestApp::spawn(backend).await;
    let foreign = access(&other.signed_up(&email(), PASSWORD).await);
    expect_problem(app.get_as(&foreign, "/api/v1/account").await, 401, "token-invalid").await;
}

async fn one_users_token_never_reaches_another_users_data(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (alice, bob) = (email(), email_again());
    let alice_token = access(&app.signed_up(&alice, PASSWORD).await);
    let bob_tokens = app.signed_up(&bob, PASSWORD).await;
    let me: Value = app.get_as(&alice_token, "/api/v1/account").await.json().await.unwrap();
    assert_eq!(me["email"], alice.as_str());
    let sessions: Vec<Value> = app.get_as(&alice_token, "/api/v1/account/sessions").await.json().await.unwrap();
    assert!(sessions.iter().all(|s| s["id"] != bob_tokens["session_id"]));
    expect_problem(app.get_as(&alice_token, "/api/v1/admin/users").await, 403, "not-admin").await;
    let path = format!("/api/v1/admin/users/{}/suspend", "anyone");
    expect_problem(app.post_as(&alice_token, &path, json!({})).await, 403, "not-admin").await;
}

async fn password_change_ends_other_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = email();
    let here = app.signed_up(&email, PASSWORD).await;
    let elsewhere = app.logged_in(&email, PASSWORD).await;
    let wrong = app
        .post_as(
            &access(&here),
            "/api/v1/account/password",
            json!({ "current_password": "nope", "new_password": "a new long password" }),
        )
        .await;
    assert_eq!(expect_problem(wrong, 422, "invalid-input").await["field"], "current_password");
    let changed = app
        .post_as(
            &access(&here),
            "/api/v1/account/password",
            json!({ "current_password": PASSWORD, "new_password": "a new long password" }),
        )
        .await;
    assert_eq!(changed.status(), 204);
    assert_eq!(app.get_as(&access(&here), "/api/v1/account").await.status(), 200);
    expect_problem(app.get_as(&access(&elsewhere), "/api/v1/account").await, 401, "session-revoked").await;
    app.logged_in(&email, "a new long password").await;
}

/// The whole reset flow, reading the mail back from the real SMTP server.
async fn password_reset_by_mail_over_smtp(backend: Backend) {
    let Some(url) = support::service("TEST_SMTP_STARTTLS_URL", "the test SMTP server") else { return };
    let ca = support::service("TEST_SMTP_CA_FILE", "the test SMTP CA").unwrap();
    let maildir = std::path::PathBuf::from(support::service("TEST_SMTP_MAILDIR", "the test SMTP folder").unwrap());
    let app = TestApp::spawn_with(backend, |c| {
        c.smtp_url = Some(url);
        c.smtp_ca_file = Some(ca.into());
    })
    .await;
    let email = email();
    let old_session = app.signed_up(&email, PASSWORD).await;

    let accepted = app.post("/api/v1/auth/password-reset", json!({ "email": email })).await;
    assert_eq!(accepted.status(), 202);
    let body: Value = accepted.json().await.unwrap();
    let unknown = app.post("/api/v1/auth/password-reset", json!({ "email": "nobody-here@example.org" })).await;
    assert_eq!(unknown.status(), 202);
    assert_eq!(
        unknown.json::<Value>().await.unwrap(),
        body,
        "the answer does not tell whether the address has an account"
    );

    // The verification mail and the reset link go out by the job queue, in
    // either order.
    let mail = wait_for_mail_about(&maildir, &email, "Subject: Reset your Athlos password").await;
    let token = token_in(&mail);

    let weak =
        app.post("/api/v1/auth/password-reset/confirm", json!({ "token": token, "new_password": "short" })).await;
    expect_problem(weak, 422, "invalid-input").await;
    let done = app
        .post("/api/v1/auth/password-reset/confirm", json!({ "token": token, "new_password": "a brand new password" }))
        .await;
    assert_eq!(done.status(), 204);
    let reused = app
        .post("/api/v1/auth/password-reset/confirm", json!({ "token": token, "new_password": "yet another password" }))
        .await;
    expect_problem(reused, 400, "invalid-token").await;

    expect_problem(app.get_as(&access(&old_session), "/api/v1/account").await, 401, "session-revoked").await;
    let old = app.post("/api/v1/auth/login", json!({ "email": email, "password": PASSWORD })).await;
    expect_problem(old, 401, "invalid-credentials").await;
    let fresh = app.logged_in(&email, "a brand new password").await;
    let me: Value = app.get_as(&access(&fresh), "/api/v1/account").await.json().await.unwrap();
    assert_eq!(me["email_verified"], true, "the mailed link proves the address");
}

async fn admins_suspend_reinstate_and_delete_accounts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin_email = email();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_athlos"))
        .args(["admin", "create-user", "--email", &admin_email, "--name", "Coach", "--admin"])
        .envs(app.env.child_env())
        .stdin(std::process::Stdio::piped())
        .output_with_stdin(format!("{PASSWORD}\n"));
    assert!(child.status.success(), "{}", String::from_utf8_lossy(&child.stderr));
    child.stdout.clear();
    let admin = access(&app.logged_in(&admin_email, PASSWORD).await);
    let me: Value = app.get_as(&admin, "/api/v1/account").await.json().await.unwrap();
    assert_eq!((me["role"].as_str(), me["email_verified"].as_bool()), (Some("admin"), Some(true)));

    let member_email = email_again();
    let member = app.signed_up(&member_email, PASSWORD).await;
    let member_id = app.get_as(&access(&member), "/api/v1/account").await.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let page: Value = app.get_as(&admin, "/api/v1/admin/users?limit=1").await.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let next = page["next_cursor"].as_str().unwrap();
    let rest: Value =
        app.get_as(&admin, &format!("/api/v1/admin/users?limit=10&cursor={next}")).await.json().await.unwrap();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());
    expect_problem(app.get_as(&admin, "/api/v1/admin/users?limit=0").await, 422, "invalid-input").await;

    let suspend = format!("/api/v1/admin/users/{member_id}/suspend");
    assert_eq!(app.post_as(&admin, &suspend, json!({})).await.status(), 204);
    expect_problem(app.get_as(&access(&member), "/api/v1/account").await, 401, "session-revoked").await;
    let login = app.post("/api/v1/auth/login", json!({ "email": member_email, "password": PASSWORD })).await;
    expect_problem(login, 403, "account-suspended").await;

    let reinstate = format!("/api/v1/admin/users/{member_id}/reinstate");
    assert_eq!(app.post_as(&admin, &reinstate, json!({})).await.status(), 204);
    app.logged_in(&member_email, PASSWORD).await;

    let delete = format!("/api/v1/admin/users/{member_id}");
    assert_eq!(app.delete_as(&admin, &delete, json!({})).await.status(), 204);
    expect_problem(app.delete_as(&admin, &delete, json!({})).await, 404, "not-found").await;
    let gone = app.post("/api/v1/auth/login", json!({ "email": member_email, "password": PASSWORD })).await;
    expect_problem(gone, 401, "invalid-credentials").await;
}

async fn rotating_the_signing_key_logs_nobody_out(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let before = app.signed_up(&email(), PASSWORD).await;
    app.server.contexts.identity.keys.rotate().await.unwrap();
    assert_eq!(app.get_as(&access(&before), "/api/v1/account").await.status(), 200);
    let jwks: Value = app.get("/.well-known/jwks.json").await.json().await.unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
    assert!(jwks["keys"].as_array().unwrap().iter().all(|k| k["kty"] == "OKP" && k["crv"] == "Ed25519"));
    let after: Value = app
        .post("/api/v1/auth/refresh", json!({ "refresh_token": before["refresh_token"] }))
        .await
        .json()
        .await
        .unwrap();
    let kid = |t: &Value| {
        let header = access(t).split('.').next().unwrap().to_string();
        use base64::Engine;
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header).unwrap();
        serde_json::from_slice::<Value>(&raw).unwrap()["kid"].clone()
    };
    assert_ne!(kid(&before), kid(&after));
}

async fn deleting_ones_account_needs_the_password(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = email();
    let token = access(&app.signed_up(&email, PASSWORD).await);
    let refused = app.delete_as(&token, "/api/v1/account", json!({ "password": "wrong" })).await;
    expect_problem(refused, 422, "invalid-input").await;
    assert_eq!(app.delete_as(&token, "/api/v1/account", json!({ "password": PASSWORD })).await.status(), 204);
    expect_problem(app.get_as(&token, "/api/v1/account").await, 401, "session-revoked").await;
    let gone = app.post("/api/v1/auth/login", json!({ "email": email, "password": PASSWORD })).await;
    expect_problem(gone, 401, "invalid-credentials").await;
}

/// Logs in with the password and returns the second-factor challenge.
async fn challenge(app: &TestApp, email: &str) -> String {
    let step: Value = app.logged_in(email, PASSWORD).await;
    assert_eq!(step["second_factor_required"], true, "{step}");
    assert!(step.get("access_token").is_none());
    step["challenge"].as_str().unwrap().to_string()
}

trait OutputWithStdin {
    fn output_with_stdin(&mut self, input: String) -> std::process::Output;
}

impl OutputWithStdin for std::process::Command {
    fn output_with_stdin(&mut self, input: String) -> std::process::Output {
        use std::io::Write;
        let mut child = self.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }
}

on_every_database!(
    register_verify_and_log_in,
    registering_reveals_nothing_and_refuses_bad_input,
    a_reused_refresh_token_ends_its_session,
    a_refresh_answer_lost_on_the_way_is_traded_again,
    a_spent_token_from_elsewhere_or_too_late_ends_its_session,
    sessions_are_listed_and_ended,
    two_factor_login_with_a_code_and_with_recovery_codes,
    second_factor_attempts_are_limited,
    failed_logins_from_one_address_are_limited,
    wrong_passwords_from_elsewhere_never_lock_the_owner_out,
    successful_logins_are_never_limited,
    two_factor_logins_in_a_row_are_never_limited,
    spraying_passwords_from_one_address_is_limited,
    an_account_under_attack_gives_new_addresses_fewer_tries,
    bad_tokens_are_refused_with_a_clear_problem,
    one_users_token_never_reaches_another_users_data,
    password_change_ends_other_sessions,
    password_reset_by_mail_over_smtp,
    admins_suspend_reinstate_and_delete_accounts,
    rotating_the_signing_key_logs_nobody_out,
    deleting_ones_account_needs_the_password,
);
