//! Training partners and chat as people meet them, on SQLite and
//! PostgreSQL: only a mutual yes matches; the deck keeps to the radius,
//! sport, level, times and blocks, and never shows a place or an exact
//! distance; conversations are their two people's; chat is live across
//! replicas with receipts; unread mail goes once; reports reach the
//! moderators; export and erasure; a crowd of swipes and messages.

mod support;

use std::io::Read;
use std::time::Duration;

use futures::future::join_all;
use futures::SinkExt;
use serde_json::{json, Value};
use support::bus::Bus;
use support::socket::{next_message, Socket};
use support::{access, eventually, expect_problem, unique_email, Backend, TestApp};
use tokio_tungstenite::tungstenite::Message as Frame;

const PASSWORD: &str = "correct horse battery";
const PATIENCE: Duration = Duration::from_secs(30);
/// Berlin, and places at known distances from it (cells of 5 characters).
const BERLIN: (f64, f64) = (52.5200, 13.4050);

struct Person {
    id: String,
    token: String,
    email: String,
}

async fn person(app: &TestApp, name: &str) -> Person {
    let email = unique_email(&name.replace(' ', "-"));
    let registered =
        app.post("/api/v1/auth/register", json!({ "email": email, "password": PASSWORD, "display_name": name })).await;
    assert_eq!(registered.status(), 202);
    let token = access(&app.logged_in(&email, PASSWORD).await);
    let me: Value = app.get_as(&token, "/api/v1/account").await.json().await.unwrap();
    Person { id: me["id"].as_str().unwrap().to_string(), token, email: email.to_lowercase() }
}

/// The cell `km` east of Berlin.
fn east(km: f64) -> String {
    let lon = BERLIN.1 + km / (111.195 * BERLIN.0.to_radians().cos());
    partners::cells::encode(BERLIN.0, lon, 5)
}

fn seeking(cell: &str, radius_km: u32, sport: &str, kmh: (f64, f64)) -> Value {
    json!({ "sports": [{ "sport": sport, "min_kmh": kmh.0, "max_kmh": kmh.1 }], "days": ["sat", "sun"],
        "times": ["morning"], "radius_km": radius_km, "home_area": cell })
}

async fn opt_in(app: &TestApp, who: &Person, body: Value) {
    let done = app.put_as(&who.token, "/api/v1/partners/me", body).await;
    assert_eq!(done.status(), 200, "{}", done.text().await.unwrap());
}

async fn deck(app: &TestApp, who: &Person) -> Vec<Value> {
    let page = app.get_as(&who.token, "/api/v1/partners/candidates").await;
    assert_eq!(page.status(), 200, "{}", page.text().await.unwrap());
    let page: Value = page.json().await.unwrap();
    assert_no_place(&page, &[]);
    page.as_array().unwrap().clone()
}

fn ids(cards: &[Value]) -> Vec<String> {
    cards.iter().map(|c| c["user_id"].as_str().unwrap().to_string()).collect()
}

async fn swipe(app: &TestApp, who: &Person, whom: &Person, yes: bool) -> reqwest::Response {
    app.post_as(&who.token, "/api/v1/partners/swipes", json!({ "user_id": whom.id, "yes": yes })).await
}

/// No field of an answer names a place or carries a coordinate, a cell or
/// an exact distance; shown distances are whole multiples of 5 km.
fn assert_no_place(answer: &Value, cells: &[&str]) {
    match answer {
        Value::Object(fields) => {
            for (key, value) in fields {
                let key = key.to_ascii_lowercase();
                for word in ["lat", "lon", "cell", "geohash", "home_area", "distance", "coord", "location"] {
                    assert!(!key.contains(word), "`{key}` in {answer}");
                }
                if key == "about_km" {
                    assert_eq!(value.as_u64().unwrap() % 5, 0, "{answer}");
                }
                assert_no_place(value, cells);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| assert_no_place(i, cells)),
        Value::String(text) => {
            for cell in cells {
                assert!(!text.contains(&cell[..4]), "a cell in {answer}");
            }
        }
        _ => {}
    }
}

async fn only_a_mutual_yes_matches_and_undo_takes_it_back(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (ana, bo, cy) = (person(&app, "Ana").await, person(&app, "Bo").await, person(&app, "Cy").await);
    for (who, km) in [(&ana, 0.0), (&bo, 3.0), (&cy, 6.0)] {
        opt_in(&app, who, seeking(&east(km), 20, "running", (10.0, 12.0))).await;
    }
    let cells = [east(0.0), east(3.0), east(6.0)];
    let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
    let first = deck(&app, &ana).await;
    assert_eq!(ids(&first), [bo.id.clone(), cy.id.clone()], "nearest first");
    assert_eq!(first[0]["about_km"], 5);

    // A yes alone is no match; a no and a yes are none either.
    let said: Value = swipe(&app, &ana, &bo, true).await.json().await.unwrap();
    assert_eq!(said, json!({ "matched": false }));
    let said: Value = swipe(&app, &cy, &ana, true).await.json().await.unwrap();
    assert_eq!(said["matched"], false);
    let said: Value = swipe(&app, &ana, &cy, false).await.json().await.unwrap();
    assert_eq!(said["matched"], false);
    expect_problem(swipe(&app, &ana, &cy, true).await, 409, "conflict").await;
    assert!(app.get_as(&cy.token, "/api/v1/partners/matches").await.json::<Vec<Value>>().await.unwrap().is_empty());

    // The second yes matches, for both, with a conversation and a notice.
    let said: Value = swipe(&app, &bo, &ana, true).await.json().await.unwrap();
    assert_no_place(&said, &cells);
    assert_eq!((said["matched"].clone(), said["match"]["with"]["user_id"].clone()), (json!(true), json!(ana.id)));
    let conversation = said["match"]["conversation_id"].as_str().unwrap().to_string();
    for (who, other) in [(&ana, &bo), (&bo, &ana)] {
        let matches: Vec<Value> = app.get_as(&who.token, "/api/v1/partners/matches").await.json().await.unwrap();
        assert_eq!(matches.len(), 1);
        assert_eq!(
            (matches[0]["with"]["user_id"].as_str(), matches[0]["conversation_id"].as_str()),
            (Some(other.id.as_str()), Some(conversation.as_str()))
        );
        eventually("told of the match", PATIENCE, || async {
            let page: Value = app.get_as(&who.token, "/api/v1/notifications").await.json().await.unwrap();
            page["items"].as_array().unwrap().iter().any(|n| n["kind"] == "partner_match")
        })
        .await;
    }
    for who in [&ana, &bo] {
        let answers = [
            app.get_as(&who.token, "/api/v1/partners/matches").await.json::<Value>().await.unwrap(),
            app.get_as(&who.token, "/api/v1/conversations").await.json::<Value>().await.unwrap(),
        ];
        answers.iter().for_each(|a| assert_no_place(a, &cells));
        // Both asked for match mails (the default): each gets one, through the queue.
        let mail = support::wait_for_mail_about(&app.outbox(), &who.email, "new training partner").await;
        assert!(mail.contains(if who.id == ana.id { "Bo" } else { "Ana" }), "{mail}");
    }
    // Nobody swiped comes back; Ana's deck is empty, and so is Bo's.
    assert!(deck(&app, &ana).await.is_empty());
    assert_eq!(ids(&deck(&app, &bo).await), vec![cy.id.clone()]);

    // Bo takes his yes back: the match and its empty conversation go.
    let undone: Value = app.delete_as(&bo.token, "/api/v1/partners/swipes/last", json!({})).await.json().await.unwrap();
    assert_eq!(undone, json!({ "user_id": ana.id, "yes": true, "unmatched": true }));
    assert!(app.get_as(&ana.token, "/api/v1/partners/matches").await.json::<Vec<Value>>().await.unwrap().is_empty());
    expect_problem(app.get_as(&ana.token, &format!("/api/v1/conversations/{conversation}")).await, 404, "not-found")
        .await;
    assert_eq!(ids(&deck(&app, &bo).await), [ana.id.clone(), cy.id.clone()], "Ana is back in Bo's deck");

    // Yes again, then unmatch: the conversation, written in, ends for both.
    let said: Value = swipe(&app, &bo, &ana, true).await.json().await.unwrap();
    let conversation = said["match"]["conversation_id"].as_str().unwrap().to_string();
    let sent = send(&app, &ana, &conversation, "Saturday at the lake?").await;
    assert_eq!(sent.status(), 201);
    let gone = app.delete_as(&ana.token, &format!("/api/v1/partners/matches/{}", bo.id), json!({})).await;
    assert_eq!(gone.status(), 204);
    expect_problem(
        app.delete_as(&ana.token, &format!("/api/v1/partners/matches/{}", bo.id), json!({})).await,
        404,
        "not-found",
    )
    .await;
    let seen: Value =
        app.get_as(&bo.token, &format!("/api/v1/conversations/{conversation}")).await.json().await.unwrap();
    assert_eq!((seen["ended"].clone(), seen["unread"].clone()), (json!(true), json!(1)));
    expect_problem(send(&app, &bo, &conversation, "Wait!").await, 409, "conflict").await;

    // Someone not in the finder, oneself and nobody are not in any deck.
    let dan = person(&app, "Dan").await;
    expect_problem(swipe(&app, &ana, &dan, true).await, 404, "not-found").await;
    expect_problem(swipe(&app, &ana, &ana, true).await, 404, "not-found").await;
    expect_problem(swipe(&app, &dan, &ana, true).await, 409, "not-opted-in").await;
    expect_problem(app.delete_as(&dan.token, "/api/v1/partners/swipes/last", json!({})).await, 404, "not-found").await;
    expect_problem(app.get_as(&dan.token, "/api/v1/partners/candidates").await, 409, "not-opted-in").await;

    // 300 swipes an hour, then a 429 that changes nothing.
    let pool = app.server.platform.db.pool();
    for n in 0..300 {
        sqlx::query(
            "INSERT INTO partner_swipes (id, swiper_id, target_id, yes, created_at) VALUES ($1, $2, $3, 0, $4)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&cy.id)
        .bind(format!("someone-{n}"))
        .bind(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64)
        .execute(pool)
        .await
        .unwrap();
    }
    expect_problem(swipe(&app, &cy, &bo, true).await, 429, "rate-limited").await;
    assert_eq!(ids(&deck(&app, &cy).await), vec![bo.id.clone()], "Bo is still in Cy's deck");
}

async fn levels_are_suggested_from_recent_trainings(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ana = person(&app, "Ana").await;
    // Ten runs of an hour at 8 to 12.5 km/h, and a ride.
    for n in 0..10 {
        let run = json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "duration_s": 3600,
            "distance_m": 8000 + n * 500 });
        assert_eq!(app.post_as(&ana.token, "/api/v1/workouts", run).await.status(), 201);
    }
    let ride =
        json!({ "sport": "cycling", "started_at": "2026-11-21T07:00:00Z", "duration_s": 3600, "distance_m": 25000 });
    assert_eq!(app.post_as(&ana.token, "/api/v1/workouts", ride).await.status(), 201);
    let suggested =
        || async { app.get_as(&ana.token, "/api/v1/partners/suggestions").await.json::<Vec<Value>>().await.unwrap() };
    eventually("both sports suggested", PATIENCE, || async {
        suggested().await.iter().map(|s| s["trainings"].as_u64().unwrap()).sum::<u64>() == 11
    })
    .await;
    let got = suggested().await;
    let run = got.iter().find(|s| s["sport"] == "running").unwrap();
    assert_eq!((run["min_kmh"].as_f64(), run["max_kmh"].as_f64()), (Some(9.0), Some(11.5)), "{run}");
    let ride = got.iter().find(|s| s["sport"] == "cycling").unwrap();
    assert_eq!((ride["min_kmh"].as_f64(), ride["max_kmh"].as_f64()), (Some(25.0), Some(25.0)));
}

async fn the_deck_keeps_to_radius_sport_level_times_and_blocks(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let me = person(&app, "Me").await;
    opt_in(&app, &me, seeking(&east(0.0), 20, "running", (10.0, 12.0))).await;
    let mut people = Vec::new();
    let add = |name: &'static str, body: Value| {
        let app = &app;
        async move {
            let who = person(app, name).await;
            opt_in(app, &who, body).await;
            (name, who)
        }
    };
    let near = east(8.0);
    people.push(add("fits", seeking(&near, 20, "running", (11.0, 13.0))).await);
    people.push(add("far away", seeking(&east(45.0), 100, "running", (10.0, 12.0))).await);
    people.push(add("other sport", seeking(&near, 20, "cycling", (10.0, 12.0))).await);
    people.push(add("faster", seeking(&near, 20, "running", (14.0, 16.0))).await);
    let mut evenings = seeking(&near, 20, "running", (10.0, 12.0));
    evenings["times"] = json!(["evening"]);
    people.push(add("evenings", evenings).await);
    let mut weekdays = seeking(&near, 20, "running", (10.0, 12.0));
    weekdays["days"] = json!(["mon", "tue"]);
    people.push(add("weekdays", weekdays).await);
    people.push(add("stays home", seeking(&east(15.0), 5, "running", (10.0, 12.0))).await);
    people.push(add("blocked me", seeking(&near, 20, "running", (10.0, 12.0))).await);
    people.push(add("also fits", seeking(&east(12.0), 30, "running", (9.0, 11.0))).await);
    let by_name = |name: &str| &people.iter().find(|(n, _)| *n == name).unwrap().1;
    let blocker = by_name("blocked me");
    let blocked = app.put_as(&blocker.token, &format!("/api/v1/blocks/{}", me.id), json!({})).await;
    assert_eq!(blocked.status(), 204, "{}", blocked.text().await.unwrap());

    let cards = deck(&app, &me).await;
    assert_eq!(ids(&cards), [by_name("fits").id.clone(), by_name("also fits").id.clone()]);
    let cells: Vec<String> = [0.0, 8.0, 12.0, 15.0, 45.0].iter().map(|km| east(*km)).collect();
    let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
    assert_no_place(&Value::Array(cards.clone()), &cells);
    assert_eq!(cards[0]["sports"], json!([{ "sport": "running", "min_kmh": 11.0, "max_kmh": 13.0 }]));
    assert_eq!((cards[0]["days"].clone(), cards[0]["times"].clone()), (json!(["sat", "sun"]), json!(["morning"])));
    assert_eq!(cards[0]["about_km"], 10);
    assert_eq!(cards[1]["about_km"], 15);
    // The one who blocked me does not see me either.
    assert!(!ids(&deck(&app, blocker).await).contains(&me.id));

    // Opting out leaves every deck at once; what I get back says I am out.
    let fits = by_name("fits");
    assert_eq!(app.delete_as(&fits.token, "/api/v1/partners/me", json!({})).await.status(), 204);
    assert_eq!(ids(&deck(&app, &me).await), [by_name("also fits").id.clone()]);
    let mine: Value = app.get_as(&fits.token, "/api/v1/partners/me").await.json().await.unwrap();
    assert_eq!(mine["opted_in"], false);
    let mine: Value = app.get_as(&me.token, "/api/v1/partners/me").await.json().await.unwrap();
    assert_no_place(&mine, &cells);
    assert_eq!((mine["opted_in"].clone(), mine["radius_km"].clone()), (json!(true), json!(20)));
    expect_problem(app.delete_as(&fits.token, "/api/v1/partners/me", json!({})).await, 409, "not-opted-in").await;

    // The home area of the profile serves when none is sent.
    let profile = app.put_as(&fits.token, "/api/v1/profile", json!({ "bio": "", "home_area": east(8.0) })).await;
    assert_eq!(profile.status(), 200, "{}", profile.text().await.unwrap());
    let mut from_profile = seeking(&near, 20, "running", (11.0, 13.0));
    from_profile.as_object_mut().unwrap().remove("home_area");
    opt_in(&app, fits, from_profile).await;
    assert_eq!(ids(&deck(&app, &me).await)[0], fits.id);
    // A change without a home area keeps the one given before (I have none on my profile).
    let mut evenings_too = seeking(&east(0.0), 20, "running", (10.0, 12.0));
    evenings_too.as_object_mut().unwrap().remove("home_area");
    evenings_too["times"] = json!(["morning", "evening"]);
    opt_in(&app, &me, evenings_too).await;
    // The one with my very level, at my new time, now comes first.
    let expected = [by_name("evenings").id.clone(), fits.id.clone(), by_name("also fits").id.clone()];
    assert_eq!(ids(&deck(&app, &me).await), expected);
}

async fn bad_input_is_refused_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ana = person(&app, "Ana").await;
    let good = seeking(&east(0.0), 20, "running", (10.0, 12.0));
    let mut cases: Vec<(Value, &str)> = Vec::new();
    let mut with = |field: &str, value: Value, named: &'static str| {
        let mut body = good.clone();
        body[field] = value;
        cases.push((body, named));
    };
    with("sports", json!([]), "sports");
    with("sports", json!([{ "sport": "running", "min_kmh": 12.0, "max_kmh": 10.0 }]), "sports");
    with("sports", json!([{ "sport": "running", "min_kmh": 0.0, "max_kmh": 10.0 }]), "sports");
    with("sports", json!([{ "sport": "Run ning", "min_kmh": 8.0, "max_kmh": 10.0 }]), "sports");
    with("days", json!([]), "days");
    with("days", json!(["sat", "sat"]), "days");
    with("times", json!(["midday", "midday", "midday", "midday", "midday"]), "times");
    with("home_area", json!("u33dbfcyegcvx"), "home_area");
    with("times", json!([]), "times");
    with("radius_km", json!(0), "radius_km");
    with("radius_km", json!(101), "radius_km");
    with("home_area", json!("u3"), "home_area");
    with("home_area", json!("u33a!"), "home_area");
    let mut nowhere = good.clone();
    nowhere.as_object_mut().unwrap().remove("home_area");
    cases.push((nowhere, "home_area"));
    for (body, field) in cases {
        let refused =
            expect_problem(app.put_as(&ana.token, "/api/v1/partners/me", body.clone()).await, 422, "invalid-input")
                .await;
        assert!(refused.to_string().contains(field), "{body} → {refused}");
    }
    let mine: Value = app.get_as(&ana.token, "/api/v1/partners/me").await.json().await.unwrap();
    assert_eq!(mine["opted_in"], false, "nothing was stored");
    for bad in ["{\"days\": \"sat\"}", "{\"unknown\": 1}"] {
        let response = app
            .client
            .put(app.url("/api/v1/partners/me"))
            .bearer_auth(&ana.token)
            .header("content-type", "application/json")
            .body(bad)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{bad}");
    }
    opt_in(&app, &ana, good).await;
    expect_problem(app.get_as(&ana.token, "/api/v1/partners/candidates?limit=0").await, 422, "invalid-input").await;
    expect_problem(app.get_as(&ana.token, "/api/v1/partners/candidates?limit=51").await, 422, "invalid-input").await;
    let long_sport = format!("/api/v1/partners/candidates?sport={}", "r".repeat(41));
    expect_problem(app.get_as(&ana.token, &long_sport).await, 422, "invalid-input").await;
    // A coarser home area (4 characters) stands for the cell at its centre.
    let mut coarse = seeking("u33d", 5, "running", (10.0, 12.0));
    coarse["times"] = json!(["evening"]);
    opt_in(&app, &ana, coarse).await;
    assert_eq!(app.get_as(&ana.token, "/api/v1/partners/candidates?sport=").await.status(), 200);
    let anonymous = app.get("/api/v1/partners/candidates").await;
    assert_eq!(anonymous.status(), 401);
}

async fn send(app: &TestApp, who: &Person, conversation: &str, body: &str) -> reqwest::Response {
    let message = json!({ "client_id": uuid::Uuid::new_v4().to_string(), "body": body });
    app.post_as(&who.token, &format!("/api/v1/conversations/{conversation}/messages"), message).await
}

async fn follow_each_other(app: &TestApp, a: &Person, b: &Person) {
    for (x, y) in [(a, b), (b, a)] {
        let followed = app.put_as(&x.token, &format!("/api/v1/people/{}/follow", y.id), json!({})).await;
        assert!(followed.status().is_success(), "{}", followed.text().await.unwrap());
    }
}

async fn open(app: &TestApp, who: &Person, with: &Person) -> String {
    let opened = app.post_as(&who.token, "/api/v1/conversations", json!({ "user_id": with.id })).await;
    assert_eq!(opened.status(), 200, "{}", opened.text().await.unwrap());
    opened.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

async fn conversations_are_their_two_peoples(backend: Backend, bus: Bus) {
    let app = support::bus::app_on(backend, bus).await;
    let (ana, bo, eve) = (person(&app, "Ana").await, person(&app, "Bo").await, person(&app, "Eve").await);
    // Not following each other, not matched: no conversation.
    expect_problem(
        app.post_as(&ana.token, "/api/v1/conversations", json!({ "user_id": bo.id })).await,
        403,
        "chat-not-allowed",
    )
    .await;
    expect_problem(
        app.post_as(&ana.token, "/api/v1/conversations", json!({ "user_id": ana.id })).await,
        422,
        "invalid-input",
    )
    .await;
    expect_problem(
        app.post_as(&ana.token, "/api/v1/conversations", json!({ "user_id": "nobody" })).await,
        404,
        "not-found",
    )
    .await;
    follow_each_other(&app, &ana, &bo).await;
    let id = open(&app, &ana, &bo).await;
    assert_eq!(open(&app, &bo, &ana).await, id, "one conversation per pair");

    // Sending, once per client id, with its text kept as typed.
    let client_id = uuid::Uuid::new_v4().to_string();
    let text = "Hi <b>Bo</b> — https://example.org/route?a=1&b=2\nsee you";
    let path = format!("/api/v1/conversations/{id}/messages");
    let first: Value =
        app.post_as(&ana.token, &path, json!({ "client_id": client_id, "body": text })).await.json().await.unwrap();
    let again: Value =
        app.post_as(&ana.token, &path, json!({ "client_id": client_id, "body": text })).await.json().await.unwrap();
    assert_eq!(first, again, "a retried send is the same message");
    assert_eq!((first["seq"].clone(), first["body"].clone()), (json!(1), json!(text)));
    for n in 2..=6 {
        assert_eq!(send(&app, &bo, &id, &format!("message {n}")).await.status(), 201);
    }
    // History pages back in order, without gaps or repeats.
    let mut seen = Vec::new();
    let mut before = String::new();
    loop {
        let page: Value = app.get_as(&ana.token, &format!("{path}?limit=2{before}")).await.json().await.unwrap();
        seen.extend(page["messages"].as_array().unwrap().iter().map(|m| m["seq"].as_i64().unwrap()));
        match page["next_before"].as_i64() {
            Some(next) => before = format!("&before={next}"),
            None => break,
        }
    }
    assert_eq!(seen, [6, 5, 4, 3, 2, 1]);
    let listed: Vec<Value> = app.get_as(&ana.token, "/api/v1/conversations").await.json().await.unwrap();
    assert_eq!((listed[0]["unread"].clone(), listed[0]["last_message"]["seq"].clone()), (json!(5), json!(6)));
    assert_eq!(listed[0]["with"]["user_id"], bo.id.as_str());

    // Receipts move forward only, and never past the last message.
    let receipts = format!("/api/v1/conversations/{id}/receipts");
    assert_eq!(app.put_as(&ana.token, &receipts, json!({ "read": 4 })).await.status(), 204);
    assert_eq!(app.put_as(&ana.token, &receipts, json!({ "read": 2, "delivered": 99 })).await.status(), 204);
    expect_problem(app.put_as(&ana.token, &receipts, json!({ "read": -1 })).await, 422, "invalid-input").await;
    expect_problem(app.get_as(&ana.token, &format!("{path}?before=0")).await, 422, "invalid-input").await;
    let mine: Value = app.get_as(&ana.token, &format!("/api/v1/conversations/{id}")).await.json().await.unwrap();
    assert_eq!((mine["read_seq"].clone(), mine["unread"].clone()), (json!(4), json!(2)));
    let theirs: Value = app.get_as(&bo.token, &format!("/api/v1/conversations/{id}")).await.json().await.unwrap();
    assert_eq!((theirs["their_read_seq"].clone(), theirs["their_delivered_seq"].clone()), (json!(4), json!(6)));

    // Bad messages.
    for (body, status) in [("   ", 422), (&"x".repeat(4001) as &str, 422), ("bell \u{7}", 422)] {
        let refused = app
            .post_as(&ana.token, &path, json!({ "client_id": uuid::Uuid::new_v4().to_string(), "body": body }))
            .await;
        assert_eq!(refused.status(), status);
    }
    assert_eq!(send(&app, &ana, &id, &"é".repeat(4000)).await.status(), 201, "4 000 characters, not bytes");

    // Eve reaches none of it: every route is a 404.
    let mid = first["id"].as_str().unwrap();
    expect_problem(app.get_as(&eve.token, &format!("/api/v1/conversations/{id}")).await, 404, "not-found").await;
    expect_problem(app.get_as(&eve.token, &path).await, 404, "not-found").await;
    expect_problem(send(&app, &eve, &id, "let me in").await, 404, "not-found").await;
    expect_problem(app.put_as(&eve.token, &receipts, json!({ "read": 1 })).await, 404, "not-found").await;
    expect_problem(
        app.post_as(&eve.token, &format!("/api/v1/conversations/{id}/typing"), json!({})).await,
        404,
        "not-found",
    )
    .await;
    expect_problem(app.delete_as(&eve.token, &format!("{path}/{mid}"), json!({})).await, 404, "not-found").await;
    let report = json!({ "reason": "spam" });
    expect_problem(app.post_as(&eve.token, &format!("{path}/{mid}/report"), report.clone()).await, 404, "not-found")
        .await;
    assert!(app.get_as(&eve.token, "/api/v1/conversations").await.json::<Vec<Value>>().await.unwrap().is_empty());
    // Bo cannot delete Ana's message, nor report his own.
    expect_problem(app.delete_as(&bo.token, &format!("{path}/{mid}"), json!({})).await, 404, "not-found").await;
    let own = app.get_as(&bo.token, &format!("{path}?limit=1&before=3")).await.json::<Value>().await.unwrap();
    let own = own["messages"][0]["id"].as_str().unwrap().to_string();
    expect_problem(app.post_as(&bo.token, &format!("{path}/{own}/report"), report.clone()).await, 422, "invalid-input")
        .await;

    // Ana deletes hers: its text is gone for both, its place stays.
    assert_eq!(app.delete_as(&ana.token, &format!("{path}/{mid}"), json!({})).await.status(), 204);
    let page: Value = app.get_as(&bo.token, &format!("{path}?before=2")).await.json().await.unwrap();
    assert_eq!((page["messages"][0]["deleted"].clone(), page["messages"][0]["body"].clone()), (json!(true), json!("")));

    // A report reaches the moderators with the text; hiding removes it.
    let reported =
        app.post_as(&ana.token, &format!("{path}/{own}/report"), json!({ "reason": "abuse", "details": "rude" })).await;
    assert_eq!(reported.status(), 201, "{}", reported.text().await.unwrap());
    expect_problem(app.post_as(&ana.token, &format!("{path}/{own}/report"), report.clone()).await, 409, "conflict")
        .await;
    expect_problem(
        app.post_as(&ana.token, &format!("{path}/{own}/report"), json!({ "reason": "boring" })).await,
        422,
        "invalid-input",
    )
    .await;
    let (admin, _) = app.administrator().await;
    let queue: Vec<Value> = app.get_as(&admin, "/api/v1/moderation/reports").await.json().await.unwrap();
    let filed = queue.iter().find(|r| r["subject_id"] == own.as_str()).expect("the report in the queue");
    assert_eq!((filed["subject"].clone(), filed["content"].clone()), (json!("message"), json!("message 2")));
    let decision = json!({ "action": "hide", "reason": "abusive" });
    let decided = app
        .post_as(&admin, &format!("/api/v1/moderation/reports/{}/decision", filed["id"].as_str().unwrap()), decision)
        .await;
    assert_eq!(decided.status(), 200, "{}", decided.text().await.unwrap());
    eventually("the message hidden", PATIENCE, || async {
        let page: Value = app.get_as(&ana.token, &format!("{path}?before=3&limit=1")).await.json().await.unwrap();
        page["messages"][0]["deleted"] == true
    })
    .await;

    // A block ends the conversation; it cannot be opened again.
    assert_eq!(app.put_as(&bo.token, &format!("/api/v1/blocks/{}", ana.id), json!({})).await.status(), 204);
    expect_problem(send(&app, &ana, &id, "hello?").await, 409, "conflict").await;
    eventually("the conversation ended", PATIENCE, || async {
        let seen: Value = app.get_as(&ana.token, &format!("/api/v1/conversations/{id}")).await.json().await.unwrap();
        seen["ended"] == true
    })
    .await;
    expect_problem(
        app.post_as(&ana.token, "/api/v1/conversations", json!({ "user_id": bo.id })).await,
        404,
        "not-found",
    )
    .await;
}

async fn unread_messages_are_mailed_once(backend: Backend) {
    let app = TestApp::spawn_with(backend, |config| config.chat_unread_mail_minutes = 0).await;
    let (ana, bo, cy) = (person(&app, "Ana").await, person(&app, "Bo").await, person(&app, "Cy").await);
    follow_each_other(&app, &ana, &bo).await;
    follow_each_other(&app, &ana, &cy).await;
    let with_bo = open(&app, &ana, &bo).await;
    let with_cy = open(&app, &ana, &cy).await;
    assert_eq!(send(&app, &ana, &with_bo, "one").await.status(), 201);
    assert_eq!(send(&app, &ana, &with_bo, "two").await.status(), 201);
    assert_eq!(send(&app, &ana, &with_cy, "hello").await.status(), 201);
    // Cy does not want these mails; Cy read nothing, Bo neither.
    let off = json!({ "mail_matches": true, "mail_unread": false });
    assert_eq!(app.put_as(&cy.token, "/api/v1/partners/settings", off.clone()).await.status(), 200);
    assert_eq!(app.get_as(&cy.token, "/api/v1/partners/settings").await.json::<Value>().await.unwrap(), off);
    let partners = &app.server.contexts.partners;
    assert_eq!(partners.mail_unread().await.unwrap(), 1);
    assert_eq!(partners.mail_unread().await.unwrap(), 0, "once");
    let mail = support::wait_for_mail_about(&app.outbox(), &bo.email, "unread messages").await;
    assert!(mail.contains("Ana") && mail.contains("2 messages"), "{mail}");
    assert!(!mail.contains("one") || !mail.contains("two"), "never the text");
    // A newer message within the hours after a mail: no second mail.
    assert_eq!(send(&app, &ana, &with_bo, "three").await.status(), 201);
    assert_eq!(partners.mail_unread().await.unwrap(), 0);
    assert!(support::mails_to(&app.outbox(), &cy.email).iter().all(|m| !m.contains("unread messages")));
}

async fn socket_on(app: &TestApp, addr: std::net::SocketAddr, who: &Person) -> Socket {
    let ticket: Value = app
        .client
        .post(format!("http://{addr}/api/v1/realtime/ticket"))
        .bearer_auth(&who.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = format!("ws://{addr}/api/v1/realtime?ticket={}", ticket["ticket"].as_str().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    assert_eq!(next_message(&mut socket).await["type"], "ready");
    let topic = format!("user:{}", who.id);
    socket.send(Frame::text(json!({ "type": "subscribe", "topic": topic }).to_string())).await.unwrap();
    assert_eq!(next_message(&mut socket).await["type"], "subscribed");
    socket
}

/// The next event of `kind`, skipping others.
async fn next_event(socket: &mut Socket, kind: &str) -> Value {
    loop {
        let message = next_message(socket).await;
        if message["type"] == "event" && message["kind"] == kind {
            return message["data"].clone();
        }
    }
}

/// Ana on replica A and Bo on replica B talk live: messages, typing and
/// receipts cross the fan-out both ways.
async fn chat_is_live_across_replicas(backend: Backend, bus: Bus) {
    let url = bus.url().unwrap().expect("a broker");
    let namespace = format!("test-{}", uuid::Uuid::now_v7().simple());
    let (u, ns) = (url.clone(), namespace.clone());
    let a = TestApp::spawn_with(backend, move |config| {
        config.realtime_url = Some(u);
        config.bus_namespace = ns;
    })
    .await;
    let mut config = a.env.config();
    config.public_url = Some(a.server.url());
    config.realtime_url = Some(url);
    config.bus_namespace = namespace;
    let b =
        athlos::server::start(config, &athlos::cli::ServeArgs { no_worker: true, ..Default::default() }).await.unwrap();
    let (ana, bo) = (person(&a, "Ana").await, person(&a, "Bo").await);
    follow_each_other(&a, &ana, &bo).await;
    let id = open(&a, &ana, &bo).await;
    let mut ana_on_a = socket_on(&a, a.server.addr, &ana).await;
    let mut bo_on_b = socket_on(&a, b.addr, &bo).await;

    // B's fan-out listener may still be connecting: type until it is heard.
    let typing = format!("/api/v1/conversations/{id}/typing");
    let heard = async {
        loop {
            assert_eq!(a.post_as(&ana.token, &typing, json!({})).await.status(), 204);
            if let Ok(data) =
                tokio::time::timeout(Duration::from_millis(300), next_event(&mut bo_on_b, "ChatTyping")).await
            {
                return data;
            }
        }
    };
    let typed = tokio::time::timeout(PATIENCE, heard).await.expect("typing across replicas");
    assert_eq!(typed, json!({ "conversation_id": id, "user_id": ana.id }));

    let sent: Value = send(&a, &ana, &id, "Track at 7?").await.json().await.unwrap();
    let arrived = next_event(&mut bo_on_b, "ChatMessage").await;
    assert_eq!(arrived["message"], sent);
    // Bo, on B, has it and reads it: Ana, on A, hears both receipts.
    let receipts = format!("http://{}/api/v1/conversations/{id}/receipts", b.addr);
    let put = |body: Value| a.client.put(&receipts).bearer_auth(&bo.token).json(&body).send();
    assert_eq!(put(json!({ "delivered": 1 })).await.unwrap().status(), 204);
    let delivered = loop {
        let data = next_event(&mut ana_on_a, "ChatReceipt").await;
        if data["user_id"] == bo.id.as_str() {
            break data;
        }
    };
    assert_eq!((delivered["delivered_seq"].clone(), delivered["read_seq"].clone()), (json!(1), json!(0)));
    assert_eq!(put(json!({ "read": 1 })).await.unwrap().status(), 204);
    let read = next_event(&mut ana_on_a, "ChatReceipt").await;
    assert_eq!(read["read_seq"], 1);
    // And a reply the other way.
    let reply = a
        .client
        .post(format!("http://{}/api/v1/conversations/{id}/messages", b.addr))
        .bearer_auth(&bo.token)
        .json(&json!({ "client_id": "reply-1", "body": "Yes!" }))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    assert_eq!(next_event(&mut ana_on_a, "ChatMessage").await["message"]["body"], "Yes!");
    b.stop().await.unwrap();
}

async fn a_crowd_of_swipes_and_messages_gives_no_server_error(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (ana, bo) = (person(&app, "Ana").await, person(&app, "Bo").await);
    for who in [&ana, &bo] {
        opt_in(&app, who, seeking(&east(0.0), 20, "running", (10.0, 12.0))).await;
    }
    // 200 opt-in changes, then 200 yeses each way at once: one match.
    let changes = join_all((0..200).map(|n| {
        app.put_as(&ana.token, "/api/v1/partners/me", seeking(&east(0.0), 10 + n % 10, "running", (10.0, 12.0)))
    }))
    .await;
    assert!(changes.iter().all(|r| r.status() == 200));
    let yeses =
        join_all(
            (0..200).map(|n| if n % 2 == 0 { swipe(&app, &ana, &bo, true) } else { swipe(&app, &bo, &ana, true) }),
        )
        .await;
    let statuses: Vec<u16> = yeses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 2, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    let matches: Vec<Value> = app.get_as(&ana.token, "/api/v1/partners/matches").await.json().await.unwrap();
    assert_eq!(matches.len(), 1, "the two yeses at once still matched");
    let id = matches[0]["conversation_id"].as_str().unwrap().to_string();

    // 200 sends, half of them retries of the other half: 100 messages at
    // most 30 a minute each, numbered without gaps.
    let path = format!("/api/v1/conversations/{id}/messages");
    let sends = join_all((0..200).map(|n| {
        let who = if n % 4 < 2 { &ana } else { &bo };
        app.post_as(&who.token, &path, json!({ "client_id": format!("m-{}", n / 2), "body": format!("n{}", n / 2) }))
    }))
    .await;
    let statuses: Vec<u16> = sends.iter().map(|r| r.status().as_u16()).collect();
    assert!(statuses.iter().all(|s| *s == 201 || *s == 429), "{statuses:?}");
    let page: Value = app.get_as(&ana.token, &format!("{path}?limit=100")).await.json().await.unwrap();
    let seqs: Vec<i64> = page["messages"].as_array().unwrap().iter().map(|m| m["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs.len(), 60, "30 a minute each: {statuses:?}");
    assert_eq!(seqs, (1..=60).rev().collect::<Vec<i64>>());
    let receipts = format!("/api/v1/conversations/{id}/receipts");
    let reads = join_all((0..200).map(|n| app.put_as(&bo.token, &receipts, json!({ "read": n % 61 })))).await;
    assert!(reads.iter().all(|r| r.status() == 204));
    let seen: Value = app.get_as(&bo.token, &format!("/api/v1/conversations/{id}")).await.json().await.unwrap();
    assert_eq!(seen["read_seq"], 60, "receipts only move forward");
}

async fn partners_data_is_exported_and_erased(backend: Backend, bus: Bus) {
    let app = support::bus::app_on(backend, bus).await;
    let (ana, bo) = (person(&app, "Ana").await, person(&app, "Bo").await);
    for who in [&ana, &bo] {
        opt_in(&app, who, seeking(&east(0.0), 20, "running", (10.0, 12.0))).await;
    }
    swipe(&app, &ana, &bo, true).await;
    let said: Value = swipe(&app, &bo, &ana, true).await.json().await.unwrap();
    let id = said["match"]["conversation_id"].as_str().unwrap().to_string();
    assert_eq!(send(&app, &ana, &id, "from Ana").await.status(), 201);
    assert_eq!(send(&app, &bo, &id, "from Bo").await.status(), 201);

    assert_eq!(app.post_as(&ana.token, "/api/v1/account/exports", json!({})).await.status(), 202);
    let mail = support::wait_for_mail_about(&app.outbox(), &ana.email, "Your Athlos data is ready").await;
    let zip = app
        .get(&format!("/api/v1/account/exports/download?token={}", support::token_in(&mail)))
        .await
        .bytes()
        .await
        .unwrap();
    let entry = |name: &str| -> Value {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).unwrap();
        let mut text = String::new();
        archive.by_name(name).unwrap_or_else(|_| panic!("{name}")).read_to_string(&mut text).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    assert_eq!(entry("partners/finder.json")["finder"]["opted_in"], true);
    assert_eq!(entry("partners/swipes.json")[0]["user_id"], bo.id.as_str());
    assert_eq!(entry("partners/matches.json")[0]["with"]["user_id"], bo.id.as_str());
    let messages = entry("partners/messages.json");
    assert_eq!(messages.as_array().unwrap().len(), 1, "only what Ana sent");
    assert_eq!(messages[0]["body"], "from Ana");

    let deleted = app.delete_as(&ana.token, "/api/v1/account", json!({ "password": PASSWORD })).await;
    assert!(deleted.status().is_success(), "{}", deleted.text().await.unwrap());
    let pool = app.server.platform.db.pool();
    let count = |sql: &'static str| {
        let id = ana.id.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_one(pool).await.unwrap() }
    };
    eventually("Ana's partners data erased", PATIENCE, || async {
        count("SELECT COUNT(*) FROM partner_seekers WHERE user_id = $1").await == 0
            && count("SELECT COUNT(*) FROM partner_swipes WHERE swiper_id = $1 OR target_id = $1").await == 0
            && count("SELECT COUNT(*) FROM partner_matches WHERE a_id = $1 OR b_id = $1").await == 0
            && count("SELECT COUNT(*) FROM chat_messages WHERE sender_id = $1").await == 0
    })
    .await;
    let left: Value = app.get_as(&bo.token, &format!("/api/v1/conversations/{id}")).await.json().await.unwrap();
    assert_eq!((left["ended"].clone(), left["last_message"]["body"].clone()), (json!(true), json!("from Bo")));
    assert!(deck(&app, &bo).await.is_empty());
}

on_every_database!(
    only_a_mutual_yes_matches_and_undo_takes_it_back,
    the_deck_keeps_to_radius_sport_level_times_and_blocks,
    bad_input_is_refused_and_changes_nothing,
    levels_are_suggested_from_recent_trainings,
    unread_messages_are_mailed_once,
    a_crowd_of_swipes_and_messages_gives_no_server_error,
);

// What events do (erasure, blocks, hidden messages) on every bus; chat across replicas on each fan-out between them
// (the in-process one reaches one process only, so it has no case).
bus_tests!(sqlite_in_process, Sqlite, InProcess; partners_data_is_exported_and_erased, conversations_are_their_two_peoples);
bus_tests!(postgres_in_process, Postgres, InProcess; partners_data_is_exported_and_erased, conversations_are_their_two_peoples);
bus_tests!(sqlite_redis, Sqlite, Redis; chat_is_live_across_replicas, partners_data_is_exported_and_erased, conversations_are_their_two_peoples);
bus_tests!(sqlite_rabbitmq, Sqlite, RabbitMq; chat_is_live_across_replicas, partners_data_is_exported_and_erased, conversations_are_their_two_peoples);
bus_tests!(postgres_redis, Postgres, Redis; chat_is_live_across_replicas, partners_data_is_exported_and_erased, conversations_are_their_two_peoples);
bus_tests!(postgres_rabbitmq, Postgres, RabbitMq; chat_is_live_across_replicas, partners_data_is_exported_and_erased, conversations_are_their_two_peoples);
