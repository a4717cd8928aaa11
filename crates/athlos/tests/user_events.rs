//! Identity's events and training's first consumer, on every database and
//! every bus: identity announces registrations, profile changes and
//! deletions; training erases a deleted person's training on `UserDeleted`,
//! once, however often the event arrives.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::bus::{app_on, Bus};
use support::{access, eventually, unique_email, Backend, TestApp};

const PASSWORD: &str = "correct horse battery";
const PATIENCE: Duration = Duration::from_secs(30);

/// A person with a workout logged by hand and one from a file; their id and token.
async fn person_with_training(app: &TestApp) -> (String, String) {
    let token = access(&app.signed_up(&unique_email("erased"), PASSWORD).await);
    let me: Value = app.get_as(&token, "/api/v1/account").await.json().await.unwrap();
    let by_hand = json!({ "sport": "yoga", "started_at": "2026-11-20T07:00:00Z", "duration_s": 1800 });
    assert_eq!(app.post_as(&token, "/api/v1/workouts", by_hand).await.status(), 201);
    let gpx = support::corpus_file("gpx/cerknicko-jezero.gpx");
    assert_eq!(app.upload_as(&token, "lake.gpx", gpx, &[]).await.status(), 201);
    (me["id"].as_str().unwrap().to_string(), token)
}

async fn count(app: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql).bind(bind).fetch_one(app.server.platform.db.pool()).await.unwrap()
}

async fn erased(app: &TestApp, id: &str) -> bool {
    count(app, "SELECT COUNT(*) FROM workouts WHERE user_id = $1", id).await == 0
        && app.stored_files(&format!("users/{id}/training")).await.is_empty()
}

async fn delete_account(app: &TestApp, token: &str) {
    let deleted = app.delete_as(token, "/api/v1/account", json!({ "password": PASSWORD })).await;
    assert_eq!(deleted.status(), 204);
}

async fn a_deleted_persons_training_is_erased_once(backend: Backend, bus: Bus) {
    let app = app_on(backend, bus).await;
    let (id, token) = person_with_training(&app).await;
    let (other, other_token) = person_with_training(&app).await;
    assert!(!app.stored_files(&format!("users/{id}/training")).await.is_empty());

    delete_account(&app, &token).await;
    eventually("the person's training erased", PATIENCE, || erased(&app, &id)).await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM workouts WHERE user_id = $1", &other).await, 2, "nobody else's");

    // The event delivered again (a relay that died before marking it): a
    // second deletion behind it shows when it has gone through, changing nothing.
    let sql = "UPDATE outbox_events SET published_at = NULL WHERE kind = 'UserDeleted' AND user_id = $1";
    sqlx::query(sql).bind(&id).execute(app.server.platform.db.pool()).await.unwrap();
    delete_account(&app, &other_token).await;
    eventually("the second person's training erased", PATIENCE, || erased(&app, &other)).await;
    let handled = count(
        &app,
        "SELECT COUNT(*) FROM event_inbox i JOIN outbox_events o ON o.id = i.event_id \
         WHERE i.context = $1 AND o.kind = 'UserDeleted'",
        "training",
    )
    .await;
    assert_eq!(handled, 2, "each UserDeleted handled once by training");
    let failures: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM event_failures")
        .fetch_one(app.server.platform.db.pool())
        .await
        .unwrap();
    assert_eq!(failures, 0);
}

on_every_bus_and_database!(a_deleted_persons_training_is_erased_once);

/// The kinds and payloads of the events about `id`, oldest first.
async fn events_of(app: &TestApp, id: &str) -> Vec<(String, Value)> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, payload FROM outbox_events WHERE user_id = $1 ORDER BY seq")
            .bind(id)
            .fetch_all(app.server.platform.db.pool())
            .await
            .unwrap();
    rows.into_iter().map(|(kind, payload)| (kind, serde_json::from_str(&payload).unwrap())).collect()
}

async fn identity_announces_registration_changes_and_deletion(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = unique_email("announced");
    let token = access(&app.signed_up(&address, PASSWORD).await);
    let me: Value = app.get_as(&token, "/api/v1/account").await.json().await.unwrap();
    let id = me["id"].as_str().unwrap().to_string();
    let change = json!({ "display_name": "Ada Runner", "default_privacy": "public" });
    assert_eq!(app.patch_as(&token, "/api/v1/account", change).await.status(), 200);
    // A refused change changes nothing and announces nothing.
    let refused = app.patch_as(&token, "/api/v1/account", json!({ "units": "furlongs" })).await;
    assert_eq!(refused.status(), 422);

    let events = events_of(&app, &id).await;
    let kinds: Vec<&str> = events.iter().map(|(kind, _)| kind.as_str()).collect();
    assert_eq!(kinds, ["UserRegistered", "ProfileChanged"]);
    assert_eq!(events[0].1["display_name"], "Runner");
    assert_eq!(events[1].1["display_name"], "Ada Runner");
    assert_eq!(events[1].1["default_privacy"], "public");
    let everything = serde_json::to_string(&events.iter().map(|(_, p)| p).collect::<Vec<_>>()).unwrap();
    assert!(!everything.contains(&address), "no event carries the address");

    // Erasure (a job after the deletion) removes the events that describe
    // the person and keeps only the announcement every context still needs.
    delete_account(&app, &token).await;
    let only_the_deletion = || async {
        let events = events_of(&app, &id).await;
        events.len() == 1 && events[0].0 == "UserDeleted" && events[0].1 == json!({ "user_id": id })
    };
    eventually("only UserDeleted left about the person", PATIENCE, only_the_deletion).await;
}

on_every_database!(identity_announces_registration_changes_and_deletion);
