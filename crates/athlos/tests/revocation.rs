//! A revoked session and a suspended account stop working on the very next
//! request, on every replica, whatever a server remembers between requests
//! (it remembers which tokens' signatures it has checked: see
//! crates/identity/src/verified.rs). Two servers share one database, as
//! replicas do; each has seen the tokens before they are revoked.

mod support;

use serde_json::{json, Value};
use support::{access, expect_problem, unique_email, Backend, TestApp};

const PASSWORD: &str = "correct horse battery staple";

async fn revocation_reaches_every_replica_at_once(backend: Backend) {
    let a = TestApp::spawn(backend).await;
    let mut config = a.env.config();
    config.public_url = Some(a.server.url());
    let b = athlos::server::start(config, &athlos::cli::ServeArgs { no_worker: true, ..Default::default() })
        .await
        .expect("a second replica starts");
    let replicas = [a.server.url(), format!("http://{}", b.addr)];
    let get = |replica: &str, token: &str| {
        a.client.get(format!("{replica}/api/v1/workouts?limit=5")).bearer_auth(token).send()
    };

    let (admin, _) = a.administrator().await;
    let email = unique_email("revoked");
    let phone = a.signed_up(&email, PASSWORD).await;
    let laptop = a.logged_in(&email, PASSWORD).await;
    let (phone_token, laptop_token) = (access(&phone), access(&laptop));
    // Every replica sees each token twice first, so that it remembers them.
    for replica in &replicas {
        for token in [&phone_token, &laptop_token, &admin] {
            for _ in 0..2 {
                assert_eq!(get(replica, token).await.unwrap().status(), 200);
            }
        }
    }

    // A token altered after its signature was checked is not the same token.
    let mut forged = laptop_token.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    for replica in &replicas {
        expect_problem(get(replica, &forged).await.unwrap(), 401, "token-invalid").await;
    }

    // The laptop's session is signed out on A: B refuses it at once.
    let session = format!("/api/v1/account/sessions/{}", laptop["session_id"].as_str().unwrap());
    assert_eq!(a.delete_as(&phone_token, &session, json!({})).await.status(), 204);
    for replica in replicas.iter().rev() {
        expect_problem(get(replica, &laptop_token).await.unwrap(), 401, "session-revoked").await;
        assert_eq!(get(replica, &phone_token).await.unwrap().status(), 200, "the other session lives on");
    }

    // The account is suspended on B: A refuses its remaining session at once.
    let id = a.get_as(&phone_token, "/api/v1/account").await.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let suspend = a
        .client
        .post(format!("{}/api/v1/admin/users/{id}/suspend", replicas[1]))
        .bearer_auth(&admin)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(suspend.status(), 204);
    for replica in &replicas {
        let refused = get(replica, &phone_token).await.unwrap();
        assert_eq!(refused.status(), 401, "a suspended account's token is refused on {replica}");
        assert_eq!(get(replica, &admin).await.unwrap().status(), 200, "others are unaffected");
    }
    b.stop().await.unwrap();
}

on_every_database!(revocation_reaches_every_replica_at_once);
