//! Statistics broken down by sport: per sport, how many workouts, how far,
//! how long and how high over the whole range asked for. On SQLite and
//! PostgreSQL.

mod support;

use serde_json::{json, Value};
use support::{Backend, TestApp};

on_every_database!(totals_break_down_by_sport_over_the_range);

async fn log(app: &TestApp, token: &str, sport: &str, started_at: &str, minutes: f64, km: f64, climb: f64) {
    let body = json!({
        "sport": sport, "started_at": started_at, "duration_s": minutes * 60.0,
        "distance_m": km * 1000.0, "elevation_gain_m": climb
    });
    let created = app.post_as(token, "/api/v1/workouts", body).await;
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
}

async fn totals_break_down_by_sport_over_the_range(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("breakdown").await;
    log(&app, &token, "running", "2026-03-02T07:00:00Z", 30.0, 5.0, 40.0).await;
    log(&app, &token, "running", "2026-05-20T07:00:00Z", 60.0, 12.0, 110.0).await;
    log(&app, &token, "cycling", "2026-04-11T09:00:00Z", 120.0, 60.0, 800.0).await;
    // Outside the range asked for below: counted nowhere.
    log(&app, &token, "cycling", "2025-12-30T09:00:00Z", 90.0, 45.0, 300.0).await;
    // Someone else's workout is not mine to count.
    let (other, _) = app.someone("neighbour").await;
    log(&app, &other, "running", "2026-04-01T07:00:00Z", 45.0, 9.0, 0.0).await;

    let stats: Value =
        app.get_as(&token, "/api/v1/stats?period=month&from=2026-01-01&to=2026-12-31").await.json().await.unwrap();
    assert_eq!(
        stats["by_sport"],
        json!({
            "running": { "count": 2, "distance_m": 17000.0, "duration_s": 5400.0, "elevation_gain_m": 150.0 },
            "cycling": { "count": 1, "distance_m": 60000.0, "duration_s": 7200.0, "elevation_gain_m": 800.0 },
        })
    );
    // The breakdown adds up to the periods' totals.
    let workouts: u64 =
        stats["periods"].as_array().unwrap().iter().map(|p| p["total"]["workouts"].as_u64().unwrap()).sum();
    assert_eq!(workouts, 3);

    // A sport filter narrows the breakdown too; an empty range has none.
    let runs: Value = app
        .get_as(&token, "/api/v1/stats?period=year&from=2026-01-01&to=2026-12-31&sport=running")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(runs["by_sport"].as_object().unwrap().keys().collect::<Vec<_>>(), ["running"]);
    let empty: Value =
        app.get_as(&token, "/api/v1/stats?period=week&from=2024-01-01&to=2024-01-31").await.json().await.unwrap();
    assert_eq!(empty["by_sport"], json!({}));

    // The document describes it.
    let spec: Value = app.get("/openapi.json").await.json().await.unwrap();
    let sport_totals = &spec["components"]["schemas"]["SportTotals"]["properties"];
    for field in ["count", "distance_m", "duration_s", "elevation_gain_m"] {
        assert!(sport_totals[field].is_object(), "SportTotals.{field} is not documented");
    }
}
