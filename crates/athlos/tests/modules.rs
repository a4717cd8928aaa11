//! Modules deployed apart: two processes on one database, one serving
//! identity and one training, over every bus; each refuses the other's
//! paths by name and documents only its own, and a deletion through the
//! first reaches the second as an event.

mod support;

use athlos::cli::ServeArgs;
use athlos::server::RunningServer;
use serde_json::json;
use support::bus::Bus;
use support::{access, expect_problem, unique_email, Backend, TestApp};

/// The identity process (a `TestApp`) and a training process beside it,
/// sharing its database, data folder (so its secret key), public URL and bus.
async fn split(backend: Backend, bus: Bus) -> (TestApp, RunningServer, reqwest::Client) {
    let bus_url = bus.url().unwrap();
    let namespace = format!("test-{}", uuid::Uuid::now_v7().simple());
    let (url, ns) = (bus_url.clone(), namespace.clone());
    let identity = TestApp::spawn_with(backend, move |config| {
        config.modules = Some("identity".into());
        config.bus_url = url;
        config.bus_namespace = ns;
    })
    .await;
    let mut config = identity.env.config();
    // Behind one gateway both have the same public URL, which tokens name as their issuer.
    config.public_url = Some(identity.server.url());
    // Training and the contexts that consume what identity announces.
    config.modules = Some("training,notifications,inventory,social,competition,partners,sync".into());
    config.bus_url = bus_url;
    config.bus_namespace = namespace;
    let training = athlos::server::start(config, &ServeArgs::default()).await.expect("training starts");
    (identity, training, reqwest::Client::new())
}

async fn a_person_registers_through_one_and_trains_through_the_other(backend: Backend, bus: Bus) {
    let (identity, training, client) = split(backend, bus).await;
    let token = access(&identity.signed_up(&unique_email("split"), "correct horse battery").await);

    let body =
        json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "duration_s": 1800, "distance_m": 5000.0 });
    let logged = client
        .post(format!("{}/api/v1/workouts", training_url(&training)))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(logged.status(), 201, "{}", logged.text().await.unwrap());
    let mine =
        client.get(format!("{}/api/v1/workouts", training_url(&training))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(mine.json::<serde_json::Value>().await.unwrap()["items"].as_array().unwrap().len(), 1);

    // Each refuses the other's paths, naming the module the gateway got wrong.
    let wrong = identity.get_as(&token, "/api/v1/workouts").await;
    let problem = expect_problem(wrong, 404, "module-not-served").await;
    assert!(problem["detail"].as_str().unwrap().contains("training"), "{problem}");
    let wrong =
        client.get(format!("{}/api/v1/account", training_url(&training))).bearer_auth(&token).send().await.unwrap();
    let problem = expect_problem(wrong, 404, "module-not-served").await;
    assert!(problem["detail"].as_str().unwrap().contains("identity"), "{problem}");

    // Each says what it serves and documents only that.
    let server: serde_json::Value = identity.get_as(&token, "/api/v1/server").await.json().await.unwrap();
    assert_eq!(server["modules"], json!(["identity"]));
    let document: serde_json::Value = identity.get_as(&token, "/openapi.json").await.json().await.unwrap();
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.contains_key("/api/v1/account") && !paths.keys().any(|p| p.starts_with("/api/v1/workouts")));
    let document: serde_json::Value =
        client.get(format!("{}/openapi.json", training_url(&training))).send().await.unwrap().json().await.unwrap();
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.contains_key("/api/v1/workouts") && !paths.contains_key("/api/v1/account"));

    // Deleted through identity, the person's training goes in the other process.
    let deleted = identity.delete_as(&token, "/api/v1/account", json!({ "password": "correct horse battery" })).await;
    assert_eq!(deleted.status(), 204);
    let db = identity.server.platform.db.pool();
    support::eventually("the training process erased the workout", std::time::Duration::from_secs(30), || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM workouts").fetch_one(db).await.unwrap() == 0
    })
    .await;
    training.stop().await.unwrap();
}

on_every_bus_and_database!(a_person_registers_through_one_and_trains_through_the_other);

#[tokio::test]
async fn an_unknown_module_is_refused_at_start() {
    let env = support::TestEnv::new(Backend::Sqlite).await;
    let mut config = env.config();
    config.modules = Some("identity,traning".into());
    let refused = athlos::server::start(config, &ServeArgs::default()).await.err().expect("refused");
    assert!(refused.to_string().contains("no module `traning`"), "{refused}");
}

fn training_url(server: &RunningServer) -> String {
    format!("http://{}", server.addr)
}
