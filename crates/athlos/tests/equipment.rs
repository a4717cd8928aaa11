//! A person's equipment through the API, as its owner and as an attacker:
//! items and their parts from creation to deletion, every field checked,
//! offline creates sent twice, nobody reaching another's items or putting
//! them on a training, defaults for new trainings, usage counted from the
//! trainings' events, photos, the export and the erasure, and gear read
//! from a Strava archive. On SQLite and PostgreSQL, and what follows
//! events on each bus.

mod support;

use std::io::{Read, Write};
use std::time::Duration;

use platform::db::{now_ms, rfc3339};
use serde_json::{json, Value};
use support::bus::{app_on, Bus};
use support::{changes_to, corpus_file, events_about, eventually, expect_problem, striped_png, Backend, TestApp};

on_every_database!(
    an_item_is_added_read_listed_changed_and_deleted,
    every_field_is_checked_and_a_refused_change_changes_nothing,
    lists_show_active_or_retired_items_and_retiring_ends_defaults,
    an_offline_create_sent_twice_makes_one_item,
    another_persons_item_is_not_found_on_any_route,
    only_ones_own_equipment_goes_on_a_training,
    a_new_training_gets_its_sports_defaults_unless_it_chooses,
    parts_are_added_replaced_and_deleted_with_their_own_usage,
    a_photo_is_kept_as_jpeg_and_bad_ones_are_refused,
);

// What follows training's events runs on every bus as well.
on_every_bus_and_database!(
    usage_is_counted_from_trainings_and_by_month,
    a_deleted_item_leaves_its_trainings,
    equipment_is_exported_and_erased_with_the_account,
    gear_named_in_a_strava_archive_becomes_one_item,
);

const EQUIPMENT: &str = "/api/v1/equipment";
const LAKE: &str = "gpx/cerknicko-jezero.gpx";
const DAY_MS: i64 = 86_400_000;
const PATIENCE: Duration = Duration::from_secs(20);

fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_string()
}

fn item_path(item: &Value) -> String {
    format!("{EQUIPMENT}/{}", id(item))
}

/// An instant `offset_ms` from now, as the API writes instants.
fn at(offset_ms: i64) -> String {
    rfc3339(now_ms() + offset_ms)
}

async fn add(app: &TestApp, token: &str, body: Value) -> Value {
    let created = app.post_as(token, EQUIPMENT, body).await;
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
    created.json().await.unwrap()
}

async fn read(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get_as(token, path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

async fn listed(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let items = read(app, token, &format!("{EQUIPMENT}{query}")).await;
    items.as_array().unwrap().iter().map(|item| item["name"].as_str().unwrap().to_string()).collect()
}

/// A 422 naming `field`.
async fn refused_on(response: reqwest::Response, field: &str) {
    let problem = expect_problem(response, 422, "invalid-input").await;
    assert_eq!(problem["field"], field, "{problem}");
}

async fn log(app: &TestApp, token: &str, body: Value) -> Value {
    let logged = app.post_as(token, "/api/v1/workouts", body).await;
    assert_eq!(logged.status(), 201, "{}", logged.text().await.unwrap());
    logged.json().await.unwrap()
}

fn training(sport: &str, started_at: &str, km: f64) -> Value {
    json!({ "sport": sport, "started_at": started_at, "duration_s": km * 300.0, "distance_m": km * 1000.0 })
}

fn with_equipment(mut body: Value, items: &[&Value]) -> Value {
    body["equipment_ids"] = json!(items.iter().map(|item| id(item)).collect::<Vec<_>>());
    body
}

async fn equipment_of_workout(app: &TestApp, token: &str, workout: &Value) -> Value {
    read(app, token, &format!("/api/v1/workouts/{}", id(workout))).await["equipment_ids"].clone()
}

/// Waits until the item has counted `trainings` trainings, and returns it.
async fn counted(app: &TestApp, token: &str, item: &Value, trainings: i64) -> Value {
    let path = item_path(item);
    eventually(&format!("{trainings} trainings counted"), PATIENCE, || async {
        read(app, token, &path).await["usage"]["trainings"] == trainings
    })
    .await;
    read(app, token, &path).await
}

async fn an_item_is_added_read_listed_changed_and_deleted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("owner").await;
    let body = json!({
        "kind": "shoes", "brand": " Asics ", "model": "Novablast 4", "purchased_on": "2026-03-01",
        "price": 140.0, "currency": "EUR", "sports": ["running"], "notes": "Wide\nfit"
    });
    let created = app.post_as(&token, EQUIPMENT, body).await;
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_string();
    let shoes: Value = created.json().await.unwrap();
    assert_eq!(location, item_path(&shoes));
    assert_eq!((shoes["brand"].as_str(), shoes["name"].as_str()), (Some("Asics"), Some("Asics Novablast 4")));
    assert_eq!(shoes["threshold_m"].as_f64(), Some(700_000.0), "shoes warn at 700 km unless told");
    assert_eq!((shoes["worn"].as_f64(), shoes["usage"]["trainings"].as_i64()), (Some(0.0), Some(0)));
    assert_eq!((shoes["photo"].clone(), shoes["retired_on"].clone()), (json!(false), Value::Null));
    assert_eq!((shoes["components"].clone(), shoes["default_for"].clone()), (json!([]), json!([])));
    assert_eq!(read(&app, &token, &location).await, shoes);

    let bike = add(&app, &token, json!({ "kind": "bike", "nickname": "Commuter" })).await;
    assert_eq!((bike["threshold_m"].clone(), bike["worn"].clone()), (Value::Null, Value::Null), "bikes wear by parts");
    assert_eq!(listed(&app, &token, "").await, ["Commuter", "Asics Novablast 4"], "newest first");

    let changes = json!({ "nickname": "Blue ones", "price": null, "threshold_m": 800000 });
    let changed = app.patch_as(&token, &location, changes).await;
    assert_eq!(changed.status(), 200);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!((changed["name"].as_str(), changed["price"].clone()), (Some("Blue ones"), Value::Null));
    assert_eq!((changed["currency"].as_str(), changed["brand"].as_str()), (Some("EUR"), Some("Asics")), "kept");
    assert_eq!(changed["threshold_m"].as_f64(), Some(800_000.0));
    assert_eq!(read(&app, &token, &location).await, changed);
    let unnamed: Value = app.patch_as(&token, &location, json!({ "nickname": "" })).await.json().await.unwrap();
    assert_eq!(unnamed["name"], "Asics Novablast 4", "without a nickname, brand and model");

    let deleted = app.delete_as(&token, &location, json!({})).await;
    assert_eq!(deleted.status(), 204);
    expect_problem(app.get_as(&token, &location).await, 404, "not-found").await;
    expect_problem(app.delete_as(&token, &location, json!({})).await, 404, "not-found").await;
    assert_eq!(listed(&app, &token, "").await, ["Commuter"]);
    assert_eq!(changes_to(&app, &id(&shoes)).await, ["created", "updated", "updated", "deleted"]);
    assert_eq!(events_about(&app, &id(&shoes)).await, ["EquipmentDeleted"]);
    expect_problem(app.get(EQUIPMENT).await, 401, "unauthenticated").await;
}

/// Bodies refused on create, each with the field it names.
fn bad_new_items() -> Vec<(Value, &'static str)> {
    let long = "x".repeat(101);
    let named = |extra: Value| {
        let mut body = json!({ "kind": "shoes", "nickname": "Blue" });
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    vec![
        (named(json!({ "brand": long })), "brand"),
        (named(json!({ "brand": format!("{} ", "x".repeat(100)) })), "brand"),
        (named(json!({ "model": long })), "model"),
        (named(json!({ "nickname": long })), "nickname"),
        (json!({ "kind": "shoes" }), "nickname"),
        (json!({ "kind": "shoes", "brand": "  ", "model": "", "nickname": " " }), "nickname"),
        (named(json!({ "notes": "x".repeat(2001) })), "notes"),
        (named(json!({ "purchased_on": "2026-02-30" })), "purchased_on"),
        (named(json!({ "purchased_on": "1969-12-31" })), "purchased_on"),
        (named(json!({ "purchased_on": "2999-01-01" })), "purchased_on"),
        (named(json!({ "purchased_on": "last spring" })), "purchased_on"),
        (named(json!({ "price": -1.0 })), "price"),
        (named(json!({ "price": 1_000_001.0 })), "price"),
        (named(json!({ "currency": "eur" })), "currency"),
        (named(json!({ "currency": "EURO" })), "currency"),
        (named(json!({ "sports": ["running", "quidditch"] })), "sports"),
        (named(json!({ "sports": vec!["running"; 21] })), "sports"),
        (named(json!({ "default_for": ["quidditch"] })), "default_for"),
        (named(json!({ "threshold_m": 0 })), "threshold_m"),
        (named(json!({ "threshold_m": -5 })), "threshold_m"),
        (named(json!({ "threshold_m": 100_000_001.0 })), "threshold_m"),
        (named(json!({ "kind": "hoverboard" })), "kind"),
        (named(json!({ "colour": "blue" })), "colour"),
        (json!({ "nickname": "Blue" }), "kind"),
        (named(json!({ "id": "not-a-uuid" })), "id"),
        (named(json!({ "id": uuid::Uuid::now_v7().simple().to_string() })), "id"),
        (json!(["shoes", null, null, "Blue"]), "body"),
        (named(json!({ "brand": "Asics\u{0}" })), "brand"),
        (named(json!({ "notes": "\u{1b}[2J" })), "notes"),
        (named(json!({ "sports": ["run\u{7}ning"] })), "sports[0]"),
    ]
}

/// Changes refused on an item, each with the field it names.
fn bad_changes() -> Vec<(Value, &'static str)> {
    vec![
        (json!({ "brand": "x".repeat(101) }), "brand"),
        (json!({ "nickname": "", "brand": "", "model": "" }), "nickname"),
        (json!({ "purchased_on": "2026-13-01" }), "purchased_on"),
        (json!({ "price": -0.01 }), "price"),
        (json!({ "currency": "eu" }), "currency"),
        (json!({ "sports": ["quidditch"] }), "sports"),
        (json!({ "default_for": ["quidditch"] }), "default_for"),
        (json!({ "threshold_m": 0 }), "threshold_m"),
        (json!({ "kind": "hoverboard" }), "kind"),
        (json!({ "colour": "blue" }), "colour"),
        (json!({ "nickname": "Bell\u{7}" }), "nickname"),
    ]
}

async fn every_field_is_checked_and_a_refused_change_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("careless").await;
    for (body, field) in bad_new_items() {
        refused_on(app.post_as(&token, EQUIPMENT, body).await, field).await;
    }
    assert_eq!(listed(&app, &token, "?state=all").await, Vec::<String>::new(), "nothing refused was kept");
    // A hundred characters are characters, not bytes.
    let longest = add(&app, &token, json!({ "kind": "shoes", "nickname": "é".repeat(100) })).await;
    assert_eq!(longest["nickname"].as_str().unwrap().chars().count(), 100);

    let path = item_path(&longest);
    for (changes, field) in bad_changes() {
        refused_on(app.patch_as(&token, &path, changes).await, field).await;
    }
    let refused = app.post_as(&token, &format!("{path}/retirement"), json!({ "retired_on": "2026-02-30" })).await;
    refused_on(refused, "retired_on").await;
    assert_eq!(read(&app, &token, &path).await, longest, "no refused change touched the item");
    // Not retired before it was bought.
    let bought = add(&app, &token, json!({ "kind": "bike", "nickname": "Old", "purchased_on": "2024-05-01" })).await;
    let early = json!({ "retired_on": "2024-04-30" });
    refused_on(app.post_as(&token, &format!("{}/retirement", item_path(&bought)), early).await, "retired_on").await;
    assert_eq!(read(&app, &token, &item_path(&bought)).await["retired_on"], Value::Null);

    let parts = format!("{path}/components");
    for (part, field) in [
        (json!({ "kind": "sprocket" }), "kind"),
        (json!({ "kind": "chain", "threshold_m": 0 }), "threshold_m"),
        (json!({ "kind": "chain", "installed_at": "yesterday" }), "installed_at"),
        (json!({ "kind": "chain", "name": "x".repeat(101) }), "name"),
    ] {
        refused_on(app.post_as(&token, &parts, part).await, field).await;
    }
    assert_eq!(read(&app, &token, &path).await["components"], json!([]));
    for months in ["0", "121"] {
        refused_on(app.get_as(&token, &format!("{path}/usage?months={months}")).await, "months").await;
    }
    let settings = format!("{EQUIPMENT}/settings");
    for (body, field) in [
        (json!({ "promotions": true, "region": "de" }), "region"),
        (json!({ "promotions": true, "region": "DEU" }), "region"),
        (json!({ "region": "DE" }), "promotions"),
    ] {
        refused_on(app.put_as(&token, &settings, body).await, field).await;
    }
    assert_eq!(read(&app, &token, &settings).await, json!({ "promotions": true, "region": null }));
}

async fn lists_show_active_or_retired_items_and_retiring_ends_defaults(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("retiring").await;
    let old = add(&app, &token, json!({ "kind": "shoes", "nickname": "Old", "default_for": ["running"] })).await;
    assert_eq!(old["default_for"], json!(["running"]));
    let trail = add(&app, &token, json!({ "kind": "shoes", "nickname": "Trail" })).await;
    let bike = add(&app, &token, json!({ "kind": "bike", "nickname": "Bike", "default_for": ["running"] })).await;
    assert_eq!(read(&app, &token, &item_path(&old)).await["default_for"], json!(["running"]), "one per kind");

    let retirement = format!("{}/retirement", item_path(&old));
    let retired: Value =
        app.post_as(&token, &retirement, json!({ "retired_on": "2025-12-31" })).await.json().await.unwrap();
    assert_eq!((retired["retired_on"].as_str(), retired["default_for"].clone()), (Some("2025-12-31"), json!([])));
    assert_eq!(listed(&app, &token, "").await, ["Bike", "Trail"]);
    assert_eq!(listed(&app, &token, "?state=active").await, ["Bike", "Trail"]);
    assert_eq!(listed(&app, &token, "?state=retired").await, ["Old"]);
    assert_eq!(listed(&app, &token, "?state=all").await, ["Bike", "Trail", "Old"]);
    expect_problem(app.get_as(&token, &format!("{EQUIPMENT}?state=broken")).await, 400, "bad-request").await;

    // A run now gets the bike, not the retired shoes; old runs may still name them.
    let run = log(&app, &token, training("running", &at(-DAY_MS), 5.0)).await;
    assert_eq!(run["equipment_ids"], json!([id(&bike)]));
    let old_run = log(&app, &token, with_equipment(training("running", "2025-06-01T07:00:00Z", 8.0), &[&old])).await;
    assert_eq!(old_run["equipment_ids"], json!([id(&old)]));
    refused_on(app.patch_as(&token, &item_path(&old), json!({ "default_for": ["running"] })).await, "default_for")
        .await;

    let back = app.client.delete(app.url(&format!("{}/retirement", item_path(&old)))).bearer_auth(&token);
    let back: Value = back.send().await.unwrap().json().await.unwrap();
    assert_eq!((back["retired_on"].clone(), back["default_for"].clone()), (Value::Null, json!([])));
    assert_eq!(listed(&app, &token, "").await, ["Bike", "Trail", "Old"]);

    // Retiring without a date retires today.
    let before = at(0)[..10].to_string();
    let today: Value =
        app.post_as(&token, &format!("{}/retirement", item_path(&trail)), json!({})).await.json().await.unwrap();
    let on = today["retired_on"].as_str().unwrap();
    assert!(on == before || on == &at(0)[..10], "{on}");
}

async fn an_offline_create_sent_twice_makes_one_item(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (alice, _) = app.someone("offline").await;
    let (bob, _) = app.someone("guesser").await;
    let chosen = uuid::Uuid::now_v7();
    let body = json!({ "id": chosen.to_string(), "kind": "shoes", "nickname": "Made on the train" });
    let first = app.post_as(&alice, EQUIPMENT, body.clone()).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["id"], chosen.to_string());
    let again = app.post_as(&alice, EQUIPMENT, body.clone()).await;
    assert_eq!(again.status(), 200, "a retried create finds the item it made");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let mut shouted = body.clone();
    shouted["id"] = json!(chosen.to_string().to_uppercase());
    shouted["nickname"] = json!("Changed meanwhile");
    let shouted = app.post_as(&alice, EQUIPMENT, shouted).await;
    assert_eq!(shouted.status(), 200, "the same UUID, however written");
    assert_eq!(shouted.json::<Value>().await.unwrap(), first);
    assert_eq!(listed(&app, &alice, "").await, ["Made on the train"]);

    // Someone else's id is taken, without a look at the item.
    let taken = expect_problem(app.post_as(&bob, EQUIPMENT, body).await, 409, "conflict").await;
    assert!(!taken.to_string().contains("Made on the train"), "{taken}");
    assert_eq!(listed(&app, &bob, "?state=all").await, Vec::<String>::new());
    assert_eq!(read(&app, &alice, &item_path(&first)).await, first);
}

/// Every route that reaches one item or one of its parts, with a body where it takes one.
fn routes_to(item: &str, part: &str) -> Vec<(reqwest::Method, String, Option<Value>)> {
    use reqwest::Method;
    let part_path = format!("{item}/components/{part}");
    vec![
        (Method::GET, item.to_string(), None),
        (Method::PATCH, item.to_string(), Some(json!({ "nickname": "Mine now" }))),
        (Method::DELETE, item.to_string(), None),
        (Method::POST, format!("{item}/retirement"), Some(json!({}))),
        (Method::DELETE, format!("{item}/retirement"), None),
        (Method::GET, format!("{item}/photo"), None),
        (Method::DELETE, format!("{item}/photo"), None),
        (Method::GET, format!("{item}/usage"), None),
        (Method::POST, format!("{item}/components"), Some(json!({ "kind": "chain" }))),
        (Method::PATCH, part_path.clone(), Some(json!({ "name": "Mine now" }))),
        (Method::POST, format!("{part_path}/replacement"), Some(json!({}))),
        (Method::DELETE, part_path, None),
    ]
}

async fn send(
    app: &TestApp,
    token: &str,
    (method, path, body): (reqwest::Method, String, Option<Value>),
) -> reqwest::Response {
    let request = app.client.request(method, app.url(&path)).bearer_auth(token);
    let request = match body {
        Some(body) => request.json(&body),
        None => request,
    };
    request.send().await.unwrap()
}

async fn another_persons_item_is_not_found_on_any_route(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (alice, _) = app.someone("alice").await;
    let (bob, _) = app.someone("bob").await;
    let bike = add(&app, &alice, json!({ "kind": "bike", "nickname": "Alice's bike" })).await;
    let chain = app.post_as(&alice, &format!("{}/components", item_path(&bike)), json!({ "kind": "chain" })).await;
    let chain: Value = chain.json().await.unwrap();
    assert_eq!(put_photo(&app, &alice, &bike, "image/png", striped_png(64, 64)).await.status(), 200);
    let before = read(&app, &alice, &item_path(&bike)).await;
    let own = add(&app, &bob, json!({ "kind": "bike", "nickname": "Bob's bike" })).await;

    let made_up = format!("{EQUIPMENT}/{}", uuid::Uuid::now_v7());
    let mut routes = routes_to(&item_path(&bike), &id(&chain));
    routes.extend(routes_to(&made_up, &id(&chain)));
    // Alice's part reached through Bob's own item.
    routes.extend(
        routes_to(&item_path(&own), &id(&chain)).into_iter().filter(|(_, path, _)| path.contains("/components/")),
    );
    for route in routes {
        let what = format!("{} {}", route.0, route.1);
        let problem = expect_problem(send(&app, &bob, route).await, 404, "not-found").await;
        assert!(!problem.to_string().contains("Alice"), "{what}: {problem}");
    }
    let photo = app.put_bytes_as(&bob, &format!("{}/photo", item_path(&bike)), "image/png", striped_png(8, 8)).await;
    expect_problem(photo, 404, "not-found").await;
    assert_eq!(read(&app, &alice, &item_path(&bike)).await, before, "nothing of Alice's changed");
    assert_eq!(listed(&app, &bob, "?state=all").await, ["Bob's bike"]);
}

async fn only_ones_own_equipment_goes_on_a_training(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (alice, me) = app.someone("alice").await;
    let (bob, _) = app.someone("bob").await;
    let mine = add(&app, &alice, json!({ "kind": "shoes", "nickname": "Mine" })).await;
    let bobs = add(&app, &bob, json!({ "kind": "shoes", "nickname": "Bob's" })).await;
    let gone = add(&app, &alice, json!({ "kind": "shoes", "nickname": "Gone" })).await;
    assert_eq!(app.delete_as(&alice, &item_path(&gone), json!({})).await.status(), 204);
    let made_up = json!({ "id": uuid::Uuid::now_v7().to_string() });
    let run = || training("running", "2026-06-01T07:00:00Z", 5.0);

    let mut details = Vec::new();
    for items in [vec![&bobs], vec![&made_up], vec![&gone], vec![&mine, &bobs]] {
        let refused = app.post_as(&alice, "/api/v1/workouts", with_equipment(run(), &items)).await;
        let problem = expect_problem(refused, 422, "invalid-input").await;
        assert_eq!(problem["field"], "equipment_ids");
        let foreign = id(items.last().unwrap());
        details.push(problem["detail"].as_str().unwrap().replace(&foreign, "…"));
    }
    details.dedup();
    assert_eq!(details.len(), 1, "the same answer whether the item exists or not: {details:?}");

    let workout = log(&app, &alice, with_equipment(run(), &[&mine])).await;
    let path = format!("/api/v1/workouts/{}", id(&workout));
    for items in [vec![&bobs], vec![&made_up]] {
        refused_on(
            app.patch_as(&alice, &path, with_equipment(json!({ "title": "Taken" }), &items)).await,
            "equipment_ids",
        )
        .await;
    }
    let unchanged = read(&app, &alice, &path).await;
    assert_eq!(
        (unchanged["equipment_ids"].clone(), unchanged["title"].clone()),
        (json!([id(&mine)]), workout["title"].clone())
    );

    let both = format!("{},{}", id(&mine), id(&bobs));
    let upload = app.upload_as(&alice, "lake.gpx", corpus_file(LAKE), &[("equipment_ids", &both)]).await;
    refused_on(upload, "equipment_ids").await;
    let page = read(&app, &alice, "/api/v1/workouts").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1, "only the training logged with her own shoes");
    assert!(app.stored_files(&format!("users/{me}/training")).await.is_empty(), "the refused upload left no file");
}

async fn a_new_training_gets_its_sports_defaults_unless_it_chooses(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("defaults").await;
    let shoes = add(&app, &token, json!({ "kind": "shoes", "nickname": "Daily", "default_for": ["running"] })).await;
    let bike = add(&app, &token, json!({ "kind": "bike", "nickname": "Road", "default_for": ["cycling"] })).await;

    let run = log(&app, &token, training("running", "2026-06-01T07:00:00Z", 10.0)).await;
    assert_eq!(run["equipment_ids"], json!([id(&shoes)]));
    let mut chosen_none = training("running", "2026-06-02T07:00:00Z", 10.0);
    chosen_none["equipment_ids"] = json!([]);
    assert_eq!(log(&app, &token, chosen_none).await["equipment_ids"], json!([]), "[] means none");
    let ride = log(&app, &token, training("cycling", "2026-06-03T07:00:00Z", 40.0)).await;
    assert_eq!(ride["equipment_ids"], json!([id(&bike)]), "a ride does not get running shoes");
    let yoga = json!({ "sport": "yoga", "started_at": "2026-06-04T07:00:00Z", "duration_s": 1800 });
    assert_eq!(log(&app, &token, yoga).await["equipment_ids"], json!([]));

    let uploaded = app.upload_as(&token, "lake.gpx", corpus_file(LAKE), &[("sport", "running")]).await;
    assert_eq!(uploaded.status(), 201);
    assert_eq!(uploaded.json::<Value>().await.unwrap()["equipment_ids"], json!([id(&shoes)]));
    let run_file = corpus_file("fit/garmin-fenix-5-run.fit");
    let without = app.upload_as(&token, "run.fit", run_file, &[("sport", "running"), ("equipment_ids", "")]).await;
    assert_eq!(without.status(), 201);
    assert_eq!(without.json::<Value>().await.unwrap()["equipment_ids"], json!([]), "an empty field means none");
}

async fn usage_is_counted_from_trainings_and_by_month(backend: Backend, bus: Bus) {
    let app = app_on(backend, bus).await;
    let (token, _) = app.someone("counted").await;
    let shoes = add(&app, &token, json!({ "kind": "shoes", "nickname": "Counted" })).await;
    let mut recent = with_equipment(training("running", &at(-60_000), 10.0), &[&shoes]);
    recent["elevation_gain_m"] = json!(50.0);
    let recent = log(&app, &token, recent).await;
    let earlier = log(&app, &token, with_equipment(training("running", &at(-40 * DAY_MS), 5.0), &[&shoes])).await;
    let oldest = log(&app, &token, with_equipment(training("running", &at(-200 * DAY_MS), 2.0), &[&shoes])).await;
    log(&app, &token, training("cycling", &at(-DAY_MS), 30.0)).await;

    let shoes = counted(&app, &token, &shoes, 3).await;
    let usage = &shoes["usage"];
    assert_eq!((usage["distance_m"].as_f64(), usage["moving_s"].as_f64()), (Some(17_000.0), Some(5100.0)));
    assert_eq!(usage["elevation_m"].as_f64(), Some(50.0));
    assert_eq!((&usage["first_used_at"], &usage["last_used_at"]), (&oldest["started_at"], &recent["started_at"]));
    assert_eq!(shoes["worn"].as_f64(), Some(17_000.0 / 700_000.0));

    let months = read(&app, &token, &format!("{}/usage?months=3", item_path(&shoes))).await;
    let months = months.as_array().unwrap();
    let names: Vec<&str> = months.iter().map(|m| m["month"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 3);
    assert!(names.windows(2).all(|pair| pair[0] < pair[1]), "oldest first: {names:?}");
    assert_eq!(names[2], &at(0)[..7], "this month last");
    let month_of = |workout: &Value| months.iter().find(|m| m["month"] == workout["started_at"].as_str().unwrap()[..7]);
    let this = month_of(&recent).expect("the recent run's month");
    assert_eq!((this["distance_m"].as_f64(), this["trainings"].as_i64()), (Some(10_000.0), Some(1)));
    assert_eq!(month_of(&earlier).expect("the earlier run's month")["distance_m"].as_f64(), Some(5000.0));
    assert!(month_of(&oldest).is_none(), "200 days ago is before the last three months");
    let year = read(&app, &token, &format!("{}/usage", item_path(&shoes))).await;
    assert_eq!(year.as_array().unwrap().len(), 12, "a year unless asked");
    let total: f64 = year.as_array().unwrap().iter().map(|m| m["distance_m"].as_f64().unwrap()).sum();
    assert_eq!(total, 17_000.0);
}

/// Sends `bytes` as the item's photo, as `content_type`.
async fn put_photo(app: &TestApp, token: &str, item: &Value, content_type: &str, bytes: Vec<u8>) -> reqwest::Response {
    app.put_bytes_as(token, &format!("{}/photo", item_path(item)), content_type, bytes).await
}

async fn add_part(app: &TestApp, token: &str, item: &Value, body: Value) -> Value {
    let added = app.post_as(token, &format!("{}/components", item_path(item)), body).await;
    assert_eq!(added.status(), 201, "{}", added.text().await.unwrap());
    added.json().await.unwrap()
}

fn part_of<'a>(item: &'a Value, part: &Value) -> &'a Value {
    item["components"].as_array().unwrap().iter().find(|c| c["id"] == part["id"]).expect("the part on its item")
}

async fn parts_are_added_replaced_and_deleted_with_their_own_usage(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("mechanic").await;
    let bike = add(&app, &token, json!({ "kind": "bike", "nickname": "Gravel" })).await;
    let fitted = at(-100 * DAY_MS);
    let chain = add_part(&app, &token, &bike, json!({ "kind": "chain", "installed_at": fitted })).await;
    assert_eq!(
        (chain["threshold_m"].as_f64(), chain["installed_at"].as_str()),
        (Some(3_000_000.0), Some(fitted.as_str()))
    );
    assert_eq!((chain["removed_at"].clone(), chain["usage"]["trainings"].as_i64()), (Value::Null, Some(0)));
    let tyre = add_part(&app, &token, &bike, json!({ "kind": "tyre", "name": "Front", "installed_at": fitted })).await;
    assert_eq!(tyre["threshold_m"].as_f64(), Some(5_000_000.0));
    let battery = add_part(&app, &token, &bike, json!({ "kind": "battery" })).await;
    assert_eq!(battery["threshold_m"], Value::Null, "batteries have no distance to wear out");
    let pads = add_part(&app, &token, &bike, json!({ "kind": "brake_pads", "threshold_m": null })).await;
    assert_eq!(pads["threshold_m"], Value::Null, "null: never warn");

    log(&app, &token, with_equipment(training("cycling", &at(-50 * DAY_MS), 20.0), &[&bike])).await;
    let ridden = counted(&app, &token, &bike, 1).await;
    assert_eq!(part_of(&ridden, &chain)["usage"]["distance_m"].as_f64(), Some(20_000.0));
    assert_eq!(part_of(&ridden, &battery)["usage"]["trainings"].as_i64(), Some(0), "fitted after that ride");

    let swapped = at(-10 * DAY_MS);
    let replace = format!("{}/components/{}/replacement", item_path(&bike), id(&chain));
    let new_chain = app.post_as(&token, &replace, json!({ "installed_at": swapped })).await;
    assert_eq!(new_chain.status(), 201);
    let new_chain: Value = new_chain.json().await.unwrap();
    assert_eq!((new_chain["kind"].as_str(), new_chain["threshold_m"].as_f64()), (Some("chain"), Some(3_000_000.0)));
    assert_eq!(
        (new_chain["installed_at"].as_str(), new_chain["usage"]["trainings"].as_i64()),
        (Some(swapped.as_str()), Some(0))
    );
    let now = read(&app, &token, &item_path(&bike)).await;
    let old_chain = part_of(&now, &chain);
    assert_eq!(
        (old_chain["removed_at"].as_str(), old_chain["replaced_by"].clone()),
        (Some(swapped.as_str()), new_chain["id"].clone())
    );
    assert_eq!(old_chain["usage"]["distance_m"].as_f64(), Some(20_000.0), "the old part keeps its counters");
    assert_eq!(now["components"].as_array().unwrap().last().unwrap()["id"], chain["id"], "replaced parts come last");
    expect_problem(app.post_as(&token, &replace, json!({})).await, 409, "conflict").await;
    let backwards = format!("{}/components/{}/replacement", item_path(&bike), id(&new_chain));
    refused_on(app.post_as(&token, &backwards, json!({ "installed_at": fitted })).await, "installed_at").await;

    let tyre_path = format!("{}/components/{}", item_path(&bike), id(&tyre));
    let renamed: Value = app
        .patch_as(&token, &tyre_path, json!({ "name": "Rear", "threshold_m": 4_000_000 }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((renamed["name"].as_str(), renamed["threshold_m"].as_f64()), (Some("Rear"), Some(4_000_000.0)));
    let cleared: Value = app.patch_as(&token, &tyre_path, json!({ "threshold_m": null })).await.json().await.unwrap();
    assert_eq!((cleared["name"].as_str(), cleared["threshold_m"].clone()), (Some("Rear"), Value::Null));
    let battery_path = format!("{}/components/{}", item_path(&bike), id(&battery));
    assert_eq!(app.delete_as(&token, &battery_path, json!({})).await.status(), 204);
    expect_problem(app.delete_as(&token, &battery_path, json!({})).await, 404, "not-found").await;
    expect_problem(app.patch_as(&token, &battery_path, json!({ "name": "x" })).await, 404, "not-found").await;

    log(&app, &token, with_equipment(training("cycling", &at(-5 * DAY_MS), 30.0), &[&bike])).await;
    let ridden = counted(&app, &token, &bike, 2).await;
    assert_eq!(ridden["usage"]["distance_m"].as_f64(), Some(50_000.0));
    assert_eq!(part_of(&ridden, &new_chain)["usage"]["distance_m"].as_f64(), Some(30_000.0));
    assert_eq!(part_of(&ridden, &chain)["usage"]["distance_m"].as_f64(), Some(20_000.0));
    assert_eq!(part_of(&ridden, &tyre)["usage"]["distance_m"].as_f64(), Some(50_000.0));
    assert!(ridden["components"].as_array().unwrap().iter().all(|c| c["id"] != battery["id"]));
}

async fn a_photo_is_kept_as_jpeg_and_bad_ones_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, me) = app.someone("photographer").await;
    let shoes = add(&app, &token, json!({ "kind": "shoes", "nickname": "Pictured" })).await;
    let photo = format!("{}/photo", item_path(&shoes));
    let set = app.put_bytes_as(&token, &photo, "image/png", striped_png(2000, 500)).await;
    assert_eq!(set.status(), 200);
    assert_eq!(set.json::<Value>().await.unwrap()["photo"], true);
    let kept = app.get_as(&token, &photo).await;
    assert_eq!(kept.status(), 200);
    assert_eq!(kept.headers()["content-type"], "image/jpeg");
    let kept = kept.bytes().await.unwrap().to_vec();
    assert_eq!(image::guess_format(&kept).unwrap(), image::ImageFormat::Jpeg);
    let decoded = image::load_from_memory(&kept).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (1600, 400), "fitted to 1600 pixels a side");

    let text = app.put_bytes_as(&token, &photo, "text/plain", b"a photo, honestly".to_vec()).await;
    expect_problem(text, 415, "unsupported-media-type").await;
    let huge = app.put_bytes_as(&token, &photo, "image/png", vec![0; 10 * 1024 * 1024 + 1]).await;
    expect_problem(huge, 413, "file-too-large").await;
    let garbage = app.put_bytes_as(&token, &photo, "image/jpeg", b"not a picture at all".to_vec()).await;
    refused_on(garbage, "file").await;
    let still = app.get_as(&token, &photo).await.bytes().await.unwrap().to_vec();
    assert_eq!(still, kept, "refused pictures left the photo alone");
    let stored = app.stored_files(&format!("users/{me}/inventory")).await;
    assert_eq!(stored, [format!("users/{me}/inventory/equipment/{}.jpg", id(&shoes))]);

    assert_eq!(app.delete_as(&token, &photo, json!({})).await.status(), 204);
    expect_problem(app.get_as(&token, &photo).await, 404, "not-found").await;
    assert_eq!(read(&app, &token, &item_path(&shoes)).await["photo"], false);
    assert!(app.stored_files(&format!("users/{me}/inventory")).await.is_empty());
    assert_eq!(app.delete_as(&token, &photo, json!({})).await.status(), 204, "removing no photo is no error");
}

async fn a_deleted_item_leaves_its_trainings(backend: Backend, bus: Bus) {
    let app = app_on(backend, bus).await;
    let (token, me) = app.someone("tidy").await;
    let shoes = add(&app, &token, json!({ "kind": "shoes", "nickname": "Worn out" })).await;
    let watch = add(&app, &token, json!({ "kind": "watch", "nickname": "Watch" })).await;
    let both = log(&app, &token, with_equipment(training("running", &at(-2 * DAY_MS), 10.0), &[&shoes, &watch])).await;
    let only = log(&app, &token, with_equipment(training("running", &at(-DAY_MS), 5.0), &[&shoes])).await;
    assert_eq!(put_photo(&app, &token, &shoes, "image/png", striped_png(32, 32)).await.status(), 200);
    counted(&app, &token, &shoes, 2).await;

    assert_eq!(app.delete_as(&token, &item_path(&shoes), json!({})).await.status(), 204);
    assert!(app.stored_files(&format!("users/{me}/inventory")).await.is_empty(), "its photo went with it");
    eventually("the trainings lose the deleted shoes", PATIENCE, || async {
        equipment_of_workout(&app, &token, &both).await == json!([id(&watch)])
            && equipment_of_workout(&app, &token, &only).await == json!([])
    })
    .await;
    let watch = counted(&app, &token, &watch, 1).await;
    assert_eq!(watch["usage"]["distance_m"].as_f64(), Some(10_000.0), "the other item keeps its count");
    let again =
        app.post_as(&token, "/api/v1/workouts", with_equipment(training("running", &at(-60_000), 1.0), &[&shoes]));
    refused_on(again.await, "equipment_ids").await;
}

/// Waits for the export-ready mail and downloads the archive its link points at.
async fn exported(app: &TestApp, address: &str) -> Vec<u8> {
    let mail = support::wait_for_mail_about(&app.outbox(), address, "Your Athlos data is ready").await;
    let link = format!("/api/v1/account/exports/download?token={}", support::token_in(&mail));
    let response = app.get(&link).await;
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap().to_vec()
}

fn entry(zip: &[u8], name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a valid ZIP");
    let mut bytes = Vec::new();
    archive.by_name(name).unwrap_or_else(|_| panic!("{name} in the export")).read_to_end(&mut bytes).unwrap();
    bytes
}

/// How many rows of `table` belong to `user_id`.
async fn rows_of(app: &TestApp, table: &str, user_id: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE user_id = $1");
    sqlx::query_scalar(&sql).bind(user_id).fetch_one(app.server.platform.db.pool()).await.unwrap()
}

const INVENTORY_TABLES: [&str; 6] = [
    "equipment",
    "equipment_components",
    "equipment_defaults",
    "equipment_usage",
    "equipment_trainings",
    "inventory_settings",
];

async fn equipment_is_exported_and_erased_with_the_account(backend: Backend, bus: Bus) {
    let app = app_on(backend, bus).await;
    let address = support::unique_email("leaving");
    let token = support::access(&app.signed_up(&address, "correct horse battery").await);
    let me = read(&app, &token, "/api/v1/account").await["id"].as_str().unwrap().to_string();
    let (other, _) = app.someone("staying").await;
    let kept = add(&app, &other, json!({ "kind": "shoes", "nickname": "Not leaving" })).await;
    let shoes = add(&app, &token, json!({ "kind": "shoes", "nickname": "Exported", "default_for": ["running"] })).await;
    let bike = add(&app, &token, json!({ "kind": "bike", "nickname": "Bike" })).await;
    add_part(&app, &token, &bike, json!({ "kind": "chain" })).await;
    assert_eq!(put_photo(&app, &token, &shoes, "image/png", striped_png(40, 30)).await.status(), 200);
    let settings = json!({ "promotions": false, "region": "DE" });
    assert_eq!(app.put_as(&token, &format!("{EQUIPMENT}/settings"), settings.clone()).await.status(), 200);
    log(&app, &token, training("running", &at(-DAY_MS), 5.0)).await;
    counted(&app, &token, &shoes, 1).await;

    assert_eq!(app.post_as(&token, "/api/v1/account/exports", json!({})).await.status(), 202);
    let zip = exported(&app, &address).await;
    let export: Value = serde_json::from_slice(&entry(&zip, "inventory/equipment.json")).unwrap();
    let names: Vec<&str> =
        export["equipment"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Bike", "Exported"]);
    assert_eq!(export["equipment"][0]["components"][0]["kind"], "chain");
    assert_eq!(export["equipment"][1]["default_for"], json!(["running"]));
    assert_eq!(export["equipment"][1]["usage"]["trainings"], 1);
    assert_eq!((export["settings"].clone(), export["dismissed_offers"].clone()), (settings, json!([])));
    let picture = entry(&zip, &format!("inventory/photos/{}.jpg", id(&shoes)));
    assert_eq!(image::guess_format(&picture).unwrap(), image::ImageFormat::Jpeg);

    let deleted = app.delete_as(&token, "/api/v1/account", json!({ "password": "correct horse battery" })).await;
    assert_eq!(deleted.status(), 204);
    eventually("the equipment is erased", PATIENCE, || async {
        let mut left = 0;
        for table in INVENTORY_TABLES {
            left += rows_of(&app, table, &me).await;
        }
        left == 0 && app.stored_files(&format!("users/{me}/inventory")).await.is_empty()
    })
    .await;
    assert_eq!(read(&app, &other, &item_path(&kept)).await["name"], "Not leaving");
}

/// A Strava export whose activities name their gear: the same shoes in two
/// spellings, and a ride without gear.
fn archive_with_gear() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let csv = "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Filename,Activity Gear\n\
               1,\"Jan 1, 2017, 9:00:00 AM\",Track,Run,,57,activities/run.fit,Blue Pegasus\n\
               2,\"May 17, 2009, 9:00:00 AM\",Lake,Run,,7190,activities/lake.gpx,blue pegasus\n\
               3,\"Jan 5, 2017, 9:00:00 AM\",Ride,Ride,,3600,activities/ride.fit,\n";
    zip.start_file("activities.csv", options).unwrap();
    zip.write_all(csv.as_bytes()).unwrap();
    for (name, file) in [
        ("activities/run.fit", "fit/garmin-fenix-5-run.fit"),
        ("activities/lake.gpx", LAKE),
        ("activities/ride.fit", "fit/garmin-fenix-5-bike.fit"),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(&corpus_file(file)).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

async fn gear_named_in_a_strava_archive_becomes_one_item(backend: Backend, bus: Bus) {
    let app = app_on(backend, bus).await;
    let (token, _) = app.someone("strava").await;
    // Today's default bike was not on a ride years ago.
    let bike = add(&app, &token, json!({ "kind": "bike", "nickname": "New bike", "default_for": ["cycling"] })).await;
    let status = app.import_archive(&token, archive_with_gear()).await;
    assert_eq!(status["imported"].as_i64(), Some(3), "{status}");

    let items = read(&app, &token, EQUIPMENT).await;
    let gear: Vec<&Value> = items.as_array().unwrap().iter().filter(|i| i["id"] != bike["id"]).collect();
    assert_eq!(gear.len(), 1, "one item for both spellings: {items}");
    let pegasus = gear[0].clone();
    // Named as the first activity read spells it; the other spelling finds it.
    assert_eq!(pegasus["name"].as_str().map(str::to_lowercase).as_deref(), Some("blue pegasus"));
    assert_eq!(pegasus["kind"], "shoes", "gear of a run is shoes");
    let pegasus = counted(&app, &token, &pegasus, 2).await;
    assert!(pegasus["usage"]["distance_m"].as_f64().unwrap() > 0.0);

    let page = read(&app, &token, "/api/v1/workouts").await;
    let equipment: Vec<(String, Value)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["title"].as_str().unwrap().to_string(), w["equipment_ids"].clone()))
        .collect();
    let on = |title: &str| equipment.iter().find(|(t, _)| t == title).map(|(_, ids)| ids.clone()).unwrap();
    assert_eq!((on("Track"), on("Lake")), (json!([id(&pegasus)]), json!([id(&pegasus)])));
    assert_eq!(on("Ride"), json!([]), "no gear named, no equipment: {equipment:?}");
    assert_eq!(read(&app, &token, &item_path(&bike)).await["usage"]["trainings"], 0);
}
