//! Competitions as people meet them, on SQLite and PostgreSQL: who may set
//! one up and see it, bad input, private entries, teams, disqualification,
//! board filters and blocks, global boards from files, a crowd at a full
//! competition, and a board changing live on another replica.

mod support;

use std::time::Duration;

use futures::SinkExt;
use serde_json::{json, Value};
use support::socket::next_message;
use support::{access, eventually, expect_problem, unique_email, Backend, TestApp};
use tokio_tungstenite::tungstenite::Message as Frame;

const PASSWORD: &str = "correct horse battery";
const PATIENCE: Duration = Duration::from_secs(30);
const DAY_MS: i64 = 24 * 3_600_000;

struct Person {
    id: String,
    token: String,
}

async fn person(app: &TestApp, name: &str) -> Person {
    let email = unique_email(name);
    let registered =
        app.post("/api/v1/auth/register", json!({ "email": email, "password": PASSWORD, "display_name": name })).await;
    assert_eq!(registered.status(), 202);
    let token = access(&app.logged_in(&email, PASSWORD).await);
    let me: Value = app.get_as(&token, "/api/v1/account").await.json().await.unwrap();
    Person { id: me["id"].as_str().unwrap().to_string(), token }
}

async fn organiser(app: &TestApp) -> Person {
    let email = unique_email("organiser");
    let identity = &app.server.contexts.identity;
    let id = identity.create_user(&email, "Organiser", PASSWORD, identity::Role::Organiser).await.unwrap();
    Person { id, token: access(&app.logged_in(&email, PASSWORD).await) }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 * 1000
}

fn rfc3339(ms: i64) -> String {
    humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + Duration::from_millis(ms as u64)).to_string()
}

/// A competition running from a week ago until tomorrow.
fn running(kind: &str, sports: &[&str]) -> Value {
    json!({ "title": format!("The {kind} week"), "kind": kind, "sports": sports,
        "starts_at": rfc3339(now_ms() - 7 * DAY_MS), "ends_at": rfc3339(now_ms() + DAY_MS), "time_zone": "UTC" })
}

async fn create(app: &TestApp, who: &Person, body: Value) -> Value {
    let made = app.post_as(&who.token, "/api/v1/competitions", body).await;
    assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());
    made.json().await.unwrap()
}

async fn enter(app: &TestApp, who: &Person, id: &str, choice: Value) -> reqwest::Response {
    app.put_as(&who.token, &format!("/api/v1/competitions/{id}/entry"), choice).await
}

async fn training(app: &TestApp, who: &Person, sport: &str, privacy: &str, km: f64, days_ago: i64) -> String {
    let body = json!({ "sport": sport, "privacy": privacy, "started_at": rfc3339(now_ms() - days_ago * DAY_MS),
        "duration_s": 3600, "distance_m": km * 1000.0 });
    let made = app.post_as(&who.token, "/api/v1/workouts", body).await;
    assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());
    made.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

async fn board(app: &TestApp, who: &Person, id: &str, query: &str) -> Vec<Value> {
    let page = app.get_as(&who.token, &format!("/api/v1/competitions/{id}/board{query}")).await;
    assert_eq!(page.status(), 200, "{}", page.text().await.unwrap());
    page.json::<Value>().await.unwrap()["items"].as_array().unwrap().clone()
}

fn names(lines: &[Value]) -> Vec<String> {
    lines.iter().map(|l| l["person"]["display_name"].as_str().unwrap().to_string()).collect()
}

async fn board_names(app: &TestApp, who: &Person, id: &str, query: &str) -> Vec<String> {
    names(&board(app, who, id, query).await)
}

async fn organisers_set_up_competitions_and_nobody_else(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (olga, pia) = (organiser(&app).await, person(&app, "Pia").await);
    expect_problem(
        app.post_as(&pia.token, "/api/v1/competitions", running("distance", &["running"])).await,
        403,
        "not-organiser",
    )
    .await;

    // Each bad field is named, and nothing is made.
    let mut bad = Vec::new();
    for (field, value) in [
        ("title", json!("")),
        ("title", json!("Bell\u{7}")),
        ("kind", json!("loudest")),
        ("effort_m", json!(5000.0)),
        ("sports", json!([])),
        ("sports", json!(["Running!"])),
        ("starts_at", json!("yesterday")),
        ("ends_at", json!(rfc3339(now_ms() - 8 * DAY_MS))),
        ("time_zone", json!("Mars/Olympus Mons")),
        ("region", json!("u2a")),
        ("entry_limit", json!(0)),
    ] {
        let mut body = running("distance", &["running"]);
        body[field] = value;
        let refused = app.post_as(&olga.token, "/api/v1/competitions", body).await;
        assert_eq!(refused.status(), 422, "{field}");
        let problem: Value = refused.json().await.unwrap();
        bad.push(problem["errors"].as_object().map(|e| e.keys().cloned().collect::<Vec<_>>()).unwrap_or_default());
        assert!(problem.to_string().contains(field), "{field}: {problem}");
    }
    let mut fastest = running("fastest", &["running"]);
    fastest["effort_m"] = json!(1234.0);
    expect_problem(app.post_as(&olga.token, "/api/v1/competitions", fastest).await, 422, "invalid-input").await;
    let shelf: Value = app.get_as(&olga.token, "/api/v1/competitions?shelf=organised").await.json().await.unwrap();
    assert_eq!(shelf["items"].as_array().unwrap().len(), 0, "nothing made by bad input");

    // Invite-only: not found without the code, seen and entered with it.
    let mut secret = running("trainings", &["running"]);
    secret["invite_only"] = json!(true);
    let secret = create(&app, &olga, secret).await;
    let (id, code) = (secret["id"].as_str().unwrap(), secret["invite_code"].as_str().unwrap());
    expect_problem(app.get_as(&pia.token, &format!("/api/v1/competitions/{id}")).await, 404, "not-found").await;
    expect_problem(enter(&app, &pia, id, json!({})).await, 404, "not-found").await;
    expect_problem(app.get_as(&pia.token, &format!("/api/v1/competitions/{id}/board")).await, 404, "not-found").await;
    let seen: Value =
        app.get_as(&pia.token, &format!("/api/v1/competitions/{id}?code={code}")).await.json().await.unwrap();
    assert_eq!(seen["invite_code"], Value::Null, "only those who run it see the code");
    assert_eq!(enter(&app, &pia, id, json!({ "code": code })).await.status(), 200);
    let joined: Value = app.get_as(&pia.token, "/api/v1/competitions?shelf=joined").await.json().await.unwrap();
    assert_eq!(joined["items"][0]["id"], id);
    let open: Value = app.get_as(&pia.token, "/api/v1/competitions").await.json().await.unwrap();
    assert!(open["items"].as_array().unwrap().iter().all(|c| c["id"] != id), "invite-only is on no open shelf");

    // Only its organiser judges or removes it; a started one stays.
    let judge = format!("/api/v1/competitions/{id}/entries/{}/disqualification", pia.id);
    expect_problem(app.put_as(&pia.token, &judge, json!({ "reason": "me" })).await, 403, "not-organiser").await;
    expect_problem(app.put_as(&olga.token, &judge, json!({ "reason": "" })).await, 422, "invalid-input").await;
    expect_problem(app.delete_as(&olga.token, &format!("/api/v1/competitions/{id}"), json!({})).await, 409, "conflict")
        .await;
    let mut later = running("distance", &["running"]);
    later["starts_at"] = json!(rfc3339(now_ms() + DAY_MS));
    later["ends_at"] = json!(rfc3339(now_ms() + 2 * DAY_MS));
    let later = create(&app, &olga, later).await;
    let path = format!("/api/v1/competitions/{}", later["id"].as_str().unwrap());
    expect_problem(app.delete_as(&pia.token, &path, json!({})).await, 403, "not-organiser").await;
    assert_eq!(app.delete_as(&olga.token, &path, json!({})).await.status(), 204);
    expect_problem(app.get_as(&olga.token, &path).await, 404, "not-found").await;
}

async fn a_private_entry_counts_every_training_and_shows_none(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (olga, pia) = (organiser(&app).await, person(&app, "Pia").await);
    let id = create(&app, &olga, running("longest", &["cycling"])).await["id"].as_str().unwrap().to_string();
    assert_eq!(enter(&app, &pia, &id, json!({})).await.status(), 200);
    let secret = training(&app, &pia, "cycling", "private", 80.0, 1).await;
    let open = training(&app, &pia, "cycling", "public", 40.0, 2).await;
    let public_result = || async {
        let lines = board(&app, &olga, &id, "").await;
        lines.len() == 1 && lines[0]["score"] == 40_000.0
    };
    eventually("the public ride counted", PATIENCE, public_result).await;
    assert_eq!(board(&app, &olga, &id, "").await[0]["workout_id"], open);

    // Entering privately lets the private ride count, and shows no training.
    assert_eq!(enter(&app, &pia, &id, json!({ "private_entry": true })).await.status(), 200);
    let lines = board(&app, &olga, &id, "").await;
    assert_eq!(lines[0]["score"], 80_000.0);
    assert_eq!(lines[0]["workout_id"], Value::Null, "never the private training");
    assert!(!serde_json::to_string(&lines).unwrap().contains(&secret));

    // Made private later, a public entry's training stops counting.
    assert_eq!(enter(&app, &pia, &id, json!({ "private_entry": false })).await.status(), 200);
    let hidden = app.patch_as(&pia.token, &format!("/api/v1/workouts/{open}"), json!({ "privacy": "followers" })).await;
    assert_eq!(hidden.status(), 200);
    eventually("no result left", PATIENCE, || async { board(&app, &olga, &id, "").await.is_empty() }).await;
    let mine: Value =
        app.get_as(&pia.token, &format!("/api/v1/competitions/{id}/board/me")).await.json().await.unwrap();
    assert_eq!(mine["place"], Value::Null);
}

async fn teams_add_up_and_a_disqualified_person_is_told(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let olga = organiser(&app).await;
    let (ana, bo, cy) = (person(&app, "Ana").await, person(&app, "Bo").await, person(&app, "Cy").await);
    let id = create(&app, &olga, running("distance", &["running"])).await["id"].as_str().unwrap().to_string();
    let teams = format!("/api/v1/competitions/{id}/teams");
    expect_problem(app.post_as(&ana.token, &teams, json!({ "name": "Hares" })).await, 409, "conflict").await;
    assert_eq!(enter(&app, &ana, &id, json!({})).await.status(), 200);
    let hares = app.post_as(&ana.token, &teams, json!({ "name": "Hares" })).await;
    assert_eq!(hares.status(), 201);
    let hares = hares.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    expect_problem(app.post_as(&ana.token, &teams, json!({ "name": "Hares" })).await, 409, "conflict").await;
    expect_problem(enter(&app, &bo, &id, json!({ "team_id": "not-a-team" })).await, 422, "invalid-input").await;
    for who in [&ana, &bo] {
        assert_eq!(enter(&app, who, &id, json!({ "team_id": hares })).await.status(), 200);
    }
    assert_eq!(enter(&app, &cy, &id, json!({ "tell_overtaken": true })).await.status(), 200);
    training(&app, &cy, "running", "public", 30.0, 1).await;
    training(&app, &ana, "running", "public", 10.0, 1).await;
    training(&app, &bo, "running", "public", 15.0, 2).await;
    let team_score = || async {
        let list: Value = app.get_as(&olga.token, &teams).await.json().await.unwrap();
        list[0]["score"].as_f64()
    };
    eventually("the team adds up", PATIENCE, || async { team_score().await == Some(25_000.0) }).await;
    assert_eq!(board_names(&app, &olga, &id, "").await, ["Cy", "Bo", "Ana"]);
    assert_eq!(board_names(&app, &olga, &id, &format!("?team={hares}")).await, ["Bo", "Ana"]);

    // Ana passes Cy at the top: Cy asked to hear of it.
    training(&app, &ana, "running", "public", 25.0, 0).await;
    eventually("Ana first", PATIENCE, || async { board_names(&app, &olga, &id, "").await[0] == "Ana" }).await;
    let told = |who: &Person, kind: &'static str| {
        let token = who.token.clone();
        let app = &app;
        async move {
            let page: Value = app.get_as(&token, "/api/v1/notifications?limit=50").await.json().await.unwrap();
            page["items"].as_array().unwrap().iter().any(|n| n["kind"] == kind)
        }
    };
    eventually("Cy told of being overtaken", PATIENCE, || told(&cy, "competition_overtaken")).await;

    let judge = format!("/api/v1/competitions/{id}/entries/{}/disqualification", bo.id);
    assert_eq!(app.put_as(&olga.token, &judge, json!({ "reason": "Ran in a car" })).await.status(), 204);
    assert_eq!(board_names(&app, &olga, &id, "").await, ["Ana", "Cy"]);
    assert_eq!(team_score().await, Some(35_000.0), "the team without Bo");
    let mine: Value = app.get_as(&bo.token, &format!("/api/v1/competitions/{id}")).await.json().await.unwrap();
    assert_eq!(mine["your_entry"]["disqualification_reason"], "Ran in a car");
    eventually("Bo told", PATIENCE, || told(&bo, "competition_disqualified")).await;
    assert_eq!(app.delete_as(&olga.token, &judge, json!({})).await.status(), 204);
    assert_eq!(board_names(&app, &olga, &id, "").await, ["Ana", "Cy", "Bo"]);
    eventually("Bo told of the reinstatement", PATIENCE, || told(&bo, "competition_reinstated")).await;
}

async fn boards_filter_and_hide_the_blocked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let olga = organiser(&app).await;
    let (ana, bo, cy) = (person(&app, "Ana").await, person(&app, "Bo").await, person(&app, "Cy").await);
    for (who, facts) in [
        (&ana, json!({ "sex": "female", "birth_year": 1990, "weight_kg": 58.0 })),
        (&bo, json!({ "sex": "male", "birth_year": 1980, "weight_kg": 82.5 })),
    ] {
        assert_eq!(app.patch_as(&who.token, "/api/v1/account", facts).await.status(), 200);
    }
    let id = create(&app, &olga, running("distance", &["running"])).await["id"].as_str().unwrap().to_string();
    for (who, km) in [(&ana, 20.0), (&bo, 10.0), (&cy, 5.0)] {
        assert_eq!(enter(&app, who, &id, json!({})).await.status(), 200);
        training(&app, who, "running", "public", km, 1).await;
    }
    eventually("three results", PATIENCE, || async { board(&app, &olga, &id, "").await.len() == 3 }).await;
    let year = 2026 - 1990; // the age groups are counted at the competition's start
    let age_group = if year < 40 { "30-39" } else { "40-49" };
    for (query, expected) in [
        ("?sex=female", vec!["Ana"]),
        ("?sex=male", vec!["Bo"]),
        (&format!("?age_group={age_group}") as &str, vec!["Ana"]),
        ("?weight_class=80-90", vec!["Bo"]),
        ("?weight_class=u60&sex=female", vec!["Ana"]),
        ("?limit=1", vec!["Ana"]),
    ] {
        assert_eq!(board_names(&app, &olga, &id, query).await, expected, "{query}");
    }
    for (query, field) in
        [("?sex=x", "sex"), ("?age_group=old", "age_group"), ("?limit=0", "limit"), ("?cursor=zz", "cursor")]
    {
        let refused = app.get_as(&olga.token, &format!("/api/v1/competitions/{id}/board{query}")).await;
        let problem = expect_problem(refused, 422, "invalid-input").await;
        assert!(problem.to_string().contains(field), "{query}: {problem}");
    }
    // A page and the next one meet.
    let first: Value =
        app.get_as(&olga.token, &format!("/api/v1/competitions/{id}/board?limit=2")).await.json().await.unwrap();
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = board(&app, &olga, &id, &format!("?limit=2&cursor={cursor}")).await;
    assert_eq!((names(&rest), rest[0]["place"].clone()), (vec!["Cy".to_string()], json!(3)));

    // Cy follows Ana: "people I follow" is Ana and Cy.
    assert_eq!(app.put_as(&cy.token, &format!("/api/v1/people/{}/follow", ana.id), json!({})).await.status(), 200);
    assert_eq!(board_names(&app, &cy, &id, "?following=true").await, ["Ana", "Cy"]);
    let around: Value =
        app.get_as(&bo.token, &format!("/api/v1/competitions/{id}/board/me?around=1")).await.json().await.unwrap();
    assert_eq!(around["place"], 2);
    assert_eq!(names(around["items"].as_array().unwrap()), ["Ana", "Bo", "Cy"]);

    // Ana blocks Bo: neither sees the other on the board.
    assert_eq!(app.put_as(&ana.token, &format!("/api/v1/blocks/{}", bo.id), json!({})).await.status(), 204);
    assert_eq!(board_names(&app, &ana, &id, "").await, ["Ana", "Cy"]);
    assert_eq!(board_names(&app, &bo, &id, "").await, ["Bo", "Cy"]);
    let around: Value =
        app.get_as(&bo.token, &format!("/api/v1/competitions/{id}/board/me?around=1")).await.json().await.unwrap();
    assert_eq!(names(around["items"].as_array().unwrap()), ["Bo", "Cy"]);
}

/// A straight run north at `speed` m/s for `metres`, a point every 10 s.
fn straight_run(metres: f64, speed: f64, hours_ago: i64) -> Vec<u8> {
    let start = now_ms() / 1000 - hours_ago * 3600;
    let mut gpx = String::from("<gpx version=\"1.1\" creator=\"test\"><trk><trkseg>");
    let steps = (metres / (speed * 10.0)).ceil() as i64;
    for step in 0..=steps {
        let lat = 46.0 + step as f64 * speed * 10.0 / 111_195.0;
        let at =
            humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + Duration::from_secs((start + step * 10) as u64));
        gpx.push_str(&format!("<trkpt lat=\"{lat:.7}\" lon=\"14.5\"><ele>300</ele><time>{at}</time></trkpt>"));
    }
    gpx.push_str("</trkseg></trk></gpx>");
    gpx.into_bytes()
}

async fn global_boards_rank_public_efforts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (ana, bo) = (person(&app, "Ana").await, person(&app, "Bo").await);
    // The private run first: a context takes events in the order they were
    // committed, so once the public runs are on the board, it has been seen.
    for (who, speed, privacy, hours_ago) in
        [(&ana, 6.0, "private", 5), (&ana, 4.0, "public", 3), (&bo, 5.0, "public", 3)]
    {
        let fields = [("sport", "running"), ("privacy", privacy)];
        let made = app.upload_as(&who.token, "run.gpx", straight_run(1200.0, speed, hours_ago), &fields).await;
        assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());
    }
    let global = |query: &'static str| {
        let app = &app;
        let token = ana.token.clone();
        async move {
            let page: Value =
                app.get_as(&token, &format!("/api/v1/leaderboards/running/1k{query}")).await.json().await.unwrap();
            names(page["items"].as_array().unwrap())
        }
    };
    eventually("both on the board", PATIENCE, || async { global("").await == ["Bo", "Ana"] }).await;
    assert_eq!(global("?period=year").await, ["Bo", "Ana"], "this year's board");
    let mine: Value = app.get_as(&ana.token, "/api/v1/leaderboards/running/1k/me").await.json().await.unwrap();
    assert_eq!(mine["place"], 2, "her private 6 m/s run does not count");
    let seconds = mine["items"][1]["score"].as_f64().unwrap();
    assert!((seconds - 250.0).abs() < 5.0, "{seconds}");
    let unknown = app.get_as(&ana.token, "/api/v1/leaderboards/running/2k").await;
    assert_eq!(unknown.status(), 400, "a distance with no board");
    assert_eq!(unknown.headers()["content-type"], "application/problem+json");
    for path in ["/api/v1/leaderboards/Running/1k", "/api/v1/leaderboards/running/1k?period=decade"] {
        expect_problem(app.get_as(&ana.token, path).await, 422, "invalid-input").await;
    }
    assert_eq!(app.put_as(&bo.token, &format!("/api/v1/blocks/{}", ana.id), json!({})).await.status(), 204);
    assert_eq!(global("").await, ["Ana"], "a blocked person is not shown");
}

/// Fifty people each sending four entries at once to a competition for 30.
async fn a_crowd_fills_a_competition_exactly(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let olga = organiser(&app).await;
    let mut body = running("trainings", &["running"]);
    body["entry_limit"] = json!(30);
    let id = create(&app, &olga, body).await["id"].as_str().unwrap().to_string();
    let identity = &app.server.contexts.identity;
    let mut people = Vec::new();
    for n in 0..50 {
        let email = unique_email(&format!("crowd{n}"));
        identity.create_user(&email, "Crowd", PASSWORD, identity::Role::User).await.unwrap();
        people.push(access(&app.logged_in(&email, PASSWORD).await));
    }
    let path = format!("/api/v1/competitions/{id}/entry");
    let requests =
        people.iter().flat_map(|token| std::iter::repeat_n(token, 4)).map(|t| app.put_as(t, &path, json!({})));
    let answers = futures::future::join_all(requests).await;
    let statuses: Vec<u16> = answers.iter().map(|a| a.status().as_u16()).collect();
    assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    let entered = statuses.chunks(4).filter(|person| person.contains(&200)).count();
    assert_eq!(entered, 30, "{statuses:?}");
    let shown: Value = app.get_as(&olga.token, &format!("/api/v1/competitions/{id}")).await.json().await.unwrap();
    assert_eq!(shown["entrants"], 30, "each person counted once");
}

/// Leaving and a training that moves someone else on the board change the
/// same rows of the board: neither may fail for the other.
async fn people_leave_while_others_move_on_the_board(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let olga = organiser(&app).await;
    // Counting trainings, everyone starts in the same band of the board,
    // and each training moves a stayer up from the band the leavers leave.
    let id = create(&app, &olga, running("trainings", &["running"])).await["id"].as_str().unwrap().to_string();
    let identity = &app.server.contexts.identity;
    let mut people = Vec::new();
    for n in 0..40 {
        let email = unique_email(&format!("mover{n}"));
        let user = identity.create_user(&email, "Mover", PASSWORD, identity::Role::User).await.unwrap();
        let who = Person { id: user, token: access(&app.logged_in(&email, PASSWORD).await) };
        assert_eq!(enter(&app, &who, &id, json!({})).await.status(), 200);
        training(&app, &who, "running", "public", 1.0 + n as f64, 2).await;
        people.push(who);
    }
    let path = format!("/api/v1/competitions/{id}/entry");
    let (leavers, stayers) = people.split_at(20);
    let leaving = futures::future::join_all(leavers.iter().map(|p| app.delete_as(&p.token, &path, json!(null))));
    let running_on = futures::future::join_all(
        stayers
            .iter()
            .flat_map(|p| [p, p])
            .enumerate()
            .map(|(n, p)| training(&app, p, "running", "public", 5.0 + n as f64, 1)),
    );
    let (left, _) = tokio::join!(leaving, running_on);
    let statuses: Vec<u16> = left.iter().map(|a| a.status().as_u16()).collect();
    assert!(statuses.iter().all(|s| *s == 204), "{statuses:?}");
    eventually("the board shows the stayers' new results", PATIENCE, || async {
        let lines = board(&app, &olga, &id, "").await;
        lines.len() == 20 && lines.iter().all(|l| l["trainings"] == 3)
    })
    .await;
    let shown: std::collections::BTreeSet<String> =
        board(&app, &olga, &id, "").await.iter().map(|l| l["person"]["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(shown, stayers.iter().map(|p| p.id.clone()).collect());
    let competition: Value = app.get_as(&olga.token, &format!("/api/v1/competitions/{id}")).await.json().await.unwrap();
    assert_eq!(competition["entrants"], 20);
}

async fn a_board_changes_live_on_another_replica(backend: Backend) {
    let a = TestApp::spawn(backend).await;
    let mut config = a.env.config();
    config.public_url = Some(a.server.url());
    let b =
        athlos::server::start(config, &athlos::cli::ServeArgs { no_worker: true, ..Default::default() }).await.unwrap();
    let (olga, ana, eve) = (organiser(&a).await, person(&a, "Ana").await, person(&a, "Eve").await);
    let mut secret = running("distance", &["running"]);
    secret["invite_only"] = json!(true);
    let id = create(&a, &olga, secret).await["id"].as_str().unwrap().to_string();
    let code = a.get_as(&olga.token, &format!("/api/v1/competitions/{id}")).await.json::<Value>().await.unwrap()
        ["invite_code"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(enter(&a, &ana, &id, json!({ "code": code })).await.status(), 200);

    let open_on_b = |token: String| {
        let (client, addr) = (a.client.clone(), b.addr);
        async move {
            let ticket: Value = client
                .post(format!("http://{addr}/api/v1/realtime/ticket"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let url = format!("ws://{addr}/api/v1/realtime?ticket={}", ticket["ticket"].as_str().unwrap());
            let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
            assert_eq!(next_message(&mut socket).await["type"], "ready");
            socket
        }
    };
    let topic = format!("competition:{id}");
    let mut stranger = open_on_b(eve.token.clone()).await;
    stranger.send(Frame::text(json!({ "type": "subscribe", "topic": topic }).to_string())).await.unwrap();
    assert_eq!(next_message(&mut stranger).await["type"], "refused", "an invite-only board is its entrants'");
    let mut watcher = open_on_b(ana.token.clone()).await;
    watcher.send(Frame::text(json!({ "type": "subscribe", "topic": topic }).to_string())).await.unwrap();
    assert_eq!(next_message(&mut watcher).await["type"], "subscribed");

    // A training saved through replica A reaches the socket on replica B.
    training(&a, &ana, "running", "public", 12.0, 1).await;
    let changed = loop {
        let message = next_message(&mut watcher).await;
        if message["kind"] == "BoardChanged" && message["data"]["top"].as_array().is_some_and(|t| !t.is_empty()) {
            break message;
        }
    };
    assert_eq!(changed["data"]["top"][0], json!({ "place": 1, "user_id": ana.id, "score": 12_000.0 }));

    // A change whose transaction commits long after it was stamped (a
    // loaded database, another replica's clock) is still pushed.
    let db = a.server.platform.db.pool();
    sqlx::query("UPDATE competitions SET board_version = board_version + 1, board_changed = $1 WHERE id = $2")
        .bind(now_ms() - 20_000)
        .bind(&id)
        .execute(db)
        .await
        .unwrap();
    let version: i64 = sqlx::query_scalar("SELECT board_version FROM competitions WHERE id = $1")
        .bind(&id)
        .fetch_one(db)
        .await
        .unwrap();
    while next_message(&mut watcher).await["data"]["version"] != version {}
    b.stop().await.unwrap();
}

async fn entrants_hear_the_start_and_their_final_place(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let olga = organiser(&app).await;
    let (ana, bo) = (person(&app, "Ana").await, person(&app, "Bo").await);
    let id = create(&app, &olga, running("distance", &["running"])).await["id"].as_str().unwrap().to_string();
    for (who, km) in [(&ana, 5.0), (&bo, 8.0)] {
        assert_eq!(enter(&app, who, &id, json!({})).await.status(), 200);
        training(&app, who, "running", "public", km, 1).await;
    }
    eventually("two results", PATIENCE, || async { board(&app, &olga, &id, "").await.len() == 2 }).await;
    let notices = |who: &Person| {
        let (app, token) = (&app, who.token.clone());
        async move {
            let page: Value = app.get_as(&token, "/api/v1/notifications?limit=50").await.json().await.unwrap();
            page["items"].as_array().unwrap().clone()
        }
    };
    let competition = &app.server.contexts.competition;
    competition.announce().await.unwrap();
    competition.announce().await.unwrap();
    let started = |n: &Value| n["kind"] == "competition_started" && n["data"]["competition_id"] == id.as_str();
    support::notices_settled(&app, &ana.token, &ana.id).await;
    assert_eq!(notices(&ana).await.iter().filter(|n| started(n)).count(), 1, "told once");

    // Its end passes: each hears their final place, once.
    sqlx::query("UPDATE competitions SET ends_at = $1 WHERE id = $2")
        .bind(now_ms() - 1000)
        .bind(&id)
        .execute(app.server.platform.db.pool())
        .await
        .unwrap();
    competition.announce().await.unwrap();
    competition.announce().await.unwrap();
    for (who, place) in [(&ana, 2), (&bo, 1)] {
        let ended = |n: &Value| n["kind"] == "competition_ended" && n["data"]["competition_id"] == id.as_str();
        support::notices_settled(&app, &who.token, &who.id).await;
        let told: Vec<Value> = notices(who).await.into_iter().filter(ended).collect();
        assert_eq!(told.len(), 1);
        assert_eq!(told[0]["data"]["place"], place);
    }
    expect_problem(enter(&app, &ana, &id, json!({})).await, 409, "conflict").await;
    expect_problem(
        app.delete_as(&ana.token, &format!("/api/v1/competitions/{id}/entry"), json!({})).await,
        409,
        "conflict",
    )
    .await;
}

on_every_database!(
    entrants_hear_the_start_and_their_final_place,
    organisers_set_up_competitions_and_nobody_else,
    a_private_entry_counts_every_training_and_shows_none,
    teams_add_up_and_a_disqualified_person_is_told,
    boards_filter_and_hide_the_blocked,
    global_boards_rank_public_efforts,
    a_crowd_fills_a_competition_exactly,
    people_leave_while_others_move_on_the_board,
    a_board_changes_live_on_another_replica,
);
