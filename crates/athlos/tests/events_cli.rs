//! `athlos events` as an operator uses it, and what `/readyz` and
//! `/metrics` say about the bus.

mod support;

use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};
use support::{eventually, unique_email, Backend, TestApp, TestEnv};

fn athlos(env: &TestEnv, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_athlos")).args(args).envs(env.child_env()).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// An event training gave up on: a `UserDeleted` whose handler failed every time.
async fn bury(app: &TestApp, user_id: &str) -> String {
    let event_id = uuid::Uuid::now_v7().to_string();
    let event = json!({
        "id": event_id, "kind": "UserDeleted", "subject_id": user_id, "user_id": user_id,
        "payload": { "user_id": user_id }, "created_at": 0
    });
    sqlx::query(
        "INSERT INTO event_failures (context, event_id, kind, event, attempts, last_error, failed_at, dead_at) \
         VALUES ('training', $1, 'UserDeleted', $2, 5, 'the file store was down', 1, 1)",
    )
    .bind(&event_id)
    .bind(event.to_string())
    .execute(app.server.platform.db.pool())
    .await
    .unwrap();
    event_id
}

async fn dead_events_are_listed_and_replayed_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = support::access(&app.signed_up(&unique_email("cli"), "correct horse battery").await);
    let me: Value = app.get_as(&token, "/api/v1/account").await.json().await.unwrap();
    let by_hand = json!({ "sport": "yoga", "started_at": "2026-11-20T07:00:00Z", "duration_s": 1800 });
    assert_eq!(app.post_as(&token, "/api/v1/workouts", by_hand).await.status(), 201);
    let user_id = me["id"].as_str().unwrap();
    let event_id = bury(&app, user_id).await;

    let listed = athlos(&app.env, &["events", "list"]);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    assert!(text(&listed.stdout).contains("UserRegistered"), "{}", text(&listed.stdout));

    let dead = athlos(&app.env, &["events", "list", "--dead"]);
    let shown = text(&dead.stdout);
    assert!(
        shown.contains(&event_id) && shown.contains("the file store was down") && shown.contains("training"),
        "{shown}"
    );

    // The file store is back: the replay erases the person's training, once.
    let replayed = athlos(&app.env, &["events", "replay", "--dead"]);
    assert!(replayed.status.success(), "{}", text(&replayed.stderr));
    assert!(text(&replayed.stdout).contains("handled"), "{}", text(&replayed.stdout));
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM workouts WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(app.server.platform.db.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);
    let again = athlos(&app.env, &["events", "replay", &event_id]);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("no dead event matches"), "{}", text(&again.stderr));
    assert_eq!(text(&athlos(&app.env, &["events", "list", "--dead"]).stdout).trim(), "No dead events.");
}

/// With the broker gone, the API goes on, `/readyz` stays ready and says
/// the bus is down, and events wait in the outbox.
async fn a_bus_that_is_down_leaves_the_api_up(backend: Backend) {
    for url in ["redis://127.0.0.1:1/", "amqp://guest:guest@127.0.0.1:1/%2f"] {
        let app = TestApp::spawn_with(backend, |config| config.bus_url = Some(url.into())).await;
        let registered = app
            .post(
                "/api/v1/auth/register",
                json!({ "email": unique_email("down"), "password": "correct horse battery", "display_name": "Runner" }),
            )
            .await;
        assert_eq!(registered.status(), 202);
        eventually("the bus reported down", Duration::from_secs(20), || async {
            let ready = app.get("/readyz").await;
            ready.status() == 200 && ready.json::<Value>().await.unwrap()["bus"] == "down"
        })
        .await;
        let waiting: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox_events WHERE published_at IS NULL")
            .fetch_one(app.server.platform.db.pool())
            .await
            .unwrap();
        assert!(waiting >= 1, "the registration waits in the outbox");
        let metrics = app.get("/metrics").await.text().await.unwrap();
        assert!(metrics.contains("athlos_outbox_lag_events") && metrics.contains("athlos_events_published_total"));
    }
}

/// The in-process bus is up from the start.
async fn the_in_process_bus_is_up(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ready: Value = app.get("/readyz").await.json().await.unwrap();
    assert_eq!(ready, json!({ "status": "ok", "bus": "up" }));
}

/// Published events and inbox rows go after the retention; waiting events stay.
async fn old_published_events_are_pruned(backend: Backend) {
    let app = TestApp::spawn_without_worker(backend).await;
    let db = app.server.platform.db.pool();
    let day = 24 * 3600 * 1000_i64;
    let now = platform::db::now_ms();
    for (id, published_at) in [("old", Some(now - 8 * day)), ("recent", Some(now - day)), ("waiting", None)] {
        sqlx::query(
            "INSERT INTO outbox_events (id, kind, subject_id, user_id, payload, created_at, published_at, seq) \
             VALUES ($1, 'Tick', 's', 'u', '{}', $2, $3, 1)",
        )
        .bind(id)
        .bind(now - 9 * day)
        .bind(published_at)
        .execute(db)
        .await
        .unwrap();
        sqlx::query("INSERT INTO event_inbox (context, event_id, handled_at) VALUES ('training', $1, $2)")
            .bind(id)
            .bind(published_at.unwrap_or(now))
            .execute(db)
            .await
            .unwrap();
    }
    let pruned = app.server.platform.events.prune().await.unwrap();
    assert_eq!(pruned, 2, "the week-old event and its inbox row");
    let left: Vec<String> = sqlx::query_scalar("SELECT id FROM outbox_events ORDER BY id").fetch_all(db).await.unwrap();
    assert_eq!(left, ["recent", "waiting"]);
    let inbox: Vec<String> =
        sqlx::query_scalar("SELECT event_id FROM event_inbox ORDER BY event_id").fetch_all(db).await.unwrap();
    assert_eq!(inbox, ["recent", "waiting"]);
}

on_every_database!(
    dead_events_are_listed_and_replayed_once,
    a_bus_that_is_down_leaves_the_api_up,
    the_in_process_bus_is_up,
    old_published_events_are_pruned,
);
