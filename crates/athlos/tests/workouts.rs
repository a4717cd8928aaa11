//! Workouts logged by hand through the API: the whole life of one, who may
//! see it, what bad input gets, lists, totals, records and the sports
//! catalogue. On SQLite and PostgreSQL.

mod support;

use serde_json::{json, Value};
use support::{changes_to, events_about, expect_problem, Backend, TestApp};

on_every_database!(
    a_workout_is_logged_read_changed_and_deleted_with_events,
    bad_input_is_refused_and_nothing_is_stored,
    privacy_decides_who_sees_a_workout,
    lists_filter_and_page_through_workouts,
    totals_per_week_month_and_year,
    records_follow_workouts_as_they_change,
    administrators_edit_the_sports_catalogue,
    a_repeated_idempotency_key_logs_once,
);

fn run(started_at: &str, minutes: f64, km: f64) -> Value {
    json!({ "sport": "running", "started_at": started_at, "duration_s": minutes * 60.0, "distance_m": km * 1000.0 })
}

async fn log(app: &TestApp, token: &str, body: Value) -> Value {
    let created = app.post_as(token, "/api/v1/workouts", body).await;
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
    created.json().await.unwrap()
}

async fn a_workout_is_logged_read_changed_and_deleted_with_events(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, me) = app.someone("logger").await;
    let shoes = app.post_as(&token, "/api/v1/equipment", json!({ "kind": "shoes", "nickname": "Blue" })).await;
    let shoes = shoes.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let body = json!({
        "sport": "running", "started_at": "2026-11-20T07:30:00+01:00", "ended_at": "2026-11-20T08:20:00+01:00",
        "distance_m": 10000.0, "elevation_gain_m": 120.0, "notes": "Easy along the river",
        "equipment_ids": [shoes]
    });
    let created = app.post_as(&token, "/api/v1/workouts", body).await;
    assert_eq!(created.status(), 201);
    let id = created.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().to_string();
    let workout: Value = created.json().await.unwrap();
    assert_eq!(workout["id"], id);
    assert_eq!(workout["user_id"], me);
    assert_eq!(workout["started_at"], "2026-11-20T06:30:00.000Z");
    assert_eq!(workout["duration_s"], 3000.0);
    assert_eq!(workout["average_speed_mps"].as_f64().unwrap(), 10000.0 / 3000.0);
    assert_eq!(workout["title"], "Morning Run", "made from the local time it was written with");
    assert_eq!(workout["privacy"], "private");
    assert_eq!(workout["state"], "ready");
    assert_eq!(workout["file"], Value::Null);

    let read: Value = app.get_as(&token, &format!("/api/v1/workouts/{id}")).await.json().await.unwrap();
    assert_eq!(read["notes"], "Easy along the river");
    assert_eq!(read["equipment_ids"], json!([shoes]));

    let changes = json!({ "title": "River run", "sport": "trail-running", "distance_m": 10500.0, "privacy": "public" });
    let changed = app.patch_as(&token, &format!("/api/v1/workouts/{id}"), changes).await;
    assert_eq!(changed.status(), 200);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!((changed["title"].as_str(), changed["sport"].as_str()), (Some("River run"), Some("trail-running")));
    assert_eq!((changed["distance_m"].as_f64(), changed["privacy"].as_str()), (Some(10500.0), Some("public")));
    assert_eq!(changed["notes"], "Easy along the river", "what was left out stays");

    let deleted =
        app.client.delete(app.url(&format!("/api/v1/workouts/{id}"))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    expect_problem(app.get_as(&token, &format!("/api/v1/workouts/{id}")).await, 404, "not-found").await;

    assert_eq!(events_about(&app, &id).await, ["WorkoutRecorded", "WorkoutUpdated", "WorkoutDeleted"]);
    assert_eq!(changes_to(&app, &id).await, ["created", "updated", "deleted"]);
}

async fn bad_input_is_refused_and_nothing_is_stored(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("careless").await;
    let cases = [
        (
            json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "duration_s": 600, "distance_m": -5.0 }),
            "distance_m",
        ),
        (
            json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "ended_at": "2026-11-20T06:00:00Z" }),
            "ended_at",
        ),
        (json!({ "sport": "quidditch", "started_at": "2026-11-20T07:00:00Z", "duration_s": 600 }), "sport"),
        (json!({ "sport": "running", "started_at": "yesterday", "duration_s": 600 }), "started_at"),
        (json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "duration_s": 0 }), "duration_s"),
        (json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z" }), "duration_s"),
        (json!({ "sport": "running", "started_at": "2999-01-01T07:00:00Z", "duration_s": 60 }), "started_at"),
        (
            json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "duration_s": 60, "equipment_ids": ["my shoes"] }),
            "equipment_ids",
        ),
        (
            json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "duration_s": 60, "privacy": "friends" }),
            "body",
        ),
    ];
    for (body, field) in cases {
        let refused =
            expect_problem(app.post_as(&token, "/api/v1/workouts", body.clone()).await, 422, "invalid-input").await;
        assert_eq!(refused["field"], field, "{body} → {refused}");
        assert!(!refused["detail"].as_str().unwrap().is_empty());
    }
    let huge = json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "duration_s": 60, "notes": "x".repeat(2 << 20) });
    expect_problem(app.post_as(&token, "/api/v1/workouts", huge).await, 413, "body-too-large").await;
    let text =
        app.client.post(app.url("/api/v1/workouts")).bearer_auth(&token).body("sport=running").send().await.unwrap();
    expect_problem(text, 415, "unsupported-media-type").await;
    let unknown = app.post_as(&token, "/api/v1/sports", json!({})).await;
    assert_eq!(unknown.status(), 403, "not an admin");
    let page: Value = app.get_as(&token, "/api/v1/workouts").await.json().await.unwrap();
    assert_eq!(page["items"], json!([]));
    assert_eq!(support::event_count(&app).await, 0, "no event for what was refused");

    // Changing a workout is checked the same way, and a refused change changes nothing.
    let workout = log(&app, &token, run("2026-11-20T07:00:00Z", 30.0, 5.0)).await;
    let path = format!("/api/v1/workouts/{}", workout["id"].as_str().unwrap());
    let refused = app.patch_as(&token, &path, json!({ "title": "x", "distance_m": -1.0 })).await;
    expect_problem(refused, 422, "invalid-input").await;
    let unchanged: Value = app.get_as(&token, &path).await.json().await.unwrap();
    assert_eq!((unchanged["distance_m"].as_f64(), unchanged["title"].as_str()), (Some(5000.0), Some("Morning Run")));
    expect_problem(app.get(&path).await, 404, "not-found").await;
}

async fn privacy_decides_who_sees_a_workout(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (alice, alice_id) = app.someone("alice").await;
    let (bob, _) = app.someone("bob").await;
    let mut private = run("2026-11-20T07:00:00Z", 30.0, 5.0);
    private["title"] = json!("Secret tempo");
    let private = log(&app, &alice, private).await;
    let mut public = run("2026-11-21T07:00:00Z", 60.0, 12.0);
    public["privacy"] = json!("public");
    let public = log(&app, &alice, public).await;
    let mut followers = run("2026-11-22T07:00:00Z", 40.0, 8.0);
    followers["privacy"] = json!("followers");
    let followers = log(&app, &alice, followers).await;
    let path = |w: &Value| format!("/api/v1/workouts/{}", w["id"].as_str().unwrap());

    // Someone else's private or followers-only workout does not exist for them.
    for hidden in [&private, &followers] {
        let body = expect_problem(app.get_as(&bob, &path(hidden)).await, 404, "not-found").await;
        assert!(!body.to_string().contains("Secret"));
        expect_problem(app.get(&path(hidden)).await, 404, "not-found").await;
    }
    assert_eq!(app.get_as(&bob, &path(&public)).await.status(), 200);
    assert_eq!(app.get(&path(&public)).await.status(), 200, "public is open without logging in");

    // Seeing is not changing.
    for w in [&public, &private] {
        expect_problem(app.patch_as(&bob, &path(w), json!({ "title": "mine now" })).await, 404, "not-found").await;
        let deleted = app.client.delete(app.url(&path(w))).bearer_auth(&bob).send().await.unwrap();
        expect_problem(deleted, 404, "not-found").await;
    }
    let page: Value = app.get_as(&bob, &format!("/api/v1/workouts?user={alice_id}")).await.json().await.unwrap();
    let ids: Vec<&str> = page["items"].as_array().unwrap().iter().map(|w| w["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [public["id"].as_str().unwrap()]);
    let own: Value = app.get_as(&alice, "/api/v1/workouts").await.json().await.unwrap();
    assert_eq!(own["items"].as_array().unwrap().len(), 3);
    expect_problem(app.get("/api/v1/workouts").await, 401, "unauthenticated").await;
}

async fn lists_filter_and_page_through_workouts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("lister").await;
    let mut ids = Vec::new();
    for day in 1..=7 {
        let mut body = run(&format!("2026-10-0{day}T07:00:00Z"), 30.0, day as f64);
        if day % 2 == 0 {
            body["sport"] = json!("cycling");
        }
        body["title"] = json!(if day == 4 { "Hill repeats 100% effort" } else { "Steady" });
        ids.push(log(&app, &token, body).await["id"].as_str().unwrap().to_string());
    }
    ids.reverse(); // newest first

    let mut seen = Vec::new();
    let mut next = "/api/v1/workouts?limit=3".to_string();
    loop {
        let page: Value = app.get_as(&token, &next).await.json().await.unwrap();
        seen.extend(page["items"].as_array().unwrap().iter().map(|w| w["id"].as_str().unwrap().to_string()));
        match page["next_cursor"].as_str() {
            Some(cursor) => next = format!("/api/v1/workouts?limit=3&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, ids, "every workout once, newest first");

    let titles = |page: &Value| -> Vec<f64> {
        page["items"].as_array().unwrap().iter().map(|w| w["distance_m"].as_f64().unwrap() / 1000.0).collect()
    };
    let filtered = |query: &'static str| {
        let token = token.clone();
        let app = &app;
        async move {
            let response = app.get_as(&token, &format!("/api/v1/workouts?{query}")).await;
            assert_eq!(response.status(), 200, "{query}");
            response.json::<Value>().await.unwrap()
        }
    };
    assert_eq!(titles(&filtered("sport=cycling").await), [6.0, 4.0, 2.0]);
    assert_eq!(titles(&filtered("from=2026-10-03&to=2026-10-05").await), [5.0, 4.0, 3.0]);
    assert_eq!(titles(&filtered("min_distance_m=2500&max_distance_m=5000").await), [5.0, 4.0, 3.0]);
    assert_eq!(titles(&filtered("q=100%25").await), [4.0], "% in the words is matched literally");
    assert_eq!(titles(&filtered("q=HILL").await), [4.0]);
    assert_eq!(titles(&filtered("sport=cycling&from=2026-10-05").await), [6.0]);

    for bad in ["limit=0", "limit=101", "cursor=nonsense", "from=last-week"] {
        expect_problem(app.get_as(&token, &format!("/api/v1/workouts?{bad}")).await, 422, "invalid-input").await;
    }
}

async fn totals_per_week_month_and_year(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("counter").await;
    // Mon 2 Nov, Sun 8 Nov, Mon 9 Nov 2026; a ride on 30 Dec 2025; and a run
    // at 23:30 UTC on Sun 15 Nov, which is Monday 16 Nov in UTC+1.
    log(&app, &token, run("2026-11-02T07:00:00Z", 30.0, 5.0)).await;
    log(&app, &token, run("2026-11-08T07:00:00Z", 60.0, 10.0)).await;
    log(&app, &token, run("2026-11-09T07:00:00Z", 20.0, 4.0)).await;
    let mut ride = run("2025-12-30T07:00:00Z", 120.0, 60.0);
    ride["sport"] = json!("cycling");
    log(&app, &token, ride).await;
    log(&app, &token, run("2026-11-15T23:30:00Z", 10.0, 2.0)).await;

    let weeks: Value =
        app.get_as(&token, "/api/v1/stats?period=week&from=2026-11-02&to=2026-11-22").await.json().await.unwrap();
    let weekly: Vec<(String, f64, u64)> = weeks["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["start"].as_str().unwrap().into(),
                p["total"]["distance_m"].as_f64().unwrap(),
                p["total"]["workouts"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        weekly,
        [("2026-11-02".into(), 15000.0, 2), ("2026-11-09".into(), 6000.0, 2), ("2026-11-16".into(), 0.0, 0)]
    );
    assert_eq!(weeks["periods"][0]["sports"]["running"]["duration_s"], 5400.0);

    let shifted: Value = app
        .get_as(&token, "/api/v1/stats?period=week&from=2026-11-09&to=2026-11-22&utc_offset_minutes=60")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shifted["periods"][0]["total"]["distance_m"], 4000.0);
    assert_eq!(shifted["periods"][1]["total"]["distance_m"], 2000.0, "Monday in the person's own time");

    let years: Value =
        app.get_as(&token, "/api/v1/stats?period=year&from=2025-01-01&to=2026-12-31").await.json().await.unwrap();
    assert_eq!(years["periods"][0]["sports"]["cycling"]["distance_m"], 60000.0);
    assert_eq!(years["periods"][0]["sports"].get("running"), None);
    assert_eq!(years["periods"][1]["total"]["workouts"], 4);

    let months: Value =
        app.get_as(&token, "/api/v1/stats?period=month&to=2026-11-30&sport=running").await.json().await.unwrap();
    let periods = months["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 12, "twelve months unless told otherwise");
    assert_eq!((periods[0]["start"].as_str(), periods[11]["start"].as_str()), (Some("2025-12-01"), Some("2026-11-01")));
    assert_eq!(periods[0]["total"]["workouts"], 0, "the ride is not running");
    assert_eq!(periods[11]["total"]["distance_m"], 21000.0);

    for bad in ["period=fortnight", "period=week&from=2026-12-01&to=2026-11-01", "period=week&utc_offset_minutes=2000"]
    {
        let response = app.get_as(&token, &format!("/api/v1/stats?{bad}")).await;
        assert!(response.status() == 422 || response.status() == 400, "{bad}: {}", response.status());
    }
}

async fn records_follow_workouts_as_they_change(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("recorder").await;
    let short = log(&app, &token, run("2026-11-01T07:00:00Z", 30.0, 6.0)).await;
    let long = log(&app, &token, run("2026-11-02T07:00:00Z", 100.0, 21.1)).await;
    let records: Value = app.get_as(&token, "/api/v1/records").await.json().await.unwrap();
    assert_eq!(records[0]["sport"], "running");
    assert_eq!(records[0]["longest_distance"]["value"], 21100.0);
    assert_eq!(records[0]["longest_distance"]["workout_id"], long["id"]);
    assert_eq!(records[0]["longest_duration"]["value"], 6000.0);

    // The long one becomes a ride: running's records fall back to the short one.
    let path = format!("/api/v1/workouts/{}", long["id"].as_str().unwrap());
    assert_eq!(app.patch_as(&token, &path, json!({ "sport": "cycling" })).await.status(), 200);
    let records: Value = app.get_as(&token, "/api/v1/records?sport=running").await.json().await.unwrap();
    assert_eq!(records.as_array().unwrap().len(), 1);
    assert_eq!(records[0]["longest_distance"]["workout_id"], short["id"]);

    let deleted = app.client.delete(app.url(&format!("/api/v1/workouts/{}", short["id"].as_str().unwrap())));
    assert_eq!(deleted.bearer_auth(&token).send().await.unwrap().status(), 204);
    let records: Value = app.get_as(&token, "/api/v1/records").await.json().await.unwrap();
    let sports: Vec<&str> = records.as_array().unwrap().iter().map(|r| r["sport"].as_str().unwrap()).collect();
    assert_eq!(sports, ["cycling"], "a deleted workout holds no record");

    // As far again, but later (logged after, and before it): the earlier keeps the record.
    for start in ["2026-11-05T07:00:00Z", "2026-10-05T07:00:00Z"] {
        let mut ride = run(start, 90.0, 21.1);
        ride["sport"] = json!("cycling");
        let tied = log(&app, &token, ride).await;
        let records: Value = app.get_as(&token, "/api/v1/records").await.json().await.unwrap();
        let holder = if start.starts_with("2026-10") { &tied["id"] } else { &long["id"] };
        assert_eq!(records[0]["longest_distance"]["workout_id"], *holder, "{start}");
        assert_eq!(records[0]["longest_duration"]["value"], 6000.0);
    }
}

async fn administrators_edit_the_sports_catalogue(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = support::unique_email("coach");
    let identity = &app.server.contexts.identity;
    identity.create_user(&email, "Coach", "correct horse battery staple", identity::Role::Admin).await.unwrap();
    let admin = support::access(&app.logged_in(&email, "correct horse battery staple").await);
    let (someone, _) = app.someone("athlete").await;

    let sports: Value = app.get("/api/v1/sports").await.json().await.unwrap();
    let running = sports.as_array().unwrap().iter().find(|s| s["id"] == "running").unwrap().clone();
    assert_eq!((running["icon"].as_str(), running["has_distance"].as_bool()), (Some("🏃"), Some(true)));
    let strength = sports.as_array().unwrap().iter().find(|s| s["id"] == "strength").unwrap();
    assert_eq!(strength["has_distance"], false);

    let padel = json!({ "id": "padel", "name": "Padel", "icon": "🎾", "has_distance": false });
    expect_problem(app.post_as(&someone, "/api/v1/sports", padel.clone()).await, 403, "not-admin").await;
    let created = app.post_as(&admin, "/api/v1/sports", padel.clone()).await;
    assert_eq!(created.status(), 201);
    expect_problem(app.post_as(&admin, "/api/v1/sports", padel).await, 409, "conflict").await;
    let bad = json!({ "id": "Padel Tennis!", "name": "x" });
    expect_problem(app.post_as(&admin, "/api/v1/sports", bad).await, 422, "invalid-input").await;
    let renamed = app.patch_as(&admin, "/api/v1/sports/padel", json!({ "name": "Padel tennis" })).await;
    assert_eq!(renamed.json::<Value>().await.unwrap()["name"], "Padel tennis");

    let mut game = run("2026-11-01T18:00:00Z", 90.0, 0.0);
    game["sport"] = json!("padel");
    log(&app, &someone, game).await;
    let in_use = app.client.delete(app.url("/api/v1/sports/padel")).bearer_auth(&admin).send().await.unwrap();
    expect_problem(in_use, 409, "conflict").await;
    let unused = app.client.delete(app.url("/api/v1/sports/yoga")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(unused.status(), 204);
    let sports: Value = app.get("/api/v1/sports").await.json().await.unwrap();
    assert!(sports.as_array().unwrap().iter().all(|s| s["id"] != "yoga"));
}

async fn a_repeated_idempotency_key_logs_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("flaky").await;
    let send = || {
        app.client
            .post(app.url("/api/v1/workouts"))
            .bearer_auth(&token)
            .header("idempotency-key", "offline-1f3a")
            .json(&run("2026-11-20T07:00:00Z", 30.0, 5.0))
            .send()
    };
    let first = send().await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send().await.unwrap();
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap()["id"], first["id"]);
    let page: Value = app.get_as(&token, "/api/v1/workouts").await.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(events_about(&app, first["id"].as_str().unwrap()).await, ["WorkoutRecorded"]);

    // The key is the person's own: someone else's same key is a new workout.
    let (other, _) = app.someone("other").await;
    let theirs = app
        .client
        .post(app.url("/api/v1/workouts"))
        .bearer_auth(&other)
        .header("idempotency-key", "offline-1f3a")
        .json(&run("2026-11-20T07:00:00Z", 30.0, 5.0))
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), 201);
}
