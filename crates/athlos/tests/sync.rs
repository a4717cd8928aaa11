//! The offline sync protocol as devices use it, on SQLite and PostgreSQL,
//! through a small non-browser client ([`Device`]): pulls page by page and
//! never skip a change that committed late; pushes apply once and merge per
//! field on their clocks; deletes win over older edits only; bad pushes are
//! refused and change nothing; a device past the horizon resyncs without
//! losing its unsent changes; open devices hear of changes live; and three
//! devices driven at random through offline edits, lost, duplicated and
//! reordered requests all converge without losing anything acknowledged.

mod support;

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use futures::future::join_all;
use futures::SinkExt;
use serde_json::{json, Value};
use support::bus::Bus;
use support::socket::next_message;
use support::{access, eventually, expect_problem, unique_email, Backend, TestApp};
use tokio_tungstenite::tungstenite::Message as Frame;

const PASSWORD: &str = "correct horse battery";
const PATIENCE: Duration = Duration::from_secs(30);

async fn person(app: &TestApp, name: &str) -> String {
    let email = unique_email(name);
    let registered =
        app.post("/api/v1/auth/register", json!({ "email": email, "password": PASSWORD, "display_name": name })).await;
    assert_eq!(registered.status(), 202);
    access(&app.logged_in(&email, PASSWORD).await)
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A record as a device keeps it: by entity and id.
type Key = (String, String);

/// A device that speaks the protocol: a hybrid logical clock, a cursor, its
/// copy of the records, and the mutations it has not had answered yet.
struct Device {
    name: String,
    token: String,
    /// How far this device's wall clock is off the server's, in ms.
    skew_ms: i64,
    clock: (i64, u32),
    cursor: Option<String>,
    /// The server's records as the pulls brought them.
    records: BTreeMap<Key, Value>,
    pending: Vec<Value>,
    /// Every answer the server gave, by mutation id.
    answers: HashMap<String, Value>,
    resyncs: u32,
}

impl Device {
    fn new(name: &str, token: &str, skew_ms: i64) -> Self {
        Device {
            name: name.into(),
            token: token.into(),
            skew_ms,
            clock: (0, 0),
            cursor: None,
            records: BTreeMap::new(),
            pending: Vec::new(),
            answers: HashMap::new(),
            resyncs: 0,
        }
    }

    /// The clock for a change made now (the HLC send rule).
    fn tick(&mut self) -> String {
        let wall = platform::db::now_ms() + self.skew_ms;
        self.clock = if wall > self.clock.0 { (wall, 0) } else { (self.clock.0, self.clock.1 + 1) };
        format!("{:015}-{:05}-{}", self.clock.0, self.clock.1, self.name)
    }

    /// Keeps the clock past one the server showed (the HLC receive rule).
    fn observe(&mut self, clock: &str) {
        let wall: i64 = clock[..15].parse().unwrap();
        let counter: u32 = clock[16..21].parse().unwrap();
        if (wall, counter) > self.clock {
            self.clock = (wall, counter);
        }
    }

    /// A change made on the device: queued, and shown at once ([`Device::view`]).
    fn change(&mut self, entity: &str, id: &str, op: &str, fields: Value) -> Value {
        let mutation = json!({ "id": new_id(), "entity": entity, "entity_id": id, "op": op,
            "clock": self.tick(), "fields": fields });
        self.pending.push(mutation.clone());
        mutation
    }

    /// What the person sees: the server's records with the unsent changes
    /// laid over them. A change the server refused leaves the view with it.
    fn view(&self) -> BTreeMap<Key, Value> {
        let mut view = self.records.clone();
        for m in &self.pending {
            let key = (m["entity"].as_str().unwrap().to_string(), m["entity_id"].as_str().unwrap().to_string());
            if m["op"] == "delete" {
                view.remove(&key);
                continue;
            }
            let record = view.entry(key.clone()).or_insert_with(|| json!({ "id": key.1 }));
            for (field, value) in m["fields"].as_object().unwrap() {
                record[field] = value.clone();
            }
        }
        view
    }

    async fn send(&self, app: &TestApp, mutations: &[Value]) -> reqwest::Response {
        app.post_as(&self.token, "/api/v1/sync/push", json!({ "mutations": mutations })).await
    }

    /// Pushes what is pending and takes in the answers.
    async fn push(&mut self, app: &TestApp) {
        if self.pending.is_empty() {
            return;
        }
        let batch: Vec<Value> = self.pending.iter().take(100).cloned().collect();
        let answer = self.send(app, &batch).await;
        assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap());
        let answer: Value = answer.json().await.unwrap();
        self.take_answer(&answer);
    }

    fn take_answer(&mut self, answer: &Value) {
        self.observe(answer["clock"].as_str().unwrap());
        for result in answer["results"].as_array().unwrap() {
            let id = result["id"].as_str().unwrap().to_string();
            if let Some(earlier) = self.answers.get(&id) {
                assert_eq!(earlier["status"], result["status"], "a mutation sent again is answered as the first time");
            }
            self.answers.insert(id.clone(), result.clone());
            self.pending.retain(|m| m["id"] != id.as_str());
        }
    }

    /// Pulls every page; past the horizon, starts again from nothing, its
    /// unsent changes kept.
    async fn pull(&mut self, app: &TestApp) {
        loop {
            let path = match &self.cursor {
                Some(cursor) => format!("/api/v1/sync/changes?limit=7&cursor={cursor}"),
                None => "/api/v1/sync/changes?limit=7".to_string(),
            };
            let page = app.get_as(&self.token, &path).await;
            if page.status() == 410 {
                expect_problem(page, 410, "resync-required").await;
                self.resyncs += 1;
                self.cursor = None;
                self.records.clear();
                continue;
            }
            assert_eq!(page.status(), 200, "{}", page.text().await.unwrap());
            let page: Value = page.json().await.unwrap();
            self.observe(page["clock"].as_str().unwrap());
            for change in page["changes"].as_array().unwrap() {
                let key = (change["entity"].as_str().unwrap().to_string(), change["id"].as_str().unwrap().to_string());
                if change["deleted"] == true {
                    self.records.remove(&key);
                } else {
                    self.records.insert(key, change["record"].clone());
                }
            }
            self.cursor = Some(page["cursor"].as_str().unwrap().to_string());
            if page["more"] == false {
                break;
            }
        }
    }

    /// The ids of `entity` the person sees on this device.
    fn ids(&self, entity: &str) -> Vec<String> {
        self.view().into_keys().filter(|(e, _)| e == entity).map(|(_, id)| id.clone()).collect()
    }
}

fn workout_fields(title: &str) -> Value {
    // The start as the server writes it back, so that a device compares like with like.
    json!({ "sport": "running", "started_at": "2026-11-20T07:00:00.000Z", "duration_s": 1800, "title": title })
}

async fn push(app: &TestApp, token: &str, mutations: Value) -> Value {
    let answer = app.post_as(token, "/api/v1/sync/push", json!({ "mutations": mutations })).await;
    assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap());
    answer.json().await.unwrap()
}

fn mutation(entity: &str, id: &str, op: &str, clock: &str, fields: Value) -> Value {
    json!({ "id": new_id(), "entity": entity, "entity_id": id, "op": op, "clock": clock, "fields": fields })
}

/// A clock `ms` after the server's now, from device `device`.
fn at(ms: i64, device: &str) -> String {
    format!("{:015}-00000-{device}", platform::db::now_ms() + ms)
}

async fn workout(app: &TestApp, token: &str, id: &str) -> reqwest::Response {
    app.get_as(token, &format!("/api/v1/workouts/{id}")).await
}

/// Pulls come in pages, each record with its whole current state once, and
/// deletes as tombstones; another person's changes never show.
async fn pulls_page_through_records_and_tombstones(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ana = person(&app, "ana").await;
    let bo = person(&app, "bo").await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let made = app.post_as(&ana, "/api/v1/workouts", workout_fields(&format!("Run {n}"))).await;
        ids.push(made.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
    }
    let shoes = app.post_as(&ana, "/api/v1/equipment", json!({ "kind": "shoes", "nickname": "Red" })).await;
    let shoes = shoes.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    app.post_as(&bo, "/api/v1/workouts", workout_fields("Bo's")).await;

    let mut phone = Device::new("phone", &ana, 0);
    phone.pull(&app).await;
    assert_eq!(phone.ids("workout").len(), 5);
    assert_eq!(phone.records[&("equipment".to_string(), shoes.clone())]["nickname"], "Red");
    assert_eq!(phone.records[&("workout".to_string(), ids[2].clone())]["title"], "Run 2");
    assert!(phone.records.values().all(|r| r["title"] != "Bo's"), "only the person's own records");

    // Only what changed since: an edit (twice: sent once) and a delete.
    let first = app.get_as(&ana, &format!("/api/v1/sync/changes?cursor={}", phone.cursor.as_ref().unwrap())).await;
    assert!(first.json::<Value>().await.unwrap()["changes"].as_array().unwrap().is_empty());
    app.patch_as(&ana, &format!("/api/v1/workouts/{}", ids[0]), json!({ "title": "Renamed" })).await;
    app.patch_as(&ana, &format!("/api/v1/workouts/{}", ids[0]), json!({ "notes": "Twice" })).await;
    app.delete_as(&ana, &format!("/api/v1/workouts/{}", ids[1]), json!({})).await;
    let since: Value = app
        .get_as(&ana, &format!("/api/v1/sync/changes?cursor={}", phone.cursor.as_ref().unwrap()))
        .await
        .json()
        .await
        .unwrap();
    let changes = since["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{since}");
    assert_eq!(changes[0]["id"], ids[0].as_str());
    assert_eq!(
        (changes[0]["record"]["title"].as_str(), changes[0]["record"]["notes"].as_str()),
        (Some("Renamed"), Some("Twice"))
    );
    assert_eq!((changes[1]["id"].as_str(), &changes[1]["deleted"]), (Some(ids[1].as_str()), &json!(true)));
    assert!(changes[1].get("record").is_none());
    phone.pull(&app).await;
    assert_eq!(phone.ids("workout").len(), 4);

    // Bad cursors and limits are refused; a cursor past the end is another server's.
    for bad in ["cursor=abc", "cursor=-1", "limit=0", "limit=501", "cursor=99999999999999999999"] {
        expect_problem(app.get_as(&ana, &format!("/api/v1/sync/changes?{bad}")).await, 422, "invalid-input").await;
    }
    expect_problem(app.get_as(&ana, "/api/v1/sync/changes?cursor=999999").await, 410, "resync-required").await;
    assert_eq!(app.get("/api/v1/sync/changes").await.status(), 401);
}

/// A mutation sent again is applied once; two devices' edits of different
/// fields both stay; of the same field, the later clock wins and the other
/// device is told which field it lost.
async fn pushes_apply_once_and_merge_per_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ana = person(&app, "ana").await;
    let run = new_id();
    let create = mutation("workout", &run, "create", &at(-60_000, "phone"), workout_fields("Offline run"));
    let first = push(&app, &ana, json!([create])).await;
    assert_eq!(first["results"][0]["status"], "applied", "{first}");
    assert_eq!(first["results"][0]["record"]["title"], "Offline run");
    // The answer lost on the way: sent again, and again at once.
    let again = join_all((0..4).map(|_| push(&app, &ana, json!([create])))).await;
    for answer in again {
        assert_eq!(answer["results"][0]["status"], "applied");
        assert_eq!(answer["results"][0]["record"]["id"], run.as_str());
    }
    let list: Value = app.get_as(&ana, "/api/v1/workouts").await.json().await.unwrap();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");

    // Different fields, in either order of arrival: both kept.
    let notes = mutation("workout", &run, "update", &at(-30_000, "laptop"), json!({ "notes": "legs heavy" }));
    let title = mutation("workout", &run, "update", &at(-40_000, "phone"), json!({ "title": "Hills" }));
    let answers = push(&app, &ana, json!([notes, title])).await;
    assert_eq!(answers["results"][0]["status"], "applied");
    assert_eq!(answers["results"][1]["status"], "applied");
    let now: Value = workout(&app, &ana, &run).await.json().await.unwrap();
    assert_eq!((now["title"].as_str(), now["notes"].as_str()), (Some("Hills"), Some("legs heavy")));

    // The same field: the later clock wins whichever arrives last.
    let later = mutation("workout", &run, "update", &at(-10_000, "laptop"), json!({ "title": "Hill repeats" }));
    let earlier = mutation(
        "workout",
        &run,
        "update",
        &at(-20_000, "phone"),
        json!({ "title": "Hills x6", "distance_m": 8000.0 }),
    );
    push(&app, &ana, json!([later])).await;
    let merged = push(&app, &ana, json!([earlier])).await;
    let result = &merged["results"][0];
    assert_eq!(result["status"], "merged", "{merged}");
    assert_eq!(result["lost"], json!(["title"]));
    assert_eq!(
        (result["record"]["title"].as_str(), result["record"]["distance_m"].as_f64()),
        (Some("Hill repeats"), Some(8000.0))
    );
    // The regular API takes part with the server's time: an older offline edit loses to it.
    app.patch_as(&ana, &format!("/api/v1/workouts/{run}"), json!({ "title": "From the web" })).await;
    let stale = push(
        &app,
        &ana,
        json!([mutation("workout", &run, "update", &at(-5_000, "phone"), json!({ "title": "Stale" }))]),
    )
    .await;
    assert_eq!(stale["results"][0]["lost"], json!(["title"]), "{stale}");
    let ahead = at(1_000, "phone");
    let fresh =
        push(&app, &ana, json!([mutation("workout", &run, "update", &ahead, json!({ "title": "Fresh" }))])).await;
    assert_eq!(fresh["results"][0]["status"], "applied", "{fresh}");
    assert!(fresh["clock"].as_str().unwrap() >= ahead.as_str(), "the answer's clock is never behind an accepted one");

    // Equipment merges the same way, and a new item takes the device's id.
    let shoes = new_id();
    let made = push(
        &app,
        &ana,
        json!([mutation(
            "equipment",
            &shoes,
            "create",
            &at(-9_000, "phone"),
            json!({ "kind": "shoes", "nickname": "Blue" })
        )]),
    )
    .await;
    assert_eq!(made["results"][0]["record"]["id"], shoes.as_str(), "{made}");
    let both = push(
        &app,
        &ana,
        json!([
            mutation("equipment", &shoes, "update", &at(-8_000, "phone"), json!({ "notes": "half size up" })),
            mutation(
                "equipment",
                &shoes,
                "update",
                &at(-7_000, "laptop"),
                json!({ "price": 120.0, "currency": "EUR" })
            ),
        ]),
    )
    .await;
    assert!(both["results"].as_array().unwrap().iter().all(|r| r["status"] == "applied"), "{both}");
    let item: Value = app.get_as(&ana, &format!("/api/v1/equipment/{shoes}")).await.json().await.unwrap();
    assert_eq!((item["notes"].as_str(), item["price"].as_f64()), (Some("half size up"), Some(120.0)));
}

/// A delete wins over older edits and loses to newer ones; once applied it
/// is final: a later edit is refused as gone, and a second delete is fine.
async fn deletes_win_over_older_edits_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ana = person(&app, "ana").await;
    let (kept, gone) = (new_id(), new_id());
    push(
        &app,
        &ana,
        json!([
            mutation("workout", &kept, "create", &at(-60_000, "phone"), workout_fields("Kept")),
            mutation("workout", &gone, "create", &at(-60_000, "phone"), workout_fields("Gone")),
        ]),
    )
    .await;
    push(
        &app,
        &ana,
        json!([mutation("workout", &kept, "update", &at(-10_000, "laptop"), json!({ "notes": "newer" }))]),
    )
    .await;
    let lost = push(&app, &ana, json!([mutation("workout", &kept, "delete", &at(-20_000, "phone"), json!({}))])).await;
    assert_eq!(lost["results"][0]["status"], "merged", "{lost}");
    assert_eq!(lost["results"][0]["lost"], json!(["notes"]));
    assert_eq!(workout(&app, &ana, &kept).await.status(), 200, "the newer edit keeps the training");

    push(
        &app,
        &ana,
        json!([mutation("workout", &gone, "update", &at(-30_000, "laptop"), json!({ "notes": "older" }))]),
    )
    .await;
    let won = push(&app, &ana, json!([mutation("workout", &gone, "delete", &at(-20_000, "phone"), json!({}))])).await;
    assert_eq!(won["results"][0]["status"], "applied", "{won}");
    assert!(won["results"][0].get("record").is_none());
    assert_eq!(workout(&app, &ana, &gone).await.status(), 404);
    let late = push(
        &app,
        &ana,
        json!([mutation("workout", &gone, "update", &at(0, "laptop"), json!({ "title": "Too late" }))]),
    )
    .await;
    assert_eq!(late["results"][0]["status"], "refused");
    assert_eq!(late["results"][0]["problem"]["type"], "/problems/gone");
    let recreate =
        push(&app, &ana, json!([mutation("workout", &gone, "create", &at(0, "laptop"), workout_fields("Again"))]))
            .await;
    assert_eq!(recreate["results"][0]["problem"]["type"], "/problems/gone");
    let twice = push(&app, &ana, json!([mutation("workout", &gone, "delete", &at(0, "laptop"), json!({}))])).await;
    assert_eq!(twice["results"][0]["status"], "applied", "deleting what is gone is done");
}

/// Malformed pushes are a 422 that applies nothing; a well-formed change
/// the record's rules refuse is refused alone, with its reason, and stays
/// refused when sent again; another person's ids are not found.
async fn bad_pushes_are_refused_and_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ana = person(&app, "ana").await;
    let bo = person(&app, "bo").await;
    let run = new_id();
    push(&app, &ana, json!([mutation("workout", &run, "create", &at(-60_000, "phone"), workout_fields("Mine"))])).await;
    let good = mutation("workout", &run, "update", &at(-1_000, "phone"), json!({ "title": "Changed" }));
    let mut too_many = vec![good.clone(); 101];
    too_many.iter_mut().for_each(|m| m["id"] = json!(new_id()));
    let mut shapes = vec![
        (json!({ "mutations": too_many }), "mutations"),
        (
            json!({ "mutations": [good, { "id": "x", "entity": "workout", "entity_id": run, "op": "update", "clock": at(0, "a"), "fields": {} }] }),
            "mutations[1].id",
        ),
        (
            json!({ "mutations": [mutation("workout", "42", "update", &at(0, "a"), json!({}))] }),
            "mutations[0].entity_id",
        ),
        (json!({ "mutations": [mutation("workout", &run, "update", "yesterday", json!({}))] }), "mutations[0].clock"),
        (json!({ "mutations": [mutation("workout", &run, "update", &at(0, "A"), json!({}))] }), "mutations[0].clock"),
        (
            json!({ "mutations": [mutation("workout", &run, "update", &at(0, "a"), json!({ "user_id": "someone" }))] }),
            "mutations[0].fields",
        ),
        (
            json!({ "mutations": [mutation("workout", &run, "delete", &at(0, "a"), json!({ "title": "x" }))] }),
            "mutations[0].fields",
        ),
    ];
    for (body, field) in shapes.drain(..) {
        let refused = expect_problem(app.post_as(&ana, "/api/v1/sync/push", body).await, 422, "invalid-input").await;
        assert_eq!(refused["field"], field, "{refused}");
    }
    for body in [
        json!({ "mutations": [mutation("photo", &run, "update", &at(0, "a"), json!({}))] }),
        json!({ "mutations": [mutation("workout", &run, "rename", &at(0, "a"), json!({}))] }),
        json!({ "changes": [] }),
    ] {
        assert_eq!(app.post_as(&ana, "/api/v1/sync/push", body).await.status(), 422);
    }
    let control = mutation("workout", &run, "update", &at(0, "a"), json!({ "title": "bad\u{7}title" }));
    assert_eq!(app.post_as(&ana, "/api/v1/sync/push", json!({ "mutations": [control] })).await.status(), 422);
    let now: Value = workout(&app, &ana, &run).await.json().await.unwrap();
    assert_eq!(now["title"], "Mine", "nothing of a refused push was applied");

    let too_long = mutation("workout", &run, "update", &at(-500, "a"), json!({ "title": "x".repeat(201) }));
    let ahead = mutation("workout", &run, "update", &at(3_600_000, "a"), json!({ "title": "From the future" }));
    let no_sport = mutation("workout", &new_id(), "create", &at(0, "a"), json!({ "title": "No sport" }));
    let bad_shoes = mutation("workout", &run, "update", &at(-400, "a"), json!({ "equipment_ids": [new_id()] }));
    let answer = push(&app, &ana, json!([too_long.clone(), ahead, no_sport, bad_shoes])).await;
    let problems: Vec<(&str, &str)> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["status"], "refused", "{r}");
            (r["problem"]["type"].as_str().unwrap(), r["problem"]["field"].as_str().unwrap_or(""))
        })
        .collect();
    assert_eq!(
        problems,
        [
            ("/problems/invalid-input", "title"),
            ("/problems/clock-ahead", "clock"),
            ("/problems/invalid-input", "sport"),
            ("/problems/invalid-input", "equipment_ids")
        ]
    );
    let again = push(&app, &ana, json!([too_long])).await;
    assert_eq!(again["results"][0]["problem"], answer["results"][0]["problem"], "refused again, for the same reason");
    let now: Value = workout(&app, &ana, &run).await.json().await.unwrap();
    assert_eq!(now["title"], "Mine");

    // Bo reaches none of Ana's records, and cannot take her ids.
    let theirs = push(
        &app,
        &bo,
        json!([
            mutation("workout", &run, "update", &at(0, "b"), json!({ "title": "Bo was here" })),
            mutation("workout", &run, "delete", &at(0, "b"), json!({})),
            mutation("workout", &run, "create", &at(0, "b"), workout_fields("Bo's now")),
        ]),
    )
    .await;
    let kinds: Vec<&str> =
        theirs["results"].as_array().unwrap().iter().map(|r| r["problem"]["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["/problems/not-found", "/problems/not-found", "/problems/conflict"], "{theirs}");
    let now: Value = workout(&app, &ana, &run).await.json().await.unwrap();
    assert_eq!(now["title"], "Mine");
    let bo_pull: Value = app.get_as(&bo, "/api/v1/sync/changes").await.json().await.unwrap();
    assert!(bo_pull["changes"].as_array().unwrap().is_empty(), "{bo_pull}");
}

/// A change that took its number first but committed last is still pulled:
/// while it is open, a later change waits for its number, so no reader can
/// pass a gap that may still fill.
async fn a_late_commit_is_never_skipped(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ana = person(&app, "ana").await;
    let made = app.post_as(&ana, "/api/v1/workouts", workout_fields("First")).await;
    let first = made.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let made = app.post_as(&ana, "/api/v1/workouts", workout_fields("Second")).await;
    let second = made.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let mut phone = Device::new("phone", &ana, 0);
    phone.pull(&app).await;
    let user_id =
        app.get_as(&ana, "/api/v1/account").await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();

    // A slow transaction takes the next number (stamped first) and stays open …
    let mut slow = app.server.platform.db.begin().await.unwrap();
    sqlx::query("UPDATE workouts SET notes = 'slow' WHERE id = $1").bind(&first).execute(&mut *slow).await.unwrap();
    platform::change_log::record(&mut slow, &user_id, "workout", &first, platform::change_log::Operation::Updated)
        .await
        .unwrap();
    // … while a quick change of another workout (stamped later) is made.
    let path = format!("/api/v1/workouts/{second}");
    let quick = app.patch_as(&ana, &path, json!({ "notes": "quick" }));
    let meanwhile = async {
        if backend == Backend::Postgres {
            // The quick change is waiting for the slow one's lock, not done.
            eventually("the quick change waits", PATIENCE, || async {
                let waiting: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
                )
                .fetch_one(app.server.platform.db.pool())
                .await
                .unwrap();
                waiting > 0
            })
            .await;
        }
        // A device pulls now: it must not move past the open change.
        phone.pull(&app).await;
        slow.commit().await.unwrap();
    };
    let (quick, ()) = tokio::join!(quick, meanwhile);
    assert_eq!(quick.status(), 200);
    let before = phone.cursor.clone();
    let since: Value =
        app.get_as(&ana, &format!("/api/v1/sync/changes?cursor={}", before.unwrap())).await.json().await.unwrap();
    let ids: Vec<&str> = since["changes"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&first.as_str()), "the change that committed late is pulled: {since}");
    phone.pull(&app).await;
    assert_eq!(phone.records[&("workout".to_string(), first.clone())]["notes"], "slow");
    assert_eq!(phone.records[&("workout".to_string(), second.clone())]["notes"], "quick");
}

/// A device offline past the horizon is told to start again; it pulls
/// everything, drops what was deleted meanwhile, and still sends what it
/// changed offline.
async fn a_device_past_the_horizon_resyncs_without_losing_its_changes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ana = person(&app, "ana").await;
    let mut phone = Device::new("phone", &ana, 0);
    let mut laptop = Device::new("laptop", &ana, 0);
    let (kept, deleted) = (new_id(), new_id());
    phone.change("workout", &kept, "create", workout_fields("Kept"));
    phone.change("workout", &deleted, "create", workout_fields("Deleted"));
    phone.push(&app).await;
    phone.pull(&app).await;
    laptop.pull(&app).await;
    // The phone goes offline and edits; the laptop deletes a workout.
    phone.change("workout", &kept, "update", json!({ "notes": "written offline" }));
    laptop.change("workout", &deleted, "delete", json!({}));
    laptop.push(&app).await;
    // Time passes beyond the horizon: compaction removes the tombstone.
    let compacted = app.server.contexts.sync.compact(platform::db::now_ms() + 1).await.unwrap();
    assert!(compacted.tombstones >= 1, "{compacted:?}");
    phone.pull(&app).await;
    assert_eq!(phone.resyncs, 1, "the old cursor is refused");
    assert!(!phone.records.contains_key(&("workout".to_string(), deleted.clone())));
    assert_eq!(phone.view()[&("workout".to_string(), kept.clone())]["notes"], "written offline", "unsent change shown");
    assert_eq!(phone.pending.len(), 1, "kept through the resync");
    phone.push(&app).await;
    phone.pull(&app).await;
    let now: Value = workout(&app, &ana, &kept).await.json().await.unwrap();
    assert_eq!(now["notes"], "written offline");
    laptop.pull(&app).await;
    assert_eq!(laptop.view(), phone.view());
    // A mutation id remembered past the horizon is forgotten with it.
    assert!(compacted.mutations >= 2, "{compacted:?}");
}

/// An open device hears `SyncChanged` on its own topic when a change is
/// made elsewhere (the API, another device), and pulls it.
async fn open_devices_hear_of_changes(backend: Backend, bus: Bus) {
    let app = support::bus::app_on(backend, bus).await;
    let ana = person(&app, "ana").await;
    let me: Value = app.get_as(&ana, "/api/v1/account").await.json().await.unwrap();
    let ticket: Value = app.post_as(&ana, "/api/v1/realtime/ticket", json!({})).await.json().await.unwrap();
    let url = format!("ws://{}/api/v1/realtime?ticket={}", app.server.addr, ticket["ticket"].as_str().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let topic = format!("user:{}", me["id"].as_str().unwrap());
    socket.send(Frame::text(json!({ "type": "subscribe", "topic": topic }).to_string())).await.unwrap();
    while next_message(&mut socket).await["type"] != "subscribed" {}
    let mut phone = Device::new("phone", &ana, 0);
    phone.pull(&app).await;
    let made = app.post_as(&ana, "/api/v1/workouts", workout_fields("From the web")).await;
    assert_eq!(made.status(), 201);
    let hint = loop {
        let message = next_message(&mut socket).await;
        if message["type"] == "event" && message["kind"] == "SyncChanged" {
            break message["data"].clone();
        }
    };
    let hinted: i64 = hint["cursor"].as_str().unwrap().parse().unwrap();
    phone.pull(&app).await;
    assert_eq!(phone.ids("workout").len(), 1);
    assert!(phone.cursor.unwrap().parse::<i64>().unwrap() >= hinted, "the pull reaches the hinted change");
}

/// Sync's rows about a person go with their account.
async fn sync_rows_go_with_the_account(backend: Backend, bus: Bus) {
    let app = support::bus::app_on(backend, bus).await;
    let ana = person(&app, "ana").await;
    let run = new_id();
    push(&app, &ana, json!([mutation("workout", &run, "create", &at(-1_000, "phone"), workout_fields("Mine"))])).await;
    let me: Value = app.get_as(&ana, "/api/v1/account").await.json().await.unwrap();
    let id = me["id"].as_str().unwrap().to_string();
    let gone = app.delete_as(&ana, "/api/v1/account", json!({ "password": PASSWORD })).await;
    assert!(gone.status().is_success(), "{}", gone.text().await.unwrap());
    let pool = app.server.platform.db.pool();
    eventually("sync forgets the person", PATIENCE, || async {
        let mut left = 0i64;
        for table in ["sync_fields", "sync_mutations", "change_sequences", "change_log"] {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE user_id = $1");
            left += sqlx::query_scalar::<_, i64>(&sql).bind(&id).fetch_one(pool).await.unwrap();
        }
        left == 0
    })
    .await;
}

/// 200 pushes at once, each mutation sent twice: every pair is answered
/// alike, each edit is applied once, and the latest clock's title is the one
/// that stays.
async fn a_crowd_of_pushes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ana = person(&app, "ana").await;
    let run = new_id();
    push(&app, &ana, json!([mutation("workout", &run, "create", &at(-600_000, "phone"), workout_fields("Start"))]))
        .await;
    let edits: Vec<Value> = (0..100)
        .map(|n| {
            mutation(
                "workout",
                &run,
                "update",
                &at(-500_000 + n * 997 % 100_000, &format!("d{n}")),
                json!({ "title": format!("T{n}") }),
            )
        })
        .collect();
    let latest =
        edits.iter().max_by_key(|m| m["clock"].as_str().unwrap().to_string()).unwrap()["fields"]["title"].clone();
    let sends = edits.iter().chain(edits.iter()).map(|m| {
        let app = &app;
        let ana = &ana;
        async move { app.post_as(ana, "/api/v1/sync/push", json!({ "mutations": [m] })).await }
    });
    let answers = join_all(sends).await;
    let mut statuses: HashMap<String, Vec<String>> = HashMap::new();
    for answer in answers {
        assert_eq!(answer.status(), 200);
        let answer: Value = answer.json().await.unwrap();
        let result = &answer["results"][0];
        statuses
            .entry(result["id"].as_str().unwrap().into())
            .or_default()
            .push(result["status"].as_str().unwrap().into());
    }
    assert_eq!(statuses.len(), 100);
    for pair in statuses.values() {
        assert_eq!(pair[0], pair[1], "a mutation sent twice is answered alike");
        assert_ne!(pair[0], "refused");
    }
    let now: Value = workout(&app, &ana, &run).await.json().await.unwrap();
    assert_eq!(now["title"], latest);
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_mutations WHERE outcome IS NOT NULL")
        .fetch_one(app.server.platform.db.pool())
        .await
        .unwrap();
    assert_eq!(applied, 101, "each mutation once");
}

async fn put_part(app: &TestApp, token: &str, id: &str, offset: usize, bytes: &[u8]) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/api/v1/sync/uploads/{id}?offset={offset}")))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap()
}

/// A GPX recorded offline goes up in parts; cut off, it resumes where the
/// server says it stopped; the training exists, under the device's id, only
/// once the whole file is there; the last part sent again changes nothing;
/// an edit pushed afterwards applies; bad parts and others' uploads are refused.
async fn a_file_made_offline_uploads_in_parts_and_resumes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ana = person(&app, "ana").await;
    let bo = person(&app, "bo").await;
    let gpx = support::corpus_file("gpx/cerknicko-jezero.gpx");
    let run = new_id();
    let start = json!({ "workout_id": run, "name": "lake.gpx", "size": gpx.len() });
    let upload = app.post_as(&ana, "/api/v1/sync/uploads", start.clone()).await;
    assert_eq!(upload.status(), 200, "{}", upload.text().await.unwrap());
    let upload: Value = upload.json().await.unwrap();
    let id = upload["id"].as_str().unwrap().to_string();
    assert_eq!((upload["offset"].as_i64(), &upload["done"]), (Some(0), &json!(false)));

    let third = gpx.len() / 3;
    let after_first: Value = put_part(&app, &ana, &id, 0, &gpx[..third]).await.json().await.unwrap();
    assert_eq!(after_first["offset"].as_u64(), Some(third as u64));
    assert_eq!(workout(&app, &ana, &run).await.status(), 404, "no training from half a file");
    // The connection broke: the device asks where to go on, and a part from the wrong place is refused.
    let again: Value = app.post_as(&ana, "/api/v1/sync/uploads", start.clone()).await.json().await.unwrap();
    assert_eq!((again["id"].as_str(), again["offset"].as_u64()), (Some(id.as_str()), Some(third as u64)));
    let wrong = expect_problem(put_part(&app, &ana, &id, 0, &gpx[..third]).await, 409, "conflict").await;
    assert!(wrong["detail"].as_str().unwrap().contains(&third.to_string()), "{wrong}");
    // Bo sees nothing of it.
    expect_problem(app.get_as(&bo, &format!("/api/v1/sync/uploads/{id}")).await, 404, "not-found").await;
    expect_problem(put_part(&app, &bo, &id, third, &gpx[third..]).await, 404, "not-found").await;
    // Past the announced size: refused, nothing counted.
    let mut too_much = gpx[third..].to_vec();
    too_much.extend_from_slice(b"<!-- more -->");
    expect_problem(put_part(&app, &ana, &id, third, &too_much).await, 422, "invalid-input").await;
    expect_problem(put_part(&app, &ana, &id, third, &[]).await, 422, "invalid-input").await;
    let status: Value = app.get_as(&ana, &format!("/api/v1/sync/uploads/{id}")).await.json().await.unwrap();
    assert_eq!(status["offset"].as_u64(), Some(third as u64));

    let done: Value = put_part(&app, &ana, &id, third, &gpx[third..]).await.json().await.unwrap();
    assert_eq!(done["done"], true, "{done}");
    assert_eq!(done["workout"]["id"], run.as_str());
    let made: Value = workout(&app, &ana, &run).await.json().await.unwrap();
    assert!(made["distance_m"].as_f64().unwrap() > 1000.0, "{made}");
    assert_eq!(made["file"]["name"], "lake.gpx");
    // The last part again (its answer was lost): the same training, once.
    let repeat: Value = put_part(&app, &ana, &id, third, &gpx[third..]).await.json().await.unwrap();
    assert_eq!(repeat["workout"]["id"], run.as_str());
    let list: Value = app.get_as(&ana, "/api/v1/workouts").await.json().await.unwrap();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    assert!(
        app.stored_files(&format!("users/{}/sync", made["user_id"].as_str().unwrap())).await.is_empty(),
        "parts go"
    );
    // Edits made offline after the recording are pushed once the file is up.
    let edit = mutation("workout", &run, "update", &at(0, "phone"), json!({ "title": "Around the lake" }));
    assert_eq!(push(&app, &ana, json!([edit])).await["results"][0]["status"], "applied");

    // Not an activity file: refused whole, no training, and the upload can start over.
    let other = new_id();
    let text = b"just some notes, not a track".repeat(10);
    let bad: Value = app
        .post_as(&ana, "/api/v1/sync/uploads", json!({ "workout_id": other, "name": "notes.txt", "size": text.len() }))
        .await
        .json()
        .await
        .unwrap();
    let refused = put_part(&app, &ana, bad["id"].as_str().unwrap(), 0, &text).await;
    let refused = expect_problem(refused, 422, "invalid-input").await;
    assert_eq!(refused["field"], "file", "{refused}");
    assert_eq!(workout(&app, &ana, &other).await.status(), 404);
    expect_problem(
        app.get_as(&ana, &format!("/api/v1/sync/uploads/{}", bad["id"].as_str().unwrap())).await,
        404,
        "not-found",
    )
    .await;

    for (body, field) in [
        (json!({ "workout_id": "x", "name": "a.gpx", "size": 10 }), "workout_id"),
        (json!({ "workout_id": new_id(), "name": " ", "size": 10 }), "name"),
        (json!({ "workout_id": new_id(), "name": "a.gpx", "size": 0 }), "size"),
        (json!({ "workout_id": new_id(), "name": "a.gpx", "size": 1u64 << 40 }), "size"),
    ] {
        let refused = expect_problem(app.post_as(&ana, "/api/v1/sync/uploads", body).await, 422, "invalid-input").await;
        assert_eq!(refused["field"], field, "{refused}");
    }
    let changed = json!({ "workout_id": run, "name": "lake.gpx", "size": gpx.len() + 1 });
    expect_problem(app.post_as(&ana, "/api/v1/sync/uploads", changed).await, 409, "conflict").await;

    // A photo taken offline goes up the same way, once its training is there.
    let png = support::striped_png(64, 48);
    let photo = new_id();
    let start = json!({ "workout_id": run, "photo_id": photo, "name": "view.png", "size": png.len() });
    let upload: Value = app.post_as(&ana, "/api/v1/sync/uploads", start).await.json().await.unwrap();
    let id = upload["id"].as_str().unwrap().to_string();
    let half = png.len() / 2;
    put_part(&app, &ana, &id, 0, &png[..half]).await;
    let photos: Value = app.get_as(&ana, &format!("/api/v1/workouts/{run}/photos")).await.json().await.unwrap();
    assert_eq!(photos.as_array().map(Vec::len), Some(0), "no photo from half a file");
    let done: Value = put_part(&app, &ana, &id, half, &png[half..]).await.json().await.unwrap();
    assert_eq!(done["photo"]["id"], photo.as_str(), "{done}");
    let again: Value = put_part(&app, &ana, &id, half, &png[half..]).await.json().await.unwrap();
    assert_eq!(again["photo"]["id"], photo.as_str());
    let photos: Value = app.get_as(&ana, &format!("/api/v1/workouts/{run}/photos")).await.json().await.unwrap();
    assert_eq!(photos.as_array().map(Vec::len), Some(1));
    let mut phone = Device::new("phone", &ana, 0);
    phone.pull(&app).await;
    assert_eq!(phone.records[&("photo".to_string(), photo.clone())]["workout_id"], run.as_str(), "pulled");
    // Bo cannot add a photo to Ana's training.
    let start = json!({ "workout_id": run, "photo_id": new_id(), "name": "x.png", "size": png.len() });
    let theirs: Value = app.post_as(&bo, "/api/v1/sync/uploads", start).await.json().await.unwrap();
    let refused = put_part(&app, &bo, theirs["id"].as_str().unwrap(), 0, &png).await;
    expect_problem(refused, 404, "not-found").await;
}

/// A small deterministic generator, so that a failing run can be replayed
/// with its seed (`SYNC_SEED`).
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Three devices of one person, driven at random through offline creates,
/// edits and deletes, pushes and pulls; requests lost before and after the
/// server, sent twice at once, and sent in two halves at once; pushes of
/// different devices at once; and compactions that send devices back to a
/// full resync. At the end every device holds the server's state, and every
/// field any acknowledged change set holds the value of the latest clock
/// that set it.
async fn three_devices_converge_without_losing_anything(backend: Backend) {
    let seeds: Vec<u64> = match std::env::var("SYNC_SEED") {
        Ok(seed) => vec![seed.parse().unwrap()],
        Err(_) => vec![0x5eed_0001, 0x5eed_0002, 0x5eed_0003],
    };
    let (mut merged, mut resyncs) = (0, 0);
    for seed in seeds {
        let (m, r) = converge_from(backend, seed).await;
        (merged, resyncs) = (merged + m, resyncs + r);
    }
    // The runs met what they are about: changes that lost a field to a
    // later one, and devices sent back to a full resync.
    assert!(merged > 0 && resyncs > 0, "{merged} merged, {resyncs} resyncs: the runs prove little");
}

/// One run; answers how many changes were merged and how many resyncs happened.
async fn converge_from(backend: Backend, seed: u64) -> (usize, u32) {
    let app = TestApp::spawn(backend).await;
    let ana = person(&app, "ana").await;
    let mut dice = Dice(seed);
    let mut devices =
        vec![Device::new("phone", &ana, -2_000), Device::new("watch", &ana, 1_500), Device::new("laptop", &ana, 0)];
    let mut sent: Vec<Value> = Vec::new();
    for step in 0..120 {
        let d = dice.below(3) as usize;
        match dice.below(12) {
            // Few records, so that devices often change the same ones.
            0 | 1 if devices[d].view().len() < 4 || dice.below(4) == 0 => {
                let entity = if dice.below(3) == 0 { "equipment" } else { "workout" };
                let fields = match entity {
                    "workout" => workout_fields(&format!("w{step}")),
                    _ => json!({ "kind": "shoes", "nickname": format!("e{step}") }),
                };
                sent.push(devices[d].change(entity, &new_id(), "create", fields));
            }
            2..=5 => {
                let entity = if dice.below(3) == 0 { "equipment" } else { "workout" };
                let ids = devices[d].ids(entity);
                if let Some(id) = ids.get(dice.below(ids.len().max(1) as u64) as usize) {
                    let field = ["title", "notes", "distance_m"][dice.below(3) as usize];
                    let value = match (entity, field) {
                        ("workout", "distance_m") => json!(1000.0 + step as f64),
                        ("workout", f) => json!(format!("{f}-{step}")),
                        (_, "distance_m") => json!(10.0 + step as f64),
                        (_, "title") => json!(format!("nick-{step}")),
                        (_, f) => json!(format!("{f}-{step}")),
                    };
                    let field = match (entity, field) {
                        ("equipment", "distance_m") => "price",
                        ("equipment", "title") => "nickname",
                        (_, f) => f,
                    };
                    sent.push(devices[d].change(entity, id, "update", json!({ field: value })));
                }
            }
            6 => {
                let ids = devices[d].ids("workout");
                if !ids.is_empty() {
                    let id = ids[dice.below(ids.len() as u64) as usize].clone();
                    sent.push(devices[d].change("workout", &id, "delete", json!({})));
                }
            }
            7 => chaos(&app, &mut devices[d], &mut dice).await,
            8 => {
                // Two devices push at once.
                let (first, rest) = devices.split_at_mut(1);
                tokio::join!(first[0].push(&app), rest[d % 2].push(&app));
            }
            9 | 10 => devices[d].pull(&app).await,
            _ => {
                if dice.below(2) == 0 {
                    app.server.contexts.sync.compact(platform::db::now_ms() + 1).await.unwrap();
                } else {
                    devices[d].push(&app).await;
                }
            }
        }
    }
    // Everyone comes online: push until nothing is pending, then pull.
    for _ in 0..3 {
        for device in devices.iter_mut() {
            while !device.pending.is_empty() {
                device.push(&app).await;
            }
        }
    }
    for device in devices.iter_mut() {
        device.pull(&app).await;
    }
    let mut server = Device::new("server", &ana, 0);
    server.pull(&app).await;
    for device in &devices {
        assert!(device.pending.is_empty());
        assert_eq!(device.view(), server.records, "seed {seed:#x}: {} differs from the server", device.name);
    }
    assert_acknowledged_kept(&devices, &sent, &server, seed);
    let merged = devices.iter().flat_map(|d| d.answers.values()).filter(|a| a["status"] == "merged").count();
    let resyncs: u32 = devices.iter().map(|d| d.resyncs).sum();
    let deletes = sent.iter().filter(|m| m["op"] == "delete").count();
    eprintln!("seed {seed:#x}: {} mutations ({deletes} deletes), {merged} merged, {resyncs} resyncs", sent.len());
    (merged, resyncs)
}

/// Lost, duplicated and reordered requests of one device.
async fn chaos(app: &TestApp, device: &mut Device, dice: &mut Dice) {
    if device.pending.is_empty() {
        return;
    }
    let batch: Vec<Value> = device.pending.clone();
    match dice.below(3) {
        // The answer is lost: applied on the server, still pending here.
        0 => {
            let _ = device.send(app, &batch).await;
        }
        // The same push twice at once.
        1 => {
            let answers = join_all([device.send(app, &batch), device.send(app, &batch)]).await;
            for answer in answers {
                let answer: Value = answer.json().await.unwrap();
                device.take_answer(&answer);
            }
        }
        // Two halves at once, the later half possibly first.
        _ => {
            let (first, second) = batch.split_at(batch.len() / 2);
            let answers = join_all([device.send(app, second), device.send(app, first)]).await;
            for answer in answers {
                let answer: Value = answer.json().await.unwrap();
                device.take_answer(&answer);
            }
        }
    }
}

/// Every field an acknowledged change set holds the value of the latest
/// clock among those that set it; a record an applied delete removed is gone.
fn assert_acknowledged_kept(devices: &[Device], sent: &[Value], server: &Device, seed: u64) {
    let answers: HashMap<&str, &Value> =
        devices.iter().flat_map(|d| d.answers.iter().map(|(id, a)| (id.as_str(), a))).collect();
    let mut latest: HashMap<(Key, String), (&str, &Value)> = HashMap::new();
    let mut deleted: Vec<Key> = Vec::new();
    for m in sent {
        let answer = answers.get(m["id"].as_str().unwrap()).unwrap_or_else(|| panic!("seed {seed:#x}: unanswered {m}"));
        let key = (m["entity"].as_str().unwrap().to_string(), m["entity_id"].as_str().unwrap().to_string());
        match answer["status"].as_str().unwrap() {
            "refused" => continue,
            _ if m["op"] == "delete" => {
                if answer["status"] == "applied" {
                    deleted.push(key);
                }
            }
            _ => {
                let lost: Vec<&str> =
                    answer["lost"].as_array().map(|l| l.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
                let clock = m["clock"].as_str().unwrap();
                for (field, value) in m["fields"].as_object().unwrap() {
                    if lost.contains(&field.as_str()) {
                        continue;
                    }
                    let slot = latest.entry((key.clone(), field.clone())).or_insert((clock, value));
                    if clock > slot.0 {
                        *slot = (clock, value);
                    }
                }
            }
        }
    }
    for key in &deleted {
        assert!(!server.records.contains_key(key), "seed {seed:#x}: {key:?} was deleted");
    }
    for ((key, field), (_, value)) in latest {
        if deleted.contains(&key) {
            continue;
        }
        let record = server.records.get(&key).unwrap_or_else(|| panic!("seed {seed:#x}: {key:?} was lost"));
        let held = &record[field.as_str()];
        let same = held == value || (held.as_f64().is_some() && held.as_f64() == value.as_f64());
        if !same {
            let history: Vec<String> = sent
                .iter()
                .filter(|m| m["entity_id"] == key.1.as_str())
                .map(|m| format!("{} {} {} → {}", m["op"], m["clock"], m["fields"], answers[m["id"].as_str().unwrap()]))
                .collect();
            panic!(
                "seed {seed:#x}: {key:?}.{field} is {held}, the latest acknowledged is {value}:\n{}",
                history.join("\n")
            );
        }
    }
}

on_every_database!(
    pulls_page_through_records_and_tombstones,
    pushes_apply_once_and_merge_per_field,
    deletes_win_over_older_edits_only,
    bad_pushes_are_refused_and_change_nothing,
    a_late_commit_is_never_skipped,
    a_device_past_the_horizon_resyncs_without_losing_its_changes,
    a_crowd_of_pushes,
    a_file_made_offline_uploads_in_parts_and_resumes,
    three_devices_converge_without_losing_anything,
);

bus_tests!(sqlite_in_process_bus, Sqlite, InProcess; open_devices_hear_of_changes, sync_rows_go_with_the_account);
bus_tests!(sqlite_redis, Sqlite, Redis; open_devices_hear_of_changes, sync_rows_go_with_the_account);
bus_tests!(sqlite_rabbitmq, Sqlite, RabbitMq; open_devices_hear_of_changes, sync_rows_go_with_the_account);
bus_tests!(postgres_in_process_bus, Postgres, InProcess; open_devices_hear_of_changes, sync_rows_go_with_the_account);
bus_tests!(postgres_redis, Postgres, Redis; open_devices_hear_of_changes, sync_rows_go_with_the_account);
bus_tests!(postgres_rabbitmq, Postgres, RabbitMq; open_devices_hear_of_changes, sync_rows_go_with_the_account);
