//! A storm of logins through the HTTP API, on SQLite and PostgreSQL. Password
//! hashing is bounded to one argon2 run per core, so the server answers every
//! login with tokens, a refusal, or "busy, come back" (503 with Retry-After),
//! never with a failure of its own.

mod support;

use std::collections::BTreeMap;

use serde_json::json;
use support::{unique_email, Backend, TestApp};

const PASSWORD: &str = "correct horse battery";
const STORM: usize = 200;

on_every_database!(a_storm_of_logins_gets_answers_never_failures);

async fn a_storm_of_logins_gets_answers_never_failures(backend: Backend) {
    let app = TestApp::spawn_with(backend, |config| config.trust_forwarded_for = true).await;
    let emails: Vec<String> = (0..4).map(|_| unique_email("stormy")).collect();
    for email in &emails {
        let form = json!({ "email": email, "password": PASSWORD, "display_name": "Stormy" });
        assert_eq!(app.post("/api/v1/auth/register", form).await.status(), 202);
    }

    // Right and wrong passwords, known and unknown accounts, from twenty
    // addresses, all at once: some meet the limits, some the bound.
    let logins = (0..STORM).map(|n| {
        let email = if n % 10 == 9 { unique_email("nobody") } else { emails[n % emails.len()].clone() };
        let password = if n % 3 == 0 { "wrong password" } else { PASSWORD };
        let address = format!("198.51.100.{}", n % 20);
        let app = &app;
        async move { app.login_from(&address, &email, password).await }
    });
    let answers = futures::future::join_all(logins).await;

    let mut statuses = BTreeMap::new();
    for answer in answers {
        let status = answer.status().as_u16();
        *statuses.entry(status).or_insert(0) += 1;
        match status {
            200 | 401 => {}
            429 | 503 => {
                let retry_after = answer.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
                let retry_after: u64 =
                    retry_after.unwrap_or_else(|| panic!("{status} without Retry-After")).parse().unwrap();
                assert!(retry_after >= 1, "Retry-After: {retry_after}");
                assert_eq!(answer.headers()["content-type"], "application/problem+json");
                let kind = if status == 429 { "/problems/rate-limited" } else { "/problems/server-busy" };
                assert_eq!(answer.json::<serde_json::Value>().await.unwrap()["type"], kind);
            }
            other => panic!("a login was answered {other}: {}", answer.text().await.unwrap()),
        }
    }
    eprintln!("{STORM} logins at once were answered {statuses:?}");
    assert_eq!(statuses.values().sum::<usize>(), STORM);

    // The storm left nothing behind: the owner logs in as before.
    assert_eq!(app.login_from("192.0.2.1", &emails[0], PASSWORD).await.status(), 200);
}
