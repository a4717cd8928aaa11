//! The facts competitions place a person in categories by (sex, year of
//! birth, body weight), kept on the account: shown, changed, cleared with
//! null, checked, announced in identity's events and exported, on SQLite
//! and PostgreSQL.

mod support;

use std::io::Read;

use serde_json::{json, Value};
use support::{access, expect_problem, token_in, unique_email, Backend, TestApp};

on_every_database!(
    facts_are_set_read_back_left_alone_and_cleared,
    invalid_facts_are_named_and_change_nothing,
    identitys_events_carry_the_facts,
    the_export_holds_the_facts,
    the_document_states_the_limits,
);

const PASSWORD: &str = "correct horse battery";

async fn account(app: &TestApp, token: &str) -> Value {
    app.get_as(token, "/api/v1/account").await.json().await.unwrap()
}

async fn changed(app: &TestApp, token: &str, change: Value) -> Value {
    let response = app.patch_as(token, "/api/v1/account", change.clone()).await;
    assert_eq!(response.status(), 200, "{change}");
    response.json().await.unwrap()
}

fn facts(account: &Value) -> Value {
    json!({ "sex": account["sex"], "birth_year": account["birth_year"], "weight_kg": account["weight_kg"] })
}

async fn facts_are_set_read_back_left_alone_and_cleared(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("athlete").await;
    let nothing_said = json!({ "sex": null, "birth_year": null, "weight_kg": null });
    assert_eq!(facts(&account(&app, &token).await), nothing_said);

    let set = json!({ "sex": "female", "birth_year": 1990, "weight_kg": 61.5 });
    assert_eq!(facts(&changed(&app, &token, set.clone()).await), set);
    assert_eq!(facts(&account(&app, &token).await), set);

    // Left out, a fact stays, whatever else changes.
    let renamed = changed(&app, &token, json!({ "display_name": "Ada", "units": "imperial" })).await;
    assert_eq!((facts(&renamed), &renamed["display_name"]), (set.clone(), &json!("Ada")));
    // A whole number of kilograms is a weight too.
    let heavier = changed(&app, &token, json!({ "weight_kg": 62 })).await;
    assert_eq!(heavier["weight_kg"].as_f64(), Some(62.0));

    // Null clears one fact and leaves the others.
    let cleared = changed(&app, &token, json!({ "weight_kg": null })).await;
    assert_eq!(facts(&cleared), json!({ "sex": "female", "birth_year": 1990, "weight_kg": null }));
    let cleared = changed(&app, &token, json!({ "sex": null, "birth_year": null })).await;
    assert_eq!(facts(&cleared), nothing_said);
    assert_eq!(cleared["display_name"], "Ada");
    assert_eq!(facts(&account(&app, &token).await), nothing_said);

    // Someone else's facts are their own.
    let (other, _) = app.someone("neighbour").await;
    assert_eq!(facts(&changed(&app, &token, set.clone()).await), set);
    assert_eq!(facts(&account(&app, &other).await), nothing_said);
}

async fn invalid_facts_are_named_and_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("careless").await;
    let before = changed(&app, &token, json!({ "sex": "male", "birth_year": 1985, "weight_kg": 80.0 })).await;
    let this_year: i64 = before["created_at"].as_str().unwrap()[..4].parse().unwrap();

    for (wrong, field) in [
        (json!({ "sex": "x" }), "sex"),
        (json!({ "sex": "Female" }), "sex"),
        (json!({ "birth_year": 1800 }), "birth_year"),
        (json!({ "birth_year": 1899 }), "birth_year"),
        (json!({ "birth_year": this_year + 1 }), "birth_year"),
        (json!({ "weight_kg": 5 }), "weight_kg"),
        (json!({ "weight_kg": 19.99 }), "weight_kg"),
        (json!({ "weight_kg": 500 }), "weight_kg"),
        (json!({ "sex": 5 }), "sex"),
        (json!({ "sex": true }), "sex"),
        (json!({ "birth_year": "1990" }), "birth_year"),
        (json!({ "birth_year": 1990.5 }), "birth_year"),
        (json!({ "birth_year": 99_999_999_999_i64 }), "birth_year"),
        (json!({ "weight_kg": "70" }), "weight_kg"),
        (json!({ "weight_kg": [70] }), "weight_kg"),
    ] {
        // Beside a valid change, which must not happen either.
        let mut body = json!({ "display_name": "Not Me", "units": "imperial", "birth_year": 2000 });
        body.as_object_mut().unwrap().extend(wrong.as_object().unwrap().clone());
        let refused = app.patch_as(&token, "/api/v1/account", body.clone()).await;
        let problem = expect_problem(refused, 422, "invalid-input").await;
        assert_eq!(problem["field"], field, "{body}: {problem}");
        assert_eq!(account(&app, &token).await, before, "{body} changed something");
    }

    // The edges are inside.
    let edges = json!({ "birth_year": this_year, "weight_kg": 300 });
    assert_eq!(changed(&app, &token, edges).await["birth_year"], this_year);
    let edges = changed(&app, &token, json!({ "birth_year": 1900, "weight_kg": 20 })).await;
    assert_eq!((edges["birth_year"].as_i64(), edges["weight_kg"].as_f64()), (Some(1900), Some(20.0)));
}

/// The kinds and payloads of identity's events about `id`, oldest first.
async fn events_of(app: &TestApp, id: &str) -> Vec<(String, Value)> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, payload FROM outbox_events WHERE user_id = $1 ORDER BY seq")
            .bind(id)
            .fetch_all(app.server.platform.db.pool())
            .await
            .unwrap();
    rows.into_iter().map(|(kind, payload)| (kind, serde_json::from_str(&payload).unwrap())).collect()
}

async fn identitys_events_carry_the_facts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, id) = app.someone("announced").await;
    let set = json!({ "sex": "female", "birth_year": 1994, "weight_kg": 57.5 });
    changed(&app, &token, set.clone()).await;
    changed(&app, &token, json!({ "weight_kg": null })).await;
    // A refused change announces nothing.
    let refused = app.patch_as(&token, "/api/v1/account", json!({ "sex": "female", "weight_kg": 1 })).await;
    assert_eq!(refused.status(), 422);

    let events = events_of(&app, &id).await;
    let kinds: Vec<&str> = events.iter().map(|(kind, _)| kind.as_str()).collect();
    assert_eq!(kinds, ["UserRegistered", "ProfileChanged", "ProfileChanged"]);
    assert_eq!(facts(&events[0].1), json!({ "sex": null, "birth_year": null, "weight_kg": null }));
    assert_eq!(facts(&events[1].1), set);
    assert_eq!(facts(&events[2].1), json!({ "sex": "female", "birth_year": 1994, "weight_kg": null }));
    // What was there before stays as it was.
    assert_eq!((&events[1].1["user_id"], &events[1].1["display_name"]), (&json!(id), &json!("Runner")));
}

fn entry(zip: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a valid ZIP");
    let mut text = String::new();
    archive.by_name(name).unwrap_or_else(|_| panic!("{name} in the export")).read_to_string(&mut text).unwrap();
    text
}

async fn the_export_holds_the_facts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = unique_email("exported");
    let token = access(&app.signed_up(&address, PASSWORD).await);
    let set = json!({ "sex": "male", "birth_year": 1979, "weight_kg": 72.25 });
    changed(&app, &token, set.clone()).await;

    assert_eq!(app.post_as(&token, "/api/v1/account/exports", json!({})).await.status(), 202);
    let mail = support::wait_for_mail_about(&app.outbox(), &address, "Your Athlos data is ready").await;
    let link = format!("/api/v1/account/exports/download?token={}", token_in(&mail));
    let zip = app.get(&link).await.bytes().await.unwrap();
    let exported: Value = serde_json::from_str(&entry(&zip, "identity/account.json")).unwrap();
    assert_eq!(exported["athlete"], set);
}

/// The OpenAPI document says what the server accepts, so a client (and
/// schemathesis) can tell a valid fact from a wrong one.
async fn the_document_states_the_limits(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let spec: Value = app.get("/openapi.json").await.json().await.unwrap();
    let schemas = &spec["components"]["schemas"];
    assert_eq!(schemas["Sex"]["enum"], json!(["female", "male"]));
    for schema in ["ProfileChange", "Account"] {
        let properties = &schemas[schema]["properties"];
        let year = &properties["birth_year"];
        assert_eq!((&year["type"], year["minimum"].as_f64()), (&json!(["integer", "null"]), Some(1900.0)), "{schema}");
        let weight = &properties["weight_kg"];
        assert_eq!((weight["minimum"].as_f64(), weight["maximum"].as_f64()), (Some(20.0), Some(300.0)), "{schema}");
        assert_eq!(weight["type"], json!(["number", "null"]), "{schema}");
        let sex = serde_json::to_string(&properties["sex"]).unwrap();
        assert!(sex.contains("#/components/schemas/Sex") && sex.contains("null"), "{schema}: {sex}");
    }
}
