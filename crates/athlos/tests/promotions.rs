//! Partners' offers beside the equipment: who may publish them, whom each
//! is shown to, dismissing them, turning them off, counting views and
//! clicks without following anyone, partners kept apart, and links that
//! could run in a reader's browser refused. On SQLite and PostgreSQL.

mod support;

use std::time::Duration;

use platform::db::{now_ms, rfc3339};
use serde_json::{json, Value};
use support::{eventually, expect_problem, Backend, TestApp};

on_every_database!(
    only_partners_and_administrators_publish,
    offers_are_shown_to_the_people_they_target,
    a_dismissed_offer_is_hidden_from_that_person_only,
    promotions_turned_off_show_nothing,
    views_and_clicks_are_counted_and_the_visit_sends_no_referrer,
    partners_see_and_change_only_their_own_offers,
    unsafe_links_and_backwards_dates_are_refused,
);

const PROMOTIONS: &str = "/api/v1/promotions";
const DAY_MS: i64 = 86_400_000;

/// An instant `offset_ms` from now, as the API writes instants.
fn at(offset_ms: i64) -> String {
    rfc3339(now_ms() + offset_ms)
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_string()
}

/// An offer running from yesterday for a month, with `targeting` added.
fn offer(title: &str, targeting: Value) -> Value {
    let slug = title.to_lowercase().replace(' ', "-");
    let mut body = json!({
        "title": title, "body": "20 % off", "link": format!("https://shop.example/{slug}"),
        "starts_at": at(-DAY_MS), "ends_at": at(30 * DAY_MS),
    });
    body.as_object_mut().unwrap().extend(targeting.as_object().unwrap().clone());
    body
}

async fn publish(app: &TestApp, token: &str, body: Value) -> Value {
    let published = app.post_as(token, PROMOTIONS, body).await;
    assert_eq!(published.status(), 201, "{}", published.text().await.unwrap());
    published.json().await.unwrap()
}

/// Someone an administrator made a partner: their token and id.
async fn partner(app: &TestApp, admin: &str) -> (String, String) {
    let (token, user_id) = app.someone("partner").await;
    let made = app.put_as(admin, &format!("/api/v1/admin/users/{user_id}/role"), json!({ "role": "partner" })).await;
    assert_eq!(made.status(), 204);
    (token, user_id)
}

/// The titles of the offers `token`'s owner is shown now (each counted as a view).
async fn shown(app: &TestApp, token: &str) -> Vec<String> {
    let offers = app.get_as(token, PROMOTIONS).await;
    assert_eq!(offers.status(), 200);
    let offers: Value = offers.json().await.unwrap();
    offers.as_array().unwrap().iter().map(|o| o["title"].as_str().unwrap().to_string()).collect()
}

/// The author's view of their offers, by title.
async fn mine(app: &TestApp, token: &str) -> Vec<Value> {
    let listed = app.get_as(token, &format!("{PROMOTIONS}/mine")).await;
    assert_eq!(listed.status(), 200);
    listed.json::<Value>().await.unwrap().as_array().unwrap().clone()
}

fn titles(offers: &[Value]) -> Vec<&str> {
    offers.iter().map(|o| o["title"].as_str().unwrap()).collect()
}

async fn item(app: &TestApp, token: &str, body: Value) -> Value {
    let added = app.post_as(token, "/api/v1/equipment", body).await;
    assert_eq!(added.status(), 201, "{}", added.text().await.unwrap());
    added.json().await.unwrap()
}

async fn live_in(app: &TestApp, token: &str, region: &str) {
    let settings = json!({ "promotions": true, "region": region });
    assert_eq!(app.put_as(token, "/api/v1/equipment/settings", settings).await.status(), 200);
}

/// Shoes at 90 % of a 10 km threshold, once the run is counted.
async fn worn_shoes(app: &TestApp, token: &str) -> Value {
    let shoes = item(app, token, json!({ "kind": "shoes", "nickname": "Tired", "threshold_m": 10000 })).await;
    let run = json!({ "sport": "running", "started_at": at(-DAY_MS), "duration_s": 2700, "distance_m": 9000,
                      "equipment_ids": [id(&shoes)] });
    assert_eq!(app.post_as(token, "/api/v1/workouts", run).await.status(), 201);
    let path = format!("/api/v1/equipment/{}", id(&shoes));
    eventually("the run is counted", Duration::from_secs(20), || async {
        app.get_as(token, &path).await.json::<Value>().await.unwrap()["worn"].as_f64() == Some(0.9)
    })
    .await;
    shoes
}

async fn only_partners_and_administrators_publish(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (admin, _) = app.administrator().await;
    let (plain, plain_id) = app.someone("plain").await;
    let (hopeful, hopeful_id) = app.someone("hopeful").await;

    expect_problem(app.post_as(&plain, PROMOTIONS, offer("Mine", json!({}))).await, 403, "not-a-partner").await;
    expect_problem(app.get_as(&plain, &format!("{PROMOTIONS}/mine")).await, 403, "not-a-partner").await;
    let role = format!("/api/v1/admin/users/{hopeful_id}/role");
    expect_problem(app.put_as(&plain, &role, json!({ "role": "partner" })).await, 403, "not-admin").await;
    expect_problem(app.post_as(&hopeful, PROMOTIONS, offer("Early", json!({}))).await, 403, "not-a-partner").await;

    assert_eq!(app.put_as(&admin, &role, json!({ "role": "partner" })).await.status(), 204);
    let published = publish(&app, &hopeful, offer("Spring sale", json!({}))).await;
    assert_eq!((published["owner_id"].as_str(), published["views"].as_i64()), (Some(hopeful_id.as_str()), Some(0)));
    assert_eq!(published["visit_url"], format!("{PROMOTIONS}/{}/visit", id(&published)));
    assert_eq!(titles(&mine(&app, &hopeful).await), ["Spring sale"]);
    let others = format!("/api/v1/admin/users/{plain_id}/role");
    expect_problem(app.put_as(&hopeful, &others, json!({ "role": "partner" })).await, 403, "not-admin").await;

    // The role is read on every request: taken back, it stops at once.
    assert_eq!(app.put_as(&admin, &role, json!({ "role": "user" })).await.status(), 204);
    expect_problem(app.post_as(&hopeful, PROMOTIONS, offer("Late", json!({}))).await, 403, "not-a-partner").await;
    assert_eq!(titles(&mine(&app, &admin).await), ["Spring sale"], "the offer stays, for an administrator to see");
}

async fn offers_are_shown_to_the_people_they_target(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (admin, _) = app.administrator().await;
    let (shop, _) = partner(&app, &admin).await;
    publish(&app, &shop, offer("Shoes", json!({ "kinds": ["shoes"] }))).await;
    publish(&app, &shop, offer("Cycling", json!({ "sports": ["cycling"] }))).await;
    publish(&app, &shop, offer("Germany", json!({ "regions": ["DE"] }))).await;
    publish(&app, &shop, offer("Worn shoes", json!({ "kinds": ["shoes"], "min_worn": 0.8 }))).await;
    let future = json!({ "starts_at": at(DAY_MS), "ends_at": at(30 * DAY_MS) });
    publish(&app, &shop, offer("Not yet", future)).await;
    let past = json!({ "starts_at": at(-30 * DAY_MS), "ends_at": at(-DAY_MS) });
    publish(&app, &shop, offer("Over", past)).await;

    let (runner, _) = app.someone("runner").await;
    item(&app, &runner, json!({ "kind": "shoes", "nickname": "New", "sports": ["running"] })).await;
    assert_eq!(shown(&app, &runner).await, ["Shoes"], "new shoes are not worn; untargeted offers out of their time");
    let (rider, _) = app.someone("rider").await;
    item(&app, &rider, json!({ "kind": "bike", "nickname": "Road", "sports": ["cycling"] })).await;
    assert_eq!(shown(&app, &rider).await, ["Cycling"]);
    let (german, _) = app.someone("german").await;
    live_in(&app, &german, "DE").await;
    assert_eq!(shown(&app, &german).await, ["Germany"]);
    let (french, _) = app.someone("french").await;
    live_in(&app, &french, "FR").await;
    assert_eq!(shown(&app, &french).await, Vec::<String>::new());

    let (retired, _) = app.someone("retired").await;
    let old = item(&app, &retired, json!({ "kind": "shoes", "nickname": "Old" })).await;
    let retirement = format!("/api/v1/equipment/{}/retirement", id(&old));
    assert_eq!(app.post_as(&retired, &retirement, json!({})).await.status(), 200);
    assert_eq!(shown(&app, &retired).await, Vec::<String>::new(), "retired shoes need no new ones");

    let (tired, _) = app.someone("tired").await;
    worn_shoes(&app, &tired).await;
    assert_eq!(shown(&app, &tired).await, ["Worn shoes", "Shoes"], "offers about wear first");
    // Matching four offers: three are shown, wear first, then the newest.
    let (everything, _) = app.someone("everything").await;
    worn_shoes(&app, &everything).await;
    item(&app, &everything, json!({ "kind": "bike", "nickname": "Road", "sports": ["cycling"] })).await;
    live_in(&app, &everything, "DE").await;
    assert_eq!(shown(&app, &everything).await, ["Worn shoes", "Germany", "Cycling"]);
}

async fn a_dismissed_offer_is_hidden_from_that_person_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (admin, _) = app.administrator().await;
    let (shop, _) = partner(&app, &admin).await;
    let everyone = publish(&app, &shop, offer("Everyone", json!({}))).await;
    publish(&app, &shop, offer("Also", json!({}))).await;
    let (alice, _) = app.someone("alice").await;
    let (bob, _) = app.someone("bob").await;
    assert_eq!(shown(&app, &alice).await, ["Also", "Everyone"]);

    let dismissal = format!("{PROMOTIONS}/{}/dismissal", id(&everyone));
    assert_eq!(app.post_as(&alice, &dismissal, json!({})).await.status(), 204);
    assert_eq!(app.post_as(&alice, &dismissal, json!({})).await.status(), 204, "dismissing twice is once");
    assert_eq!(shown(&app, &alice).await, ["Also"]);
    assert_eq!(shown(&app, &bob).await, ["Also", "Everyone"], "only for the one who dismissed it");
    let made_up = format!("{PROMOTIONS}/{}/dismissal", uuid::Uuid::now_v7());
    expect_problem(app.post_as(&alice, &made_up, json!({})).await, 404, "not-found").await;
    let counts = mine(&app, &shop).await;
    let dismissals: Vec<i64> = counts.iter().map(|o| o["dismissals"].as_i64().unwrap()).collect();
    assert_eq!((titles(&counts), dismissals), (vec!["Also", "Everyone"], vec![0, 1]));
}

async fn promotions_turned_off_show_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (admin, _) = app.administrator().await;
    let (shop, _) = partner(&app, &admin).await;
    publish(&app, &shop, offer("Everyone", json!({}))).await;
    let (reader, _) = app.someone("reader").await;
    let settings = "/api/v1/equipment/settings";
    let defaults: Value = app.get_as(&reader, settings).await.json().await.unwrap();
    assert_eq!(defaults, json!({ "promotions": true, "region": null }));

    let off = json!({ "promotions": false, "region": "AT" });
    let answered: Value = app.put_as(&reader, settings, off.clone()).await.json().await.unwrap();
    assert_eq!(answered, off);
    assert_eq!(app.get_as(&reader, settings).await.json::<Value>().await.unwrap(), off);
    assert_eq!(shown(&app, &reader).await, Vec::<String>::new());
    assert_eq!(mine(&app, &shop).await[0]["views"], 0, "nothing shown, nothing counted");
    assert_eq!(app.put_as(&reader, settings, json!({ "promotions": true, "region": null })).await.status(), 200);
    assert_eq!(shown(&app, &reader).await, ["Everyone"]);
}

async fn views_and_clicks_are_counted_and_the_visit_sends_no_referrer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (admin, _) = app.administrator().await;
    let (shop, _) = partner(&app, &admin).await;
    let everyone = publish(&app, &shop, offer("Everyone", json!({}))).await;
    let (alice, _) = app.someone("alice").await;
    let (bob, _) = app.someone("bob").await;
    shown(&app, &alice).await;
    shown(&app, &bob).await;
    mine(&app, &shop).await;
    let counts = &mine(&app, &shop).await[0];
    assert_eq!(
        (counts["views"].as_i64(), counts["clicks"].as_i64()),
        (Some(2), Some(0)),
        "an author's list is no view"
    );

    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let visit = app.url(&format!("{PROMOTIONS}/{}/visit", id(&everyone)));
    for _ in 0..2 {
        let followed = browser.get(&visit).send().await.unwrap();
        assert_eq!(followed.status(), 303);
        assert_eq!(followed.headers()["location"], "https://shop.example/everyone");
        assert_eq!(followed.headers()["referrer-policy"], "no-referrer");
        assert!(followed.headers().get("set-cookie").is_none(), "nobody is marked");
    }
    let counts = &mine(&app, &shop).await[0];
    assert_eq!((counts["views"].as_i64(), counts["clicks"].as_i64()), (Some(2), Some(2)));
    let unknown = browser.get(app.url(&format!("{PROMOTIONS}/{}/visit", uuid::Uuid::now_v7()))).send().await.unwrap();
    expect_problem(unknown, 404, "not-found").await;
}

async fn partners_see_and_change_only_their_own_offers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (admin, _) = app.administrator().await;
    let (a, _) = partner(&app, &admin).await;
    let (b, _) = partner(&app, &admin).await;
    let (plain, _) = app.someone("plain").await;
    let theirs = publish(&app, &a, offer("A's offer", json!({}))).await;
    let other = publish(&app, &b, offer("B's offer", json!({}))).await;
    assert_eq!(titles(&mine(&app, &a).await), ["A's offer"]);
    assert_eq!(titles(&mine(&app, &b).await), ["B's offer"]);
    assert_eq!(titles(&mine(&app, &admin).await), ["B's offer", "A's offer"], "an administrator sees every offer");

    let path = format!("{PROMOTIONS}/{}", id(&theirs));
    expect_problem(app.patch_as(&b, &path, json!({ "title": "Hijacked" })).await, 404, "not-found").await;
    expect_problem(app.delete_as(&b, &path, json!({})).await, 404, "not-found").await;
    expect_problem(app.patch_as(&plain, &path, json!({ "title": "Hijacked" })).await, 403, "not-a-partner").await;
    expect_problem(app.delete_as(&plain, &path, json!({})).await, 403, "not-a-partner").await;
    assert_eq!(mine(&app, &a).await[0], mine(&app, &admin).await[1], "untouched");
    assert_eq!(mine(&app, &a).await[0]["title"], "A's offer");

    let changed = app.patch_as(&a, &path, json!({ "title": "A's better offer", "regions": ["DE"] })).await;
    assert_eq!(changed.status(), 200);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!((changed["title"].as_str(), changed["regions"].clone()), (Some("A's better offer"), json!(["DE"])));
    assert_eq!(changed["link"], theirs["link"], "what was left out stays");
    let moderated = app.patch_as(&admin, &path, json!({ "body": "Moderated" })).await;
    assert_eq!(moderated.json::<Value>().await.unwrap()["body"], "Moderated");
    let other_path = format!("{PROMOTIONS}/{}", id(&other));
    assert_eq!(app.delete_as(&admin, &other_path, json!({})).await.status(), 204);
    assert_eq!(app.delete_as(&a, &path, json!({})).await.status(), 204);
    assert!(mine(&app, &admin).await.is_empty());
    expect_problem(app.patch_as(&a, &path, json!({ "title": "Back" })).await, 404, "not-found").await;
}

/// Offers refused, each with the field it names.
fn bad_offers() -> Vec<(Value, &'static str)> {
    let backwards = json!({ "starts_at": at(DAY_MS), "ends_at": at(-DAY_MS) });
    let instant = at(DAY_MS);
    vec![
        (offer("Script", json!({ "link": "javascript:alert(document.cookie)" })), "link"),
        (offer("Data", json!({ "link": "data:text/html,<script>alert(1)</script>" })), "link"),
        (offer("Ftp", json!({ "link": "ftp://shop.example/" })), "link"),
        (offer("Relative", json!({ "link": "/somewhere" })), "link"),
        (offer("Backwards", backwards), "ends_at"),
        (offer("Instant", json!({ "starts_at": instant, "ends_at": instant })), "ends_at"),
        (offer("Someday", json!({ "starts_at": "next week" })), "starts_at"),
        (offer("   ", json!({})), "title"),
        (offer(&"x".repeat(121), json!({})), "title"),
        (offer("Long", json!({ "body": "x".repeat(1001) })), "body"),
        (offer("Worn", json!({ "min_worn": 10.5 })), "min_worn"),
        (offer("Worn", json!({ "min_worn": -0.1 })), "min_worn"),
        (offer("Region", json!({ "regions": ["de"] })), "regions"),
        (offer("Kind", json!({ "kinds": ["hoverboard"] })), "kinds[0]"),
        (offer("Kinds", json!({ "kinds": vec!["shoes"; 8] })), "kinds"),
        (offer("Regions", json!({ "regions": vec!["DE"; 51] })), "regions"),
        (offer("Sport", json!({ "sports": ["quidditch"] })), "sports"),
        (offer("Colour", json!({ "colour": "red" })), "colour"),
    ]
}

async fn unsafe_links_and_backwards_dates_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (admin, _) = app.administrator().await;
    let (shop, _) = partner(&app, &admin).await;
    for (body, field) in bad_offers() {
        let problem = expect_problem(app.post_as(&shop, PROMOTIONS, body.clone()).await, 422, "invalid-input").await;
        assert_eq!(problem["field"], field, "{body} → {problem}");
    }
    assert!(mine(&app, &shop).await.is_empty(), "nothing refused was published");

    let published = publish(&app, &shop, offer("Fine", json!({ "kinds": ["shoes", "bike", "shoes"] }))).await;
    assert_eq!(published["kinds"], json!(["shoes", "bike"]), "each kind once");
    let path = format!("{PROMOTIONS}/{}", id(&published));
    for (changes, field) in [
        (json!({ "link": "javascript:alert(1)" }), "link"),
        (json!({ "ends_at": at(-2 * DAY_MS) }), "ends_at"),
        (json!({ "title": "" }), "title"),
    ] {
        let problem = expect_problem(app.patch_as(&shop, &path, changes).await, 422, "invalid-input").await;
        assert_eq!(problem["field"], field, "{problem}");
    }
    let kept = &mine(&app, &shop).await[0];
    assert_eq!((kept["link"].as_str(), kept["title"].as_str()), (Some("https://shop.example/fine"), Some("Fine")));
    assert_eq!(kept["ends_at"], published["ends_at"]);
}
