//! The server under a crowd and under hostile input: no request holds a
//! connection while it waits for a second one, 200 of each write at once
//! never give a 5xx (equipment, parts, settings and offers among them), 200
//! of each read at once beside writes all answer, control characters are refused the same way on both
//! databases, an Idempotency-Key cannot be reused for another request, and
//! bombs (gzip, XML, pictures) are refused before they cost memory.

mod support;

use std::collections::BTreeMap;
use std::io::Write;

use futures::future::join_all;
use serde_json::{json, Value};
use support::{corpus_file, expect_problem, striped_png, Backend, TestApp};

on_every_database!(
    no_write_route_waits_for_a_second_connection,
    two_hundred_hand_logged_workouts_at_once_all_arrive,
    two_hundred_changes_and_deletes_at_once_give_no_server_error,
    refreshes_at_once_give_one_answer_per_token_and_no_server_error,
    photos_sent_at_once_stop_at_the_cap,
    one_file_uploaded_two_hundred_times_at_once_makes_one_training,
    control_characters_are_refused_with_the_field_named,
    an_idempotency_key_is_refused_for_a_different_request,
    bombs_are_refused_and_nothing_is_kept,
    files_no_workout_refers_to_are_swept,
    two_hundred_tickets_and_notification_writes_at_once,
    two_hundred_of_each_equipment_write_at_once,
    two_hundred_of_each_social_write_at_once,
    two_hundred_reads_at_once_beside_writes_all_answer,
);

const LAKE: &str = "gpx/cerknicko-jezero.gpx";
const CROWD: usize = 200;

/// How many answers had each status.
fn tally(statuses: impl IntoIterator<Item = u16>) -> BTreeMap<u16, usize> {
    let mut counts = BTreeMap::new();
    for status in statuses {
        *counts.entry(status).or_default() += 1;
    }
    counts
}

fn hand_logged(n: usize) -> Value {
    json!({ "sport": "running", "started_at": "2026-05-01T07:00:00Z", "duration_s": 1800 + n, "distance_m": 5000 })
}

async fn log(app: &TestApp, token: &str, n: usize) -> Value {
    let logged = app.post_as(token, "/api/v1/workouts", hand_logged(n)).await;
    assert_eq!(logged.status(), 201);
    logged.json().await.unwrap()
}

/// Every workout of the person, page by page.
async fn count_workouts(app: &TestApp, token: &str) -> usize {
    let (mut count, mut path) = (0, "/api/v1/workouts?limit=100".to_string());
    loop {
        let page: Value = app.get_as(token, &path).await.json().await.unwrap();
        count += page["items"].as_array().unwrap().len();
        match page["next_cursor"].as_str() {
            Some(next) => path = format!("/api/v1/workouts?limit=100&cursor={next}"),
            None => return count,
        }
    }
}

async fn photo(app: &TestApp, token: &str, workout: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new().part("photo", reqwest::multipart::Part::bytes(bytes).file_name("p.png"));
    let url = app.url(&format!("/api/v1/workouts/{workout}/photos"));
    app.client.post(url).bearer_auth(token).multipart(form).send().await.unwrap()
}

/// With a pool of one connection, a request that holds it while asking
/// for another waits until the acquire timeout and fails: every write
/// route must therefore succeed here.
async fn no_write_route_waits_for_a_second_connection(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.database_max_connections = 1;
        c.database_acquire_timeout_secs = 3;
    })
    .await;
    let mut statuses = Vec::new();
    let mut note = |what: &str, status: reqwest::StatusCode| statuses.push((what.to_string(), status.as_u16()));

    let email = support::unique_email("pool");
    let password = "correct horse battery staple";
    let registered = app
        .post("/api/v1/auth/register", json!({ "email": email, "password": password, "display_name": "Pool" }))
        .await;
    note("register", registered.status());
    let tokens = app.logged_in(&email, password).await;
    let token = support::access(&tokens);
    let refreshed = app.post("/api/v1/auth/refresh", json!({ "refresh_token": tokens["refresh_token"] })).await;
    note("refresh", refreshed.status());
    note("change account", app.patch_as(&token, "/api/v1/account", json!({ "display_name": "Pooled" })).await.status());
    note("put avatar", app.put_avatar_as(&token, striped_png(64, 64)).await.status());
    let avatar = app.client.delete(app.url("/api/v1/account/avatar")).bearer_auth(&token).send().await.unwrap();
    note("delete avatar", avatar.status());

    let logged = app.post_as(&token, "/api/v1/workouts", hand_logged(0)).await;
    note("log by hand", logged.status());
    let uploaded = app.upload_as(&token, "lake.gpx", corpus_file(LAKE), &[]).await;
    note("upload", uploaded.status());
    let workout: Value = uploaded.json().await.unwrap();
    let id = workout["id"].as_str().unwrap_or_default().to_string();
    let path = format!("/api/v1/workouts/{id}");
    note("change workout", app.patch_as(&token, &path, json!({ "title": "Lake", "privacy": "public" })).await.status());
    let added = photo(&app, &token, &id, striped_png(32, 32)).await;
    note("add photo", added.status());
    let added: Value = added.json().await.unwrap();
    let photo_path = format!("{path}/photos/{}", added["id"].as_str().unwrap_or_default());
    note("delete photo", app.delete_as(&token, &photo_path, json!({})).await.status());
    note("sport", app.post_as(&token, "/api/v1/sports", json!({ "id": "x", "name": "X" })).await.status());
    note("delete workout", app.delete_as(&token, &path, json!({})).await.status());
    note("export", app.post_as(&token, "/api/v1/account/exports", json!({})).await.status());
    note("two-factor", app.post_as(&token, "/api/v1/account/totp", json!({})).await.status());
    note("passkey", app.post_as(&token, "/api/v1/account/passkeys/registration", json!({})).await.status());
    let client = json!({ "name": "App", "redirect_uris": ["https://app.example.org/cb"] });
    note("oauth client", app.post_as(&token, "/api/v1/oauth/clients", client).await.status());
    note("resend", app.post_as(&token, "/api/v1/auth/verify/resend", json!({})).await.status());
    note("reset", app.post("/api/v1/auth/password-reset", json!({ "email": email })).await.status());
    let change = json!({ "current_password": password, "new_password": "another horse battery staple" });
    note("password", app.post_as(&token, "/api/v1/account/password", change).await.status());
    let token = support::access(&app.logged_in(&email, "another horse battery staple").await);
    note("realtime ticket", app.post_as(&token, "/api/v1/realtime/ticket", json!({})).await.status());
    note("read notifications", app.post_as(&token, "/api/v1/notifications/read", json!({})).await.status());
    let channel = app.client.put(app.url("/api/v1/notifications/preferences/export_ready")).bearer_auth(&token);
    note("notification channel", channel.json(&json!({ "channel": "digest" })).send().await.unwrap().status());
    statuses.extend(inventory_writes(&app, &token).await);
    statuses.extend(social_writes(&app, &token).await);
    statuses.extend(partners_writes(&app, &token).await);
    statuses.extend(sync_writes(&app, &token).await);
    let mut note = |what: &str, status: reqwest::StatusCode| statuses.push((what.to_string(), status.as_u16()));
    note("logout", app.post_as(&token, "/api/v1/auth/logout", json!({})).await.status());

    let failed: Vec<_> = statuses.iter().filter(|(_, status)| *status >= 500).collect();
    assert!(failed.is_empty(), "routes that failed with one connection: {failed:?}");
}

/// Every social write, once each, between the caller and a second person;
/// each must succeed.
async fn social_writes(app: &TestApp, token: &str) -> Vec<(String, u16)> {
    let mut done = Vec::new();
    let mut note = |what: &str, response: &reqwest::Response| noted(&mut done, what, response);
    let me: Value = app.get_as(token, "/api/v1/account").await.json().await.unwrap();
    let me = id_in(&me);
    let (other, other_id) = app.someone("pooled").await;
    note("profile", &app.put_as(token, "/api/v1/profile", json!({ "bio": "Pool", "private": true })).await);
    note("follow", &app.put_as(&other, &format!("/api/v1/people/{me}/follow"), json!({})).await);
    note("approve", &app.post_as(token, &format!("/api/v1/follow-requests/{other_id}"), json!({})).await);
    let run =
        json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "duration_s": 600, "privacy": "public" });
    let run = id_in(&app.post_as(token, "/api/v1/workouts", run).await.json().await.unwrap());
    let reactions = format!("/api/v1/reactions/{run}");
    support::eventually("social knows the run", std::time::Duration::from_secs(30), || async {
        app.get_as(&other, &format!("{reactions}/comments")).await.status() == 200
    })
    .await;
    note("kudos", &app.put_as(&other, &format!("{reactions}/kudos"), json!({})).await);
    let said = app.post_as(&other, &format!("{reactions}/comments"), json!({ "body": "Hi", "mentions": [me] })).await;
    note("comment", &said);
    let comment = format!("{reactions}/comments/{}", id_in(&said.json().await.unwrap()));
    note("edit comment", &app.patch_as(&other, &comment, json!({ "body": "Hello" })).await);
    let report = json!({ "subject": "comment", "id": comment.rsplit('/').next(), "reason": "spam" });
    let report = app.post_as(token, "/api/v1/reports", report).await;
    note("report", &report);
    let (admin, _) = app.administrator().await;
    let decision = format!("/api/v1/moderation/reports/{}/decision", id_in(&report.json().await.unwrap()));
    note("decide", &app.post_as(&admin, &decision, json!({ "action": "hide", "reason": "spam" })).await);
    note("remove follower", &app.delete_as(token, &format!("/api/v1/followers/{other_id}"), json!({})).await);
    note("block", &app.put_as(token, &format!("/api/v1/blocks/{other_id}"), json!({})).await);
    note("unblock", &app.delete_as(token, &format!("/api/v1/blocks/{other_id}"), json!({})).await);
    note("delete comment", &app.delete_as(token, &comment, json!({})).await);
    done
}

/// Every kind of sync push, once each: creates, edits and deletes of a
/// workout and an item, and a refusal; each must be answered.
async fn sync_writes(app: &TestApp, token: &str) -> Vec<(String, u16)> {
    let mut done = Vec::new();
    let mut note = |what: &str, response: &reqwest::Response| noted(&mut done, what, response);
    let (run, shoes) = (uuid::Uuid::now_v7().to_string(), uuid::Uuid::now_v7().to_string());
    let clock = |n: u32| format!("{:015}-{n:05}-pool", platform::db::now_ms());
    let mutation = |entity: &str, id: &str, op: &str, n: u32, fields: Value| {
        json!({ "id": uuid::Uuid::now_v7().to_string(), "entity": entity, "entity_id": id, "op": op,
            "clock": clock(n), "fields": fields })
    };
    let push = |mutations: Vec<Value>| app.post_as(token, "/api/v1/sync/push", json!({ "mutations": mutations }));
    let made = push(vec![
        mutation(
            "workout",
            &run,
            "create",
            1,
            json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "duration_s": 600 }),
        ),
        mutation("equipment", &shoes, "create", 2, json!({ "kind": "shoes", "nickname": "Pool" })),
    ])
    .await;
    note("sync create", &made);
    let changed = push(vec![
        mutation("workout", &run, "update", 3, json!({ "title": "Pooled", "equipment_ids": [shoes] })),
        mutation("equipment", &shoes, "update", 4, json!({ "notes": "one connection" })),
        mutation("workout", &uuid::Uuid::now_v7().to_string(), "update", 5, json!({ "title": "nobody's" })),
    ])
    .await;
    note("sync update", &changed);
    note("sync pull", &app.get_as(token, "/api/v1/sync/changes?limit=1").await);
    let deleted = push(vec![
        mutation("workout", &run, "delete", 6, json!({})),
        mutation("equipment", &shoes, "delete", 7, json!({})),
    ])
    .await;
    note("sync delete", &deleted);
    let gpx = corpus_file("gpx/cerknicko-jezero.gpx");
    let start = json!({ "workout_id": uuid::Uuid::now_v7().to_string(), "name": "lake.gpx", "size": gpx.len() });
    let upload = app.post_as(token, "/api/v1/sync/uploads", start).await;
    note("sync upload", &upload);
    let upload: Value = upload.json().await.unwrap();
    let part = app
        .client
        .put(app.url(&format!("/api/v1/sync/uploads/{}?offset=0", upload["id"].as_str().unwrap_or_default())))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(gpx)
        .send()
        .await
        .unwrap();
    note("sync upload part", &part);
    done
}

/// Every partners write, once each, between the caller and a second person:
/// opting in, swiping to a match, chat, receipts, typing, a report, an
/// unmatch and opting out; each must succeed.
async fn partners_writes(app: &TestApp, token: &str) -> Vec<(String, u16)> {
    let mut done = Vec::new();
    let mut note = |what: &str, response: &reqwest::Response| noted(&mut done, what, response);
    let me = id_in(&app.get_as(token, "/api/v1/account").await.json().await.unwrap());
    let (other, other_id) = app.someone("partner").await;
    let seeking = json!({ "sports": [{ "sport": "running", "min_kmh": 9.0, "max_kmh": 12.0 }], "days": ["sat"],
        "times": ["morning"], "radius_km": 20, "home_area": "u33db" });
    note("opt in", &app.put_as(token, "/api/v1/partners/me", seeking.clone()).await);
    note("opt in", &app.put_as(&other, "/api/v1/partners/me", seeking).await);
    let mail = json!({ "mail_matches": false, "mail_unread": true });
    note("partner settings", &app.put_as(token, "/api/v1/partners/settings", mail).await);
    note("swipe", &app.post_as(&other, "/api/v1/partners/swipes", json!({ "user_id": me, "yes": true })).await);
    let matched = app.post_as(token, "/api/v1/partners/swipes", json!({ "user_id": other_id, "yes": true })).await;
    note("match", &matched);
    let matched: Value = matched.json().await.unwrap();
    let conversation = matched["match"]["conversation_id"].as_str().unwrap_or_default().to_string();
    note("open conversation", &app.post_as(token, "/api/v1/conversations", json!({ "user_id": other_id })).await);
    let messages = format!("/api/v1/conversations/{conversation}/messages");
    let theirs = app.post_as(&other, &messages, json!({ "client_id": "c-1", "body": "Hi" })).await;
    note("send", &theirs);
    let theirs = id_in(&theirs.json().await.unwrap());
    let mine = app.post_as(token, &messages, json!({ "client_id": "c-2", "body": "Hello" })).await;
    note("send", &mine);
    let mine = id_in(&mine.json().await.unwrap());
    let receipts = format!("/api/v1/conversations/{conversation}/receipts");
    note("receipts", &app.put_as(token, &receipts, json!({ "delivered": 1, "read": 1 })).await);
    note("typing", &app.post_as(token, &format!("/api/v1/conversations/{conversation}/typing"), json!({})).await);
    let report = json!({ "reason": "spam" });
    note("report message", &app.post_as(token, &format!("{messages}/{theirs}/report"), report).await);
    note("delete message", &app.delete_as(token, &format!("{messages}/{mine}"), json!({})).await);
    note("undo swipe", &app.delete_as(token, "/api/v1/partners/swipes/last", json!({})).await);
    note(
        "swipe again",
        &app.post_as(token, "/api/v1/partners/swipes", json!({ "user_id": other_id, "yes": true })).await,
    );
    note("unmatch", &app.delete_as(token, &format!("/api/v1/partners/matches/{other_id}"), json!({})).await);
    note("opt out", &app.delete_as(token, "/api/v1/partners/me", json!({})).await);
    done
}

/// Every inventory write, once each, as `(what, status)`; each must succeed.
async fn inventory_writes(app: &TestApp, token: &str) -> Vec<(String, u16)> {
    let mut done = equipment_writes(app, token).await;
    done.extend(offer_writes(app, token).await);
    done
}

/// Notes an inventory write, which must have succeeded: the next ones build on it.
fn noted(done: &mut Vec<(String, u16)>, what: &str, response: &reqwest::Response) {
    let status = response.status().as_u16();
    assert!((200..400).contains(&status), "{what} answered {status} with one connection");
    done.push((what.to_string(), status));
}

fn id_in(body: &Value) -> String {
    body["id"].as_str().unwrap_or_default().to_string()
}

/// An item and its parts through their life, trainings that ask inventory
/// for their equipment, and a wear alert written in a change's transaction.
async fn equipment_writes(app: &TestApp, token: &str) -> Vec<(String, u16)> {
    let mut done = Vec::new();
    let mut note = |what: &str, response: &reqwest::Response| noted(&mut done, what, response);
    let body = json!({ "kind": "bike", "nickname": "Pool", "sports": ["cycling"], "default_for": ["cycling"] });
    let added = app.post_as(token, "/api/v1/equipment", body).await;
    note("add equipment", &added);
    let id = id_in(&added.json().await.unwrap());
    let item = format!("/api/v1/equipment/{id}");
    let ride =
        json!({ "sport": "cycling", "started_at": "2026-05-01T07:00:00Z", "duration_s": 3600, "distance_m": 30000 });
    note("log with a default", &app.post_as(token, "/api/v1/workouts", ride).await);
    let mut chosen = hand_logged(1);
    chosen["equipment_ids"] = json!([id]);
    note("log with equipment", &app.post_as(token, "/api/v1/workouts", chosen).await);
    support::eventually("the ride is counted", std::time::Duration::from_secs(20), || async {
        let item: Value = app.get_as(token, &item).await.json().await.unwrap();
        item["usage"]["trainings"] == 2
    })
    .await;
    note("change equipment", &app.patch_as(token, &item, json!({ "nickname": "Pooled", "threshold_m": 1000 })).await);
    let part = app.post_as(token, &format!("{item}/components"), json!({ "kind": "chain" })).await;
    note("add component", &part);
    let part = format!("{item}/components/{}", id_in(&part.json().await.unwrap()));
    note("change component", &app.patch_as(token, &part, json!({ "name": "KMC", "threshold_m": 500 })).await);
    let new_part = app.post_as(token, &format!("{part}/replacement"), json!({})).await;
    note("replace component", &new_part);
    let new_part = format!("{item}/components/{}", id_in(&new_part.json().await.unwrap()));
    note("delete component", &app.delete_as(token, &new_part, json!({})).await);
    note("equipment photo", &app.put_bytes_as(token, &format!("{item}/photo"), "image/png", striped_png(32, 32)).await);
    note("delete equipment photo", &app.delete_as(token, &format!("{item}/photo"), json!({})).await);
    let settings = json!({ "promotions": true, "region": "DE" });
    note("equipment settings", &app.put_as(token, "/api/v1/equipment/settings", settings).await);
    note("retire", &app.post_as(token, &format!("{item}/retirement"), json!({})).await);
    note("reinstate", &app.delete_as(token, &format!("{item}/retirement"), json!({})).await);
    support::eventually("the worn bike is announced", std::time::Duration::from_secs(20), || async {
        let notices: Value = app.get_as(token, "/api/v1/notifications").await.json().await.unwrap();
        notices["items"].as_array().is_some_and(|items| items.iter().any(|n| n["kind"] == "equipment_worn"))
    })
    .await;
    note("delete equipment", &app.delete_as(token, &item, json!({})).await);
    done
}

/// An offer published, changed, shown, dismissed, visited and withdrawn.
async fn offer_writes(app: &TestApp, token: &str) -> Vec<(String, u16)> {
    let (admin, _) = app.administrator().await;
    let mut done = Vec::new();
    let mut note = |what: &str, response: &reqwest::Response| noted(&mut done, what, response);
    let offer = json!({ "title": "Pool offer", "link": "https://shop.example/", "starts_at": "2026-01-01T00:00:00Z",
                        "ends_at": "2099-01-01T00:00:00Z", "sports": ["cycling"] });
    let published = app.post_as(&admin, "/api/v1/promotions", offer).await;
    note("publish offer", &published);
    let offer = format!("/api/v1/promotions/{}", id_in(&published.json().await.unwrap()));
    note("change offer", &app.patch_as(&admin, &offer, json!({ "body": "Now", "sports": ["running"] })).await);
    note("offers", &app.get_as(token, "/api/v1/promotions").await);
    note("dismiss offer", &app.post_as(token, &format!("{offer}/dismissal"), json!({})).await);
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let visit = browser.get(app.url(&format!("{offer}/visit"))).send().await.unwrap();
    assert_eq!(visit.status(), 303, "a visit is counted and sent on");
    note("visit offer", &visit);
    note("withdraw offer", &app.delete_as(&admin, &offer, json!({})).await);
    done
}

/// The realtime and notification write routes, 200 at once each: no
/// server error, and every ticket different.
async fn two_hundred_tickets_and_notification_writes_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = support::access(&app.signed_up(&support::unique_email("crowd"), "correct horse battery").await);
    let tickets = join_all((0..CROWD).map(|_| app.post_as(&token, "/api/v1/realtime/ticket", json!({})))).await;
    let mut issued = std::collections::BTreeSet::new();
    for ticket in tickets {
        assert_eq!(ticket.status(), 201);
        issued.insert(ticket.json::<Value>().await.unwrap()["ticket"].as_str().unwrap().to_string());
    }
    assert_eq!(issued.len(), CROWD);
    let reads = join_all((0..CROWD).map(|_| app.post_as(&token, "/api/v1/notifications/read", json!({})))).await;
    assert!(reads.iter().all(|r| r.status() == 204));
    let channels = join_all((0..CROWD).map(|n| {
        let channel = ["app", "digest", "off"][n % 3];
        let put = app.client.put(app.url("/api/v1/notifications/preferences/export_ready")).bearer_auth(&token);
        put.json(&json!({ "channel": channel })).send()
    }))
    .await;
    assert!(channels.iter().all(|r| r.as_ref().unwrap().status() == 200));
    let preferences: Value = app.get_as(&token, "/api/v1/notifications/preferences").await.json().await.unwrap();
    assert_eq!(preferences.as_array().unwrap().len(), 1, "one preference per kind, whatever the crowd");
}

/// The case that froze the server: hand-logged workouts without a privacy
/// ask identity for the default while logging.
async fn two_hundred_hand_logged_workouts_at_once_all_arrive(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("crowd").await;
    let answers = join_all((0..CROWD).map(|n| app.post_as(&token, "/api/v1/workouts", hand_logged(n)))).await;
    let counts = tally(answers.iter().map(|r| r.status().as_u16()));
    assert_eq!(counts, BTreeMap::from([(201, CROWD)]));
    assert_eq!(count_workouts(&app, &token).await, CROWD);
}

async fn two_hundred_changes_and_deletes_at_once_give_no_server_error(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("crowd").await;
    let mut ids = Vec::new();
    for n in 0..CROWD {
        ids.push(log(&app, &token, n).await["id"].as_str().unwrap().to_string());
    }
    let first = format!("/api/v1/workouts/{}", ids[0]);
    let changes = join_all(
        (0..CROWD).map(|n| app.patch_as(&token, &first, json!({ "title": format!("Title {n}"), "notes": "same" }))),
    )
    .await;
    assert_eq!(tally(changes.iter().map(|r| r.status().as_u16())), BTreeMap::from([(200, CROWD)]));
    let account = join_all(
        (0..CROWD).map(|n| app.patch_as(&token, "/api/v1/account", json!({ "display_name": format!("Runner {n}") }))),
    )
    .await;
    assert_eq!(tally(account.iter().map(|r| r.status().as_u16())), BTreeMap::from([(200, CROWD)]));

    // The same workout deleted 200 times at once: once, and then not found.
    let twice = join_all((0..CROWD).map(|_| app.delete_as(&token, &first, json!({})))).await;
    assert_eq!(tally(twice.iter().map(|r| r.status().as_u16())), BTreeMap::from([(204, 1), (404, CROWD - 1)]));
    let rest: Vec<String> = ids[1..].iter().map(|id| format!("/api/v1/workouts/{id}")).collect();
    let deletes = join_all(rest.iter().map(|path| app.delete_as(&token, path, json!({})))).await;
    assert_eq!(tally(deletes.iter().map(|r| r.status().as_u16())), BTreeMap::from([(204, CROWD - 1)]));
    let page: Value = app.get_as(&token, "/api/v1/workouts").await.json().await.unwrap();
    assert_eq!(page["items"], json!([]));
}

/// 200 reads of each kind at once (on SQLite they run on the requests'
/// own threads, each on a connection of its own), while trainings are
/// logged: every read answers, and each list holds what was there before
/// the writes and no more than what was there after.
async fn two_hundred_reads_at_once_beside_writes_all_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("crowd").await;
    let first = log(&app, &token, 0).await["id"].as_str().unwrap().to_string();
    let paths = [
        "/api/v1/workouts?limit=100".to_string(),
        format!("/api/v1/workouts/{first}"),
        "/api/v1/stats?period=month&from=2026-01-01&to=2026-12-31".to_string(),
        "/api/v1/records".to_string(),
        "/api/v1/feed".to_string(),
    ];
    let reads = join_all((0..CROWD).flat_map(|_| paths.iter().map(|path| app.get_as(&token, path))));
    let writes = join_all((1..=50).map(|n| app.post_as(&token, "/api/v1/workouts", hand_logged(n))));
    let (reads, writes) = tokio::join!(reads, writes);
    assert_eq!(tally(writes.iter().map(|r| r.status().as_u16())), BTreeMap::from([(201, 50)]));
    assert_eq!(tally(reads.iter().map(|r| r.status().as_u16())), BTreeMap::from([(200, CROWD * paths.len())]));
    for list in reads.into_iter().step_by(paths.len()) {
        let page: Value = list.json().await.unwrap();
        let seen = page["items"].as_array().unwrap().len();
        assert!((1..=51).contains(&seen), "a list during the writes holds 1 to 51 trainings, not {seen}");
    }
    assert_eq!(count_workouts(&app, &token).await, 51);
}

/// Every copy checks for a repeat before any is stored; the unique index
/// settles the race, and the losers learn which training won.
async fn one_file_uploaded_two_hundred_times_at_once_makes_one_training(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, me) = app.someone("uploads").await;
    let lake = corpus_file(LAKE);
    let answers = join_all((0..CROWD).map(|_| app.upload_as(&token, "lake.gpx", lake.clone(), &[]))).await;
    let counts = tally(answers.iter().map(|r| r.status().as_u16()));
    assert_eq!(counts, BTreeMap::from([(201, 1), (409, CROWD - 1)]));
    let mut named = std::collections::BTreeSet::new();
    for answer in answers {
        let body: Value = answer.json().await.unwrap();
        named.insert(body.get("existing_id").unwrap_or(&body["id"]).as_str().unwrap().to_string());
    }
    assert_eq!(named.len(), 1, "every answer names the one training: {named:?}");
    assert_eq!(count_workouts(&app, &token).await, 1);
    let files = app.stored_files(&format!("users/{me}/training")).await;
    assert_eq!(files.len(), 1, "the repeats kept no file: {files:?}");
}

/// SQLite's plain BEGIN made refreshes fail with "database is locked". One
/// token sent 20 times at once from one place reads as answers lost on the
/// way: each is traded in turn, and only the last trade's token stays live.
/// And 40 sessions all refresh at once.
async fn refreshes_at_once_give_one_answer_per_token_and_no_server_error(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = support::unique_email("refresh");
    let password = "correct horse battery staple";
    let first = app.signed_up(&email, password).await;
    let same =
        join_all((0..20).map(|_| app.post("/api/v1/auth/refresh", json!({ "refresh_token": first["refresh_token"] }))))
            .await;
    assert_eq!(tally(same.iter().map(|r| r.status().as_u16())), BTreeMap::from([(200, 20)]));
    let mut answered = Vec::new();
    for answer in same {
        answered.push(answer.json::<Value>().await.unwrap()["refresh_token"].clone());
    }
    let traded =
        join_all(answered.iter().map(|t| app.post("/api/v1/auth/refresh", json!({ "refresh_token": t })))).await;
    assert_eq!(tally(traded.iter().map(|r| r.status().as_u16())), BTreeMap::from([(200, 1), (401, 19)]));

    let mut sessions = Vec::new();
    for _ in 0..40 {
        sessions.push(app.logged_in(&email, password).await["refresh_token"].clone());
    }
    let many = join_all(sessions.iter().map(|t| app.post("/api/v1/auth/refresh", json!({ "refresh_token": t })))).await;
    assert_eq!(tally(many.iter().map(|r| r.status().as_u16())), BTreeMap::from([(200, 40)]));
}

async fn photos_sent_at_once_stop_at_the_cap(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("photos").await;
    let workout = log(&app, &token, 0).await;
    let id = workout["id"].as_str().unwrap();
    let answers = join_all((0..45).map(|_| photo(&app, &token, id, striped_png(16, 16)))).await;
    let counts = tally(answers.iter().map(|r| r.status().as_u16()));
    assert_eq!(counts, BTreeMap::from([(201, 30), (409, 15)]));
    let photos: Value = app.get_as(&token, &format!("/api/v1/workouts/{id}/photos")).await.json().await.unwrap();
    assert_eq!(photos.as_array().unwrap().len(), 30);
}

/// NUL was a 500 on PostgreSQL and stored on SQLite; now both refuse every
/// control character but tab and line breaks, naming the field.
async fn control_characters_are_refused_with_the_field_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("text").await;
    let mut nul = hand_logged(0);
    nul["title"] = json!("Morning\u{0} run");
    let refused = app.post_as(&token, "/api/v1/workouts", nul).await;
    assert_eq!(expect_problem(refused, 422, "invalid-input").await["field"], "title");
    let mut escape = hand_logged(0);
    escape["equipment_ids"] = json!(["shoe", "\u{1b}[2J"]);
    let refused = app.post_as(&token, "/api/v1/workouts", escape).await;
    assert_eq!(expect_problem(refused, 422, "invalid-input").await["field"], "equipment_ids[1]");
    let refused = app.patch_as(&token, "/api/v1/account", json!({ "display_name": "Bell\u{7}" })).await;
    assert_eq!(expect_problem(refused, 422, "invalid-input").await["field"], "display_name");
    let refused = app.get_as(&token, "/api/v1/workouts?sport=run%00ning").await;
    assert_eq!(expect_problem(refused, 422, "invalid-input").await["field"], "sport");
    let refused = app.post("/api/v1/auth/login", json!({ "email": "a\u{0}@example.org", "password": "x" })).await;
    assert_eq!(expect_problem(refused, 422, "invalid-input").await["field"], "email");
    let refused = app.upload_as(&token, "lake.gpx", corpus_file(LAKE), &[("title", "Lake\u{0}")]).await;
    assert_eq!(expect_problem(refused, 422, "invalid-input").await["field"], "title");
    expect_problem(app.get_as(&token, "/api/v1/workouts/abc%00def").await, 404, "not-found").await;

    // Tabs and line breaks are text; nothing refused was stored.
    let mut fine = hand_logged(0);
    fine["notes"] = json!("Intervals:\n\t4 × 1 km\r\n");
    assert_eq!(app.post_as(&token, "/api/v1/workouts", fine).await.status(), 201);
    let page: Value = app.get_as(&token, "/api/v1/workouts").await.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let me: Value = app.get_as(&token, "/api/v1/account").await.json().await.unwrap();
    assert_eq!(me["display_name"], "Runner");
}

async fn an_idempotency_key_is_refused_for_a_different_request(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("keys").await;
    let send = |key: &'static str, body: Value| {
        app.client
            .post(app.url("/api/v1/workouts"))
            .bearer_auth(&token)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let first = send("k-1", hand_logged(1)).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send("k-1", hand_logged(1)).await.unwrap();
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap()["id"], first["id"]);
    let other = send("k-1", hand_logged(2)).await.unwrap();
    assert_eq!(expect_problem(other, 422, "idempotency-key-reused").await["field"], "Idempotency-Key");

    let upload = |bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name("a"));
        app.client
            .post(app.url("/api/v1/workouts"))
            .bearer_auth(&token)
            .header("Idempotency-Key", "k-2")
            .multipart(form)
            .send()
    };
    let uploaded = upload(corpus_file(LAKE)).await.unwrap();
    assert_eq!(uploaded.status(), 201);
    let uploaded: Value = uploaded.json().await.unwrap();
    let retried = upload(corpus_file(LAKE)).await.unwrap();
    assert_eq!(retried.status(), 200);
    assert_eq!(retried.json::<Value>().await.unwrap()["id"], uploaded["id"]);
    let different = upload(corpus_file("gpx/Mojstrovka.gpx")).await.unwrap();
    expect_problem(different, 422, "idempotency-key-reused").await;
    let page: Value = app.get_as(&token, "/api/v1/workouts").await.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let me: Value = app.get_as(&token, "/api/v1/account").await.json().await.unwrap();
    let files = app.stored_files(&format!("users/{}/training", me["id"].as_str().unwrap())).await;
    assert_eq!(files.len(), 1, "refused and repeated uploads keep no file: {files:?}");
}

/// A gzip of nested elements, a gzip that unpacks past any workout, and a
/// small PNG that claims 12000×12000 16-bit pixels: each refused with a
/// reason, quickly, and nothing kept.
async fn bombs_are_refused_and_nothing_is_kept(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, me) = app.someone("bombs").await;

    let mut nested = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    nested.write_all(b"<?xml version=\"1.0\"?><gpx version=\"1.1\" creator=\"x\">").unwrap();
    let chunk = "<a>".repeat(64 * 1024);
    for _ in 0..64 {
        nested.write_all(chunk.as_bytes()).unwrap();
    }
    let refused = app.upload_as(&token, "nested.gpx.gz", nested.finish().unwrap(), &[]).await;
    expect_problem(refused, 422, "unreadable-activity-file").await;

    let mut huge = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    huge.write_all(b"<?xml version=\"1.0\"?><gpx version=\"1.1\" creator=\"x\"><!--").unwrap();
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..130 {
        huge.write_all(&spaces).unwrap();
    }
    let refused = app.upload_as(&token, "huge.gpx.gz", huge.finish().unwrap(), &[]).await;
    expect_problem(refused, 422, "unreadable-activity-file").await;

    let workout = log(&app, &token, 0).await;
    let refused = photo(&app, &token, workout["id"].as_str().unwrap(), png_claiming(12_000, 12_000, 16)).await;
    let problem = expect_problem(refused, 422, "invalid-input").await;
    assert_eq!(problem["field"], "photo");
    let refused = app.put_avatar_as(&token, png_claiming(12_000, 12_000, 16)).await;
    assert_eq!(refused.status(), 422);

    let page: Value = app.get_as(&token, "/api/v1/workouts").await.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1, "only the hand-logged workout");
    assert_eq!(app.stored_files(&format!("users/{me}")).await, Vec::<String>::new());
}

/// What a crash or a cut-off upload leaves (a file without its workout, a
/// photo without its row, a half-written file) goes; what rows refer to stays.
async fn files_no_workout_refers_to_are_swept(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, me) = app.someone("orphans").await;
    let uploaded: Value = app.upload_as(&token, "lake.gpx", corpus_file(LAKE), &[]).await.json().await.unwrap();
    let id = uploaded["id"].as_str().unwrap();
    assert_eq!(photo(&app, &token, id, striped_png(16, 16)).await.status(), 201);
    // The thumbnail's file is written before its row names it: a sweep in
    // between would take it, so the photo is finished before the crash begins.
    support::eventually("the thumbnail is made", std::time::Duration::from_secs(30), || async {
        let list: Value = app.get_as(&token, &format!("/api/v1/workouts/{id}/photos")).await.json().await.unwrap();
        list[0]["thumbnail_ready"] == true
    })
    .await;
    let blobs = &app.server.platform.blobs;
    let lost_upload = format!("users/{me}/training/0190a6f0-0000-7000-8000-000000000000/original.gpx");
    let lost_photo = format!("users/{me}/training/{id}/photos/0190a6f0-0000-7000-8000-000000000001.png");
    for key in [&lost_upload, &lost_photo] {
        blobs.put_bytes(key, bytes::Bytes::from_static(b"left behind")).await.unwrap();
    }
    let partial = app.env.data_dir().join(format!("files/users/{me}/training/{id}/original.gpx#7"));
    std::fs::write(&partial, b"half").unwrap();

    let later = platform::db::now_ms() + 60_000;
    let swept = app.server.contexts.training.sweep_orphan_files(later).await.unwrap();
    assert_eq!(swept, 3);
    let kept = app.stored_files(&format!("users/{me}")).await;
    assert!(!kept.contains(&lost_upload) && !kept.contains(&lost_photo), "{kept:?}");
    let original = format!("users/{me}/training/{id}/original.gpx");
    assert!(kept.contains(&original), "{kept:?}");
    assert!(kept.iter().any(|k| k.contains("/photos/") && k.ends_with(".png")), "the photo stays: {kept:?}");
    assert!(!partial.exists());
    let original = app.get_as(&token, &format!("/api/v1/workouts/{id}/original")).await;
    assert_eq!(original.status(), 200);
    // A sweep of files newer than an upload could take leaves everything.
    let now = platform::db::now_ms() - 3_600_000;
    assert_eq!(app.server.contexts.training.sweep_orphan_files(now).await.unwrap(), 0);
}

/// A small PNG whose header claims `width`×`height` RGB pixels of `depth`
/// bits: what a decoder would allocate for is in the header alone.
fn png_claiming(width: u32, height: u32, depth: u8) -> Vec<u8> {
    let mut png = striped_png(8, 8);
    // Signature (8), then the IHDR chunk: length (4), "IHDR" (4), data (13), CRC (4).
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    png[24] = depth;
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// 200 at once of each inventory write: no server error, and what the
/// crowd leaves is consistent (one default per kind and sport, one item
/// per client-chosen id, one dismissal per person).
async fn two_hundred_of_each_equipment_write_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("crowd").await;
    let creates = join_all((0..CROWD).map(|n| {
        let body = json!({ "kind": "shoes", "nickname": format!("Pair {n}"), "default_for": ["running"] });
        app.post_as(&token, "/api/v1/equipment", body)
    }))
    .await;
    assert_eq!(tally(creates.iter().map(|r| r.status().as_u16())), BTreeMap::from([(201, CROWD)]));
    let items: Value = app.get_as(&token, "/api/v1/equipment").await.json().await.unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), CROWD);
    let defaults = items.iter().filter(|i| i["default_for"] == json!(["running"])).count();
    assert_eq!(defaults, 1, "one pair of shoes is the running default, whoever came last");

    let item = format!("/api/v1/equipment/{}", items[0]["id"].as_str().unwrap());
    let changes =
        join_all((0..CROWD).map(|n| {
            app.patch_as(&token, &item, json!({ "nickname": format!("Renamed {n}"), "threshold_m": 1000 + n }))
        }))
        .await;
    assert_eq!(tally(changes.iter().map(|r| r.status().as_u16())), BTreeMap::from([(200, CROWD)]));
    let parts = format!("{item}/components");
    let added = join_all((0..CROWD).map(|_| app.post_as(&token, &parts, json!({ "kind": "chain" })))).await;
    assert_eq!(tally(added.iter().map(|r| r.status().as_u16())), BTreeMap::from([(201, CROWD)]));
    let item: Value = app.get_as(&token, &item).await.json().await.unwrap();
    assert_eq!(item["components"].as_array().unwrap().len(), CROWD);

    let settings = join_all((0..CROWD).map(|n| {
        let region = ["DE", "FR"][n % 2];
        let body = json!({ "promotions": n % 2 == 0, "region": region });
        app.put_as(&token, "/api/v1/equipment/settings", body)
    }))
    .await;
    assert_eq!(tally(settings.iter().map(|r| r.status().as_u16())), BTreeMap::from([(200, CROWD)]));
    let chosen: Value = app.get_as(&token, "/api/v1/equipment/settings").await.json().await.unwrap();
    assert!(
        chosen == json!({ "promotions": true, "region": "DE" })
            || chosen == json!({ "promotions": false, "region": "FR" })
    );

    let (admin, _) = app.administrator().await;
    let offer = json!({ "title": "Crowd", "link": "https://shop.example/", "starts_at": "2026-01-01T00:00:00Z",
                        "ends_at": "2099-01-01T00:00:00Z" });
    let offer: Value = app.post_as(&admin, "/api/v1/promotions", offer).await.json().await.unwrap();
    let dismissal = format!("/api/v1/promotions/{}/dismissal", offer["id"].as_str().unwrap());
    let dismissals = join_all((0..CROWD).map(|_| app.post_as(&token, &dismissal, json!({})))).await;
    assert_eq!(tally(dismissals.iter().map(|r| r.status().as_u16())), BTreeMap::from([(204, CROWD)]));
    let counted: Value = app.get_as(&admin, "/api/v1/promotions/mine").await.json().await.unwrap();
    assert_eq!(counted[0]["dismissals"], 1);

    // A flaky connection's offline create, sent 200 times at once.
    let body = json!({ "id": uuid::Uuid::now_v7().to_string(), "kind": "bike", "nickname": "Offline" });
    let retries = join_all((0..CROWD).map(|_| app.post_as(&token, "/api/v1/equipment", body.clone()))).await;
    assert_eq!(tally(retries.iter().map(|r| r.status().as_u16())), BTreeMap::from([(200, CROWD - 1), (201, 1)]));
    let items: Value = app.get_as(&token, "/api/v1/equipment").await.json().await.unwrap();
    assert_eq!(items.as_array().unwrap().len(), CROWD + 1);
}

async fn two_hundred_of_each_social_write_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (owner, owner_id) = app.someone("followed").await;
    let (fan, _) = app.someone("fan").await;
    let run =
        json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "duration_s": 600, "privacy": "public" });
    let run: Value = app.post_as(&owner, "/api/v1/workouts", run).await.json().await.unwrap();
    let reactions = format!("/api/v1/reactions/{}", run["id"].as_str().unwrap());
    support::eventually("social knows the run", std::time::Duration::from_secs(30), || async {
        app.get_as(&fan, &format!("{reactions}/comments")).await.status() == 200
    })
    .await;

    let follow = format!("/api/v1/people/{owner_id}/follow");
    let follows = join_all((0..CROWD).map(|_| app.put_as(&fan, &follow, json!({})))).await;
    assert_eq!(tally(follows.iter().map(|r| r.status().as_u16())), BTreeMap::from([(200, CROWD)]));
    let profile: Value = app.get_as(&fan, &format!("/api/v1/people/{owner_id}")).await.json().await.unwrap();
    assert_eq!(profile["followers"], 1, "one follow, counted once");

    let (kudos_path, comments_path) = (format!("{reactions}/kudos"), format!("{reactions}/comments"));
    let kudos = join_all((0..CROWD).map(|_| app.put_as(&fan, &kudos_path, json!({})))).await;
    assert_eq!(tally(kudos.iter().map(|r| r.status().as_u16())), BTreeMap::from([(200, CROWD)]));
    let comments =
        join_all((0..CROWD).map(|n| app.post_as(&fan, &comments_path, json!({ "body": format!("Comment {n}") }))))
            .await;
    let by_status = tally(comments.iter().map(|r| r.status().as_u16()));
    // Unless the clock hour turned during the crowd, 60 get through and the rest wait.
    assert!(by_status.keys().all(|s| [201, 429].contains(s)), "{by_status:?}");
    assert!((60..=120).contains(&by_status[&201]), "{by_status:?}");
    let shown: Value = app.get_as(&owner, &format!("{reactions}/comments")).await.json().await.unwrap();
    assert_eq!(shown.as_array().unwrap().len(), by_status[&201]);

    let report = json!({ "subject": "training", "id": run["id"], "reason": "spam" });
    let reports = join_all((0..CROWD).map(|_| app.post_as(&fan, "/api/v1/reports", report.clone()))).await;
    let by_status = tally(reports.iter().map(|r| r.status().as_u16()));
    assert_eq!(by_status.get(&201), Some(&1), "one open report per subject: {by_status:?}");
    assert!(by_status.keys().all(|s| [201, 409].contains(s)), "{by_status:?}");

    let profiles =
        join_all((0..CROWD).map(|n| app.put_as(&owner, "/api/v1/profile", json!({ "bio": format!("Bio {n}") })))).await;
    assert_eq!(tally(profiles.iter().map(|r| r.status().as_u16())), BTreeMap::from([(200, CROWD)]));
    let block = format!("/api/v1/blocks/{}", id_of(&app, &fan).await);
    let blocks = join_all((0..CROWD).map(|_| app.put_as(&owner, &block, json!({})))).await;
    assert_eq!(tally(blocks.iter().map(|r| r.status().as_u16())), BTreeMap::from([(204, CROWD)]));
    assert_eq!(app.get_as(&fan, &format!("/api/v1/people/{owner_id}")).await.status(), 404);
}

async fn id_of(app: &TestApp, token: &str) -> String {
    let me: Value = app.get_as(token, "/api/v1/account").await.json().await.unwrap();
    id_in(&me)
}
