//! Equipment usage follows the trainings, on every database and every bus:
//! after random adds, edits, moves between items and deletes, every item's
//! totals equal the sum over its trainings; delivering every event again,
//! or counting again from scratch, changes nothing; a threshold is
//! announced exactly once, and again only when raised or the part replaced.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{json, Value};
use support::bus::{app_on, Bus};
use support::{access, eventually, unique_email, Backend, TestApp};

const PATIENCE: Duration = Duration::from_secs(30);

async fn person(app: &TestApp) -> (String, String) {
    let token = access(&app.signed_up(&unique_email("geared"), "correct horse battery").await);
    let me: Value = app.get_as(&token, "/api/v1/account").await.json().await.unwrap();
    (token, me["id"].as_str().unwrap().to_string())
}

async fn item(app: &TestApp, token: &str, body: Value) -> String {
    let made = app.post_as(token, "/api/v1/equipment", body).await;
    assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());
    made.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

/// A small deterministic generator; the seed is printed with any failure.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

/// What the test believes each training is: distance, seconds, climb, items.
#[derive(Clone, Debug)]
struct Training {
    distance_m: f64,
    duration_s: f64,
    elevation_m: f64,
    items: Vec<String>,
}

fn some_items(dice: &mut Dice, items: &[String]) -> Vec<String> {
    items.iter().filter(|_| dice.roll(2) == 0).cloned().collect()
}

/// Whole metres and seconds, so that sums are exact in floating point.
fn random_training(dice: &mut Dice, items: &[String]) -> Training {
    Training {
        distance_m: (1_000 + dice.roll(20_000)) as f64,
        duration_s: (600 + dice.roll(6_000)) as f64,
        elevation_m: dice.roll(500) as f64,
        items: some_items(dice, items),
    }
}

fn body(t: &Training, day: u64) -> Value {
    json!({
        "sport": "running",
        "started_at": format!("2026-{:02}-{:02}T07:00:00Z", 1 + day % 11, 1 + day % 28),
        "duration_s": t.duration_s, "distance_m": t.distance_m, "elevation_gain_m": t.elevation_m,
        "equipment_ids": t.items,
    })
}

/// Each item's `[distance, moving, elevation, trainings]` as the model says.
fn expected(model: &HashMap<String, Training>, items: &[String]) -> HashMap<String, [f64; 4]> {
    let mut sums: HashMap<String, [f64; 4]> = items.iter().map(|i| (i.clone(), [0.0; 4])).collect();
    for t in model.values() {
        for i in &t.items {
            let s = sums.get_mut(i).unwrap();
            *s = [s[0] + t.distance_m, s[1] + t.duration_s, s[2] + t.elevation_m, s[3] + 1.0];
        }
    }
    sums
}

async fn totals(app: &TestApp, token: &str) -> HashMap<String, [f64; 4]> {
    let items: Value = app.get_as(token, "/api/v1/equipment?state=all").await.json().await.unwrap();
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let u = &i["usage"];
            let n = |k: &str| u[k].as_f64().unwrap();
            (i["id"].as_str().unwrap().to_string(), [n("distance_m"), n("moving_s"), n("elevation_m"), n("trainings")])
        })
        .collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.server.platform.db.pool()).await.unwrap()
}

async fn totals_equal_the_sum_over_trainings_whatever_happens(backend: Backend, bus: Bus) {
    let app = app_on(backend, bus).await;
    let (token, user_id) = person(&app).await;
    let items = vec![
        item(&app, &token, json!({ "kind": "shoes", "nickname": "Daily" })).await,
        item(&app, &token, json!({ "kind": "shoes", "nickname": "Racers" })).await,
        item(&app, &token, json!({ "kind": "watch", "brand": "Tick" })).await,
    ];
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    let mut dice = Dice(seed);
    let mut model: HashMap<String, Training> = HashMap::new();
    for step in 0..40 {
        let ids: Vec<String> = model.keys().cloned().collect();
        match (dice.roll(4), ids.is_empty()) {
            (0 | 1, _) | (_, true) => {
                let t = random_training(&mut dice, &items);
                let made = app.post_as(&token, "/api/v1/workouts", body(&t, step)).await;
                assert_eq!(made.status(), 201, "seed {seed}: {}", made.text().await.unwrap());
                model.insert(made.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string(), t);
            }
            (2, false) => {
                // An edit: other numbers, and often other items.
                let id = &ids[dice.roll(ids.len() as u64) as usize];
                let t = random_training(&mut dice, &items);
                let changes = json!({ "distance_m": t.distance_m, "duration_s": t.duration_s,
                    "elevation_gain_m": t.elevation_m, "equipment_ids": t.items });
                let changed = app.patch_as(&token, &format!("/api/v1/workouts/{id}"), changes).await;
                assert_eq!(changed.status(), 200, "seed {seed}: {}", changed.text().await.unwrap());
                model.insert(id.clone(), t);
            }
            _ => {
                let id = &ids[dice.roll(ids.len() as u64) as usize];
                let gone = app.delete_as(&token, &format!("/api/v1/workouts/{id}"), json!({})).await;
                assert_eq!(gone.status(), 204, "seed {seed}");
                model.remove(id);
            }
        }
    }
    let want = expected(&model, &items);
    eventually(&format!("totals follow the trainings (seed {seed})"), PATIENCE, || async {
        totals(&app, &token).await == want
    })
    .await;

    // Every event delivered again and handled again by inventory: nothing moves.
    // The relay must be idle first: one still delivering a batch would mark
    // it published after the reset below, and those events never came again.
    let unpublished = "SELECT COUNT(*) FROM outbox_events WHERE published_at IS NULL";
    eventually("the relay caught up", PATIENCE, || async { count(&app, unpublished).await == 0 }).await;
    let kinds = "('WorkoutRecorded', 'WorkoutUpdated', 'WorkoutDeleted')";
    let events = count(&app, &format!("SELECT COUNT(*) FROM outbox_events WHERE kind IN {kinds}")).await;
    let pool = app.server.platform.db.pool();
    sqlx::query("DELETE FROM event_inbox WHERE context = 'inventory'").execute(pool).await.unwrap();
    sqlx::query(&format!("UPDATE outbox_events SET published_at = NULL WHERE kind IN {kinds}"))
        .execute(pool)
        .await
        .unwrap();
    let handled = format!(
        "SELECT COUNT(*) FROM event_inbox i JOIN outbox_events o ON o.id = i.event_id \
         WHERE i.context = 'inventory' AND o.kind IN {kinds}"
    );
    eventually("every workout event handled again", PATIENCE, || async { count(&app, &handled).await == events }).await;
    assert_eq!(totals(&app, &token).await, want, "seed {seed}: a replay changed the totals");

    // Counted again from scratch: the same.
    app.server.contexts.inventory.recompute(&user_id).await.unwrap();
    assert_eq!(totals(&app, &token).await, want, "seed {seed}: a recompute changed the totals");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM event_failures").await, 0);

    // Usage lost, then counted again by the command and by the job a worker runs.
    let email: String =
        sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(&user_id).fetch_one(pool).await.unwrap();
    let forget = || async {
        sqlx::query("DELETE FROM equipment_usage WHERE user_id = $1").bind(&user_id).execute(pool).await.unwrap();
        let left = format!("SELECT COUNT(*) FROM equipment_usage WHERE user_id = '{user_id}'");
        assert_eq!(count(&app, &left).await, 0, "the usage is gone");
    };
    forget().await;
    let recomputed = std::process::Command::new(env!("CARGO_BIN_EXE_athlos"))
        .args(["inventory", "recompute", "--user", &email])
        .envs(app.env.child_env())
        .output()
        .unwrap();
    assert!(recomputed.status.success(), "{}", String::from_utf8_lossy(&recomputed.stderr));
    assert_eq!(totals(&app, &token).await, want, "seed {seed}: athlos inventory recompute");
    forget().await;
    let queued = std::process::Command::new(env!("CARGO_BIN_EXE_athlos"))
        .args(["inventory", "recompute", "--queue"])
        .envs(app.env.child_env())
        .output()
        .unwrap();
    assert!(queued.status.success(), "{}", String::from_utf8_lossy(&queued.stderr));
    assert!(String::from_utf8_lossy(&queued.stdout).contains("Queued as job"));
    eventually("the worker's recompute", PATIENCE, || async { totals(&app, &token).await == want }).await;
}

async fn worn_notices(app: &TestApp, token: &str) -> Vec<Value> {
    let page: Value = app.get_as(token, "/api/v1/notifications?limit=100").await.json().await.unwrap();
    page["items"].as_array().unwrap().iter().filter(|n| n["kind"] == "equipment_worn").cloned().collect()
}

async fn run(app: &TestApp, token: &str, km: f64, items: &[&str], sport: &str) -> String {
    let body = json!({ "sport": sport, "started_at": "2026-11-20T07:00:00Z", "duration_s": 3600,
        "distance_m": km * 1000.0, "equipment_ids": items });
    let made = app.post_as(token, "/api/v1/workouts", body).await;
    assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());
    made.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

async fn distance_is(app: &TestApp, token: &str, id: &str, km: f64) {
    eventually(&format!("{km} km on {id}"), PATIENCE, || async {
        totals(app, token).await.get(id).is_some_and(|t| t[0] == km * 1000.0)
    })
    .await;
}

async fn a_threshold_is_announced_once_and_again_only_when_raised_or_replaced(backend: Backend, bus: Bus) {
    let app = app_on(backend, bus).await;
    let (token, me) = person(&app).await;
    // What is not announced is checked once every notice asked so far is in.
    let settled = || support::notices_settled(&app, &token, &me);
    let shoes = item(&app, &token, json!({ "kind": "shoes", "nickname": "Blue", "threshold_m": 10000 })).await;

    run(&app, &token, 6.0, &[&shoes], "running").await;
    distance_is(&app, &token, &shoes, 6.0).await;
    settled().await;
    assert!(worn_notices(&app, &token).await.is_empty(), "not yet at the threshold");

    let crossing = run(&app, &token, 4.0, &[&shoes], "running").await;
    eventually("one notice at the threshold", PATIENCE, || async { worn_notices(&app, &token).await.len() == 1 }).await;
    let notice = &worn_notices(&app, &token).await[0];
    assert_eq!(notice["data"]["equipment_id"], json!(shoes));
    assert_eq!(notice["data"]["threshold_m"], json!(10000.0));

    // Below the threshold and back over it: the same threshold is not announced again.
    let back = json!({ "distance_m": 1000.0 });
    assert_eq!(app.patch_as(&token, &format!("/api/v1/workouts/{crossing}"), back).await.status(), 200);
    distance_is(&app, &token, &shoes, 7.0).await;
    run(&app, &token, 5.0, &[&shoes], "running").await;
    distance_is(&app, &token, &shoes, 12.0).await;
    settled().await;
    assert_eq!(worn_notices(&app, &token).await.len(), 1);

    // Raised: armed again, and announced when crossed.
    let raised = app.patch_as(&token, &format!("/api/v1/equipment/{shoes}"), json!({ "threshold_m": 15000 })).await;
    assert_eq!(raised.status(), 200);
    settled().await;
    assert_eq!(worn_notices(&app, &token).await.len(), 1);
    run(&app, &token, 3.0, &[&shoes], "running").await;
    eventually("a second notice past the raised one", PATIENCE, || async {
        worn_notices(&app, &token).await.len() == 2
    })
    .await;

    // Lowered below the one announced: the person already knows, nothing new is said.
    let lowered = app.patch_as(&token, &format!("/api/v1/equipment/{shoes}"), json!({ "threshold_m": 12000 })).await;
    assert_eq!(lowered.status(), 200);
    run(&app, &token, 1.0, &[&shoes], "running").await;
    distance_is(&app, &token, &shoes, 16.0).await;
    settled().await;
    assert_eq!(worn_notices(&app, &token).await.len(), 2, "a lowered threshold is not announced again");

    // A part: announced once; its replacement starts again from zero.
    let bike = item(&app, &token, json!({ "kind": "bike", "nickname": "Commuter" })).await;
    let chain = json!({ "kind": "chain", "threshold_m": 5000, "installed_at": "2026-01-01T00:00:00Z" });
    let chain = app.post_as(&token, &format!("/api/v1/equipment/{bike}/components"), chain).await;
    assert_eq!(chain.status(), 201);
    let chain = chain.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    run(&app, &token, 6.0, &[&bike], "cycling").await;
    eventually("the chain announced", PATIENCE, || async { worn_notices(&app, &token).await.len() == 3 }).await;
    run(&app, &token, 6.0, &[&bike], "cycling").await;
    distance_is(&app, &token, &bike, 12.0).await;
    settled().await;
    assert_eq!(worn_notices(&app, &token).await.len(), 3, "the same chain is not announced twice");
    let path = format!("/api/v1/equipment/{bike}/components/{chain}/replacement");
    let new_chain = app.post_as(&token, &path, json!({ "installed_at": "2026-11-21T00:00:00Z" })).await;
    assert_eq!(new_chain.status(), 201);
    let new_chain: Value = new_chain.json().await.unwrap();
    assert_eq!(new_chain["usage"]["distance_m"], json!(0.0), "the new chain starts at zero");
    let later = json!({ "sport": "cycling", "started_at": "2026-11-22T07:00:00Z", "duration_s": 3600,
        "distance_m": 5000.0, "equipment_ids": [bike] });
    assert_eq!(app.post_as(&token, "/api/v1/workouts", later).await.status(), 201);
    eventually("the new chain announced", PATIENCE, || async { worn_notices(&app, &token).await.len() == 4 }).await;
    let bike_now: Value = app.get_as(&token, &format!("/api/v1/equipment/{bike}")).await.json().await.unwrap();
    let old = bike_now["components"].as_array().unwrap().iter().find(|c| c["id"] == json!(chain)).unwrap().clone();
    assert_eq!(old["usage"]["distance_m"], json!(12000.0), "the old chain keeps its history");
    assert_eq!(old["replaced_by"], new_chain["id"]);

    // A part fitted with a date in the past, whose item has gone past its
    // threshold since then, is announced as it is fitted.
    let parts = format!("/api/v1/equipment/{bike}/components");
    let cassette = json!({ "kind": "cassette", "threshold_m": 10000, "installed_at": "2026-01-01T00:00:00Z" });
    assert_eq!(app.post_as(&token, &parts, cassette).await.status(), 201);
    eventually("the cassette announced as fitted", PATIENCE, || async { worn_notices(&app, &token).await.len() == 5 })
        .await;
    // A part's threshold lowered below its distance is announced at once; the others' are not again.
    let tyre = json!({ "kind": "tyre", "threshold_m": 100000, "installed_at": "2026-01-01T00:00:00Z" });
    let tyre = app.post_as(&token, &parts, tyre).await;
    assert_eq!(tyre.status(), 201);
    settled().await;
    assert_eq!(worn_notices(&app, &token).await.len(), 5, "the tyre is far from its threshold");
    let tyre = tyre.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let lowered = app.patch_as(&token, &format!("{parts}/{tyre}"), json!({ "threshold_m": 15000 })).await;
    assert_eq!(lowered.status(), 200);
    eventually("the tyre announced", PATIENCE, || async { worn_notices(&app, &token).await.len() == 6 }).await;
    settled().await;
    assert_eq!(worn_notices(&app, &token).await.len(), 6, "each announced once");
    let parts_told: Vec<Value> =
        worn_notices(&app, &token).await.iter().map(|n| n["data"]["component_id"].clone()).collect();
    assert_eq!(parts_told.iter().filter(|id| **id == json!(tyre)).count(), 1);
}

on_every_bus_and_database!(
    totals_equal_the_sum_over_trainings_whatever_happens,
    a_threshold_is_announced_once_and_again_only_when_raised_or_replaced
);
