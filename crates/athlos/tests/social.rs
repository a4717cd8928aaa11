//! Social as people meet it, on SQLite and PostgreSQL: privacy through every
//! route (a private training never reaches a follower, a followers-only one
//! never a stranger or a pending requester, a block hides everything both
//! ways), follow requests, kudos and comments with mentions that notify,
//! reports and their moderation, bad input, and a person's data.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::{access, eventually, expect_problem, unique_email, Backend, TestApp};

const PASSWORD: &str = "correct horse battery";
const PATIENCE: Duration = Duration::from_secs(30);

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

async fn admin(app: &TestApp) -> Person {
    let email = unique_email("moderator");
    let identity = &app.server.contexts.identity;
    let id = identity.create_user(&email, "Moderator", PASSWORD, identity::Role::Admin).await.unwrap();
    Person { id, token: access(&app.logged_in(&email, PASSWORD).await) }
}

async fn training(app: &TestApp, who: &Person, privacy: &str, title: &str) -> String {
    let body = json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "duration_s": 1800,
        "distance_m": 5000.0, "privacy": privacy, "title": title });
    let made = app.post_as(&who.token, "/api/v1/workouts", body).await;
    assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());
    made.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.client.put(app.url(path)).bearer_auth(token).json(&body).send().await.unwrap()
}

async fn delete(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.client.delete(app.url(path)).bearer_auth(token).send().await.unwrap()
}

async fn feed_titles(app: &TestApp, who: &Person) -> Vec<String> {
    let page: Value = app.get_as(&who.token, "/api/v1/feed").await.json().await.unwrap();
    page["items"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap().to_string()).collect()
}

async fn kinds_told(app: &TestApp, who: &Person) -> Vec<String> {
    let page: Value = app.get_as(&who.token, "/api/v1/notifications?limit=100").await.json().await.unwrap();
    page["items"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap().to_string()).collect()
}

async fn told(app: &TestApp, who: &Person, kind: &str) {
    eventually(&format!("told of {kind}"), PATIENCE, || async { kinds_told(app, who).await.iter().any(|k| k == kind) })
        .await;
}

/// Olga with a public, a followers-only and a private training; Fred follows her; Sam does not.
async fn olga_fred_and_sam(app: &TestApp) -> (Person, Person, Person, [String; 3]) {
    let (olga, fred, sam) = (person(app, "Olga").await, person(app, "Fred").await, person(app, "Sam").await);
    let followed = put(app, &fred.token, &format!("/api/v1/people/{}/follow", olga.id), json!({})).await;
    assert_eq!(followed.json::<Value>().await.unwrap(), json!("accepted"));
    let ids = [
        training(app, &olga, "public", "Open run").await,
        training(app, &olga, "followers", "Friends run").await,
        training(app, &olga, "private", "Secret run").await,
    ];
    eventually("Fred's feed filled", PATIENCE, || async { feed_titles(app, &fred).await.len() == 2 }).await;
    // Social hears of each training on its own: the private one may come last.
    eventually("Olga's feed filled", PATIENCE, || async { feed_titles(app, &olga).await.len() == 3 }).await;
    (olga, fred, sam, ids)
}

async fn privacy_reaches_exactly_who_it_should(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (olga, fred, sam, [open, friends, secret]) = olga_fred_and_sam(&app).await;
    let mut seen = feed_titles(&app, &fred).await;
    seen.sort();
    assert_eq!(seen, ["Friends run", "Open run"], "a follower: public and followers, never private");
    assert!(feed_titles(&app, &sam).await.is_empty(), "a stranger's feed has nobody's trainings");
    assert_eq!(feed_titles(&app, &olga).await.len(), 3, "one's own feed has all of one's own");

    for (who, id, status) in
        [(&fred, &friends, 200), (&fred, &secret, 404), (&sam, &open, 200), (&sam, &friends, 404), (&sam, &secret, 404)]
    {
        let read = app.get_as(&who.token, &format!("/api/v1/workouts/{id}")).await;
        assert_eq!(read.status(), status, "GET workout {id}");
        let kudos = put(&app, &who.token, &format!("/api/v1/reactions/{id}/kudos"), json!({})).await;
        assert_eq!(kudos.status(), status, "kudos on {id}");
        let comments = app.get_as(&who.token, &format!("/api/v1/reactions/{id}/comments")).await;
        assert_eq!(comments.status(), status, "comments of {id}");
    }
    let listed = |who: &Person| {
        let path = format!("/api/v1/workouts?user={}", olga.id);
        let token = who.token.clone();
        let app = &app;
        async move { app.get_as(&token, &path).await.json::<Value>().await.unwrap()["items"].as_array().unwrap().len() }
    };
    assert_eq!(listed(&fred).await, 2);
    assert_eq!(listed(&sam).await, 1);
    let profile: Value = app.get_as(&sam.token, &format!("/api/v1/people/{}", olga.id)).await.json().await.unwrap();
    assert_eq!(profile["recent"].as_array().unwrap().len(), 1, "{profile}");
    assert_eq!(profile["totals"]["trainings"], 1);
    assert_eq!(profile["followers"], 1);

    // A training made private later leaves the follower's feed.
    let now_private =
        app.patch_as(&olga.token, &format!("/api/v1/workouts/{friends}"), json!({ "privacy": "private" })).await;
    assert_eq!(now_private.status(), 200);
    eventually("the now private training gone", PATIENCE, || async { feed_titles(&app, &fred).await == ["Open run"] })
        .await;
}

/// A straight run north of `metres` at `speed` m/s, a point every 10 seconds.
fn straight_run(metres: f64, speed: f64, day: u32) -> Vec<u8> {
    let mut gpx = String::from("<gpx version=\"1.1\" creator=\"test\"><trk><trkseg>");
    let steps = (metres / (speed * 10.0)).ceil() as u32;
    for step in 0..=steps {
        let lat = 46.0 + f64::from(step) * speed * 10.0 / 111_195.0;
        let (minute, second) = (step * 10 / 60, step * 10 % 60);
        gpx.push_str(&format!(
            "<trkpt lat=\"{lat:.7}\" lon=\"14.5\"><ele>300</ele><time>2026-11-{day:02}T07:{minute:02}:{second:02}Z</time></trkpt>"
        ));
    }
    gpx.push_str("</trkseg></trk></gpx>");
    gpx.into_bytes()
}

fn record_of(profile: &Value, distance_m: f64) -> Option<(f64, String)> {
    let records = profile["records"].as_array()?;
    let found = records.iter().find(|r| r["sport"] == "running" && r["distance_m"].as_f64() == Some(distance_m))?;
    Some((found["seconds"].as_f64()?, found["workout_id"].as_str()?.to_string()))
}

async fn records_are_the_fastest_the_viewer_may_see(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (olga, fred, sam) = (person(&app, "Olga").await, person(&app, "Fred").await, person(&app, "Sam").await);
    let followed = put(&app, &fred.token, &format!("/api/v1/people/{}/follow", olga.id), json!({})).await;
    assert_eq!(followed.status(), 200);
    let mut ids = Vec::new();
    for (privacy, speed, day) in [("public", 4.0, 20), ("followers", 5.0, 21), ("private", 6.0, 22)] {
        let fields = [("sport", "running"), ("privacy", privacy)];
        let made = app.upload_as(&olga.token, "run.gpx", straight_run(1500.0, speed, day), &fields).await;
        assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());
        ids.push(made.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
    }
    let profile = |who: &Person| {
        let path = format!("/api/v1/people/{}", olga.id);
        let (app, token) = (&app, who.token.clone());
        async move { app.get_as(&token, &path).await.json::<Value>().await.unwrap() }
    };
    let record_for = |who: &Person, expected: &String| {
        let expected = expected.clone();
        let profile = profile(who);
        async move { record_of(&profile.await, 1000.0).is_some_and(|(_, id)| id == expected) }
    };
    eventually("Olga's own record from her private run", PATIENCE, || record_for(&olga, &ids[2])).await;
    eventually("Fred's view: the followers-only run", PATIENCE, || record_for(&fred, &ids[1])).await;
    eventually("Sam's view: the public run", PATIENCE, || record_for(&sam, &ids[0])).await;
    let (seconds, _) = record_of(&profile(&sam).await, 1000.0).unwrap();
    assert!((seconds - 250.0).abs() < 5.0, "1 km at 4 m/s: {seconds} s");
    let fred_sees = profile(&fred).await;
    assert!(record_of(&fred_sees, 5000.0).is_none(), "no 5 km record from 1.5 km runs");
    let (seconds, _) = record_of(&fred_sees, 1000.0).unwrap();
    assert!((seconds - 200.0).abs() < 5.0, "1 km at 5 m/s: {seconds} s");

    // An edit keeps the file's efforts; a deleted training's record goes.
    let renamed =
        app.patch_as(&olga.token, &format!("/api/v1/workouts/{}", ids[1]), json!({ "title": "Fast one" })).await;
    assert_eq!(renamed.status(), 200);
    let renamed_in_feed = || async { feed_titles(&app, &fred).await.iter().any(|t| t == "Fast one") };
    eventually("the edit heard", PATIENCE, renamed_in_feed).await;
    assert_eq!(delete(&app, &olga.token, &format!("/api/v1/workouts/{}", ids[0])).await.status(), 204);
    let no_public_record = || async { record_of(&profile(&sam).await, 1000.0).is_none() };
    eventually("the deleted run's record gone", PATIENCE, no_public_record).await;
    let (_, id) = record_of(&profile(&fred).await, 1000.0).expect("the edited run keeps its record");
    assert_eq!(id, ids[1]);
}

async fn a_private_profile_approves_its_followers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (olga, _, _, [_, friends, _]) = olga_fred_and_sam(&app).await;
    let made_private =
        put(&app, &olga.token, "/api/v1/profile", json!({ "private": true, "bio": "Trail runner" })).await;
    assert_eq!(made_private.status(), 200);
    let (pat, quinn) = (person(&app, "Pat").await, person(&app, "Quinn").await);
    for asker in [&pat, &quinn] {
        let asked = put(&app, &asker.token, &format!("/api/v1/people/{}/follow", olga.id), json!({})).await;
        assert_eq!(asked.json::<Value>().await.unwrap(), json!("pending"));
    }
    told(&app, &olga, "follow_request").await;
    assert_eq!(
        app.get_as(&pat.token, &format!("/api/v1/workouts/{friends}")).await.status(),
        404,
        "pending sees nothing"
    );
    assert!(feed_titles(&app, &pat).await.is_empty());
    let followers = app.get_as(&pat.token, &format!("/api/v1/people/{}/followers", olga.id)).await;
    assert_eq!(followers.status(), 404, "a private profile's followers are its followers' to see");

    let waiting: Value = app.get_as(&olga.token, "/api/v1/follow-requests").await.json().await.unwrap();
    assert_eq!(waiting["items"].as_array().unwrap().len(), 2);
    let approved = app.post_as(&olga.token, &format!("/api/v1/follow-requests/{}", pat.id), json!({})).await;
    assert_eq!(approved.status(), 204);
    assert_eq!(delete(&app, &olga.token, &format!("/api/v1/follow-requests/{}", quinn.id)).await.status(), 204);
    assert_eq!(
        app.post_as(&olga.token, &format!("/api/v1/follow-requests/{}", quinn.id), json!({})).await.status(),
        404
    );

    told(&app, &pat, "follow_approved").await;
    assert_eq!(app.get_as(&pat.token, &format!("/api/v1/workouts/{friends}")).await.status(), 200);
    assert!(feed_titles(&app, &pat).await.contains(&"Friends run".to_string()), "approval fills the feed");
    let quinn_sees: Value =
        app.get_as(&quinn.token, &format!("/api/v1/people/{}", olga.id)).await.json().await.unwrap();
    assert_eq!(quinn_sees["you_follow"], "none");

    // Removing a follower takes her trainings out of his feed.
    assert_eq!(delete(&app, &olga.token, &format!("/api/v1/followers/{}", pat.id)).await.status(), 204);
    assert!(feed_titles(&app, &pat).await.is_empty());
    assert_eq!(app.get_as(&pat.token, &format!("/api/v1/workouts/{friends}")).await.status(), 404);
}

async fn a_block_hides_everything_both_ways(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (olga, fred, _, [open, _, _]) = olga_fred_and_sam(&app).await;
    let said =
        app.post_as(&fred.token, &format!("/api/v1/reactions/{open}/comments"), json!({ "body": "Nice!" })).await;
    assert_eq!(said.status(), 201);

    assert_eq!(put(&app, &olga.token, &format!("/api/v1/blocks/{}", fred.id), json!({})).await.status(), 204);
    assert!(feed_titles(&app, &fred).await.is_empty());
    assert_eq!(app.get_as(&fred.token, &format!("/api/v1/people/{}", olga.id)).await.status(), 404);
    assert_eq!(app.get_as(&olga.token, &format!("/api/v1/people/{}", fred.id)).await.status(), 404, "both ways");
    assert_eq!(app.get_as(&fred.token, &format!("/api/v1/workouts/{open}")).await.status(), 404, "even public");
    assert_eq!(put(&app, &fred.token, &format!("/api/v1/reactions/{open}/kudos"), json!({})).await.status(), 404);
    let comments: Value =
        app.get_as(&olga.token, &format!("/api/v1/reactions/{open}/comments")).await.json().await.unwrap();
    assert_eq!(comments, json!([]), "his comment is hidden from her");
    let again = put(&app, &fred.token, &format!("/api/v1/people/{}/follow", olga.id), json!({})).await;
    expect_problem(again, 404, "not-found").await;
    let found: Value = app.get_as(&fred.token, "/api/v1/people?q=olga").await.json().await.unwrap();
    assert!(!found["items"].as_array().unwrap().iter().any(|p| p["id"] == json!(olga.id)), "not found by name either");
    let profile: Value = app.get_as(&olga.token, "/api/v1/account").await.json().await.unwrap();
    assert_eq!(profile["id"], json!(olga.id));

    let blocked: Value = app.get_as(&olga.token, "/api/v1/blocks").await.json().await.unwrap();
    assert_eq!(blocked[0]["id"], json!(fred.id));
    assert_eq!(delete(&app, &olga.token, &format!("/api/v1/blocks/{}", fred.id)).await.status(), 204);
    let followed = put(&app, &fred.token, &format!("/api/v1/people/{}/follow", olga.id), json!({})).await;
    assert_eq!(followed.json::<Value>().await.unwrap(), json!("accepted"), "the follow ended with the block");
}

async fn kudos_comments_and_mentions_tell_people(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (olga, fred, sam, [open, friends, _]) = olga_fred_and_sam(&app).await;
    let kudos: Value =
        put(&app, &fred.token, &format!("/api/v1/reactions/{open}/kudos"), json!({})).await.json().await.unwrap();
    assert_eq!(kudos, json!({ "kudos": 1, "you_gave_kudos": true }));
    let twice: Value =
        put(&app, &fred.token, &format!("/api/v1/reactions/{open}/kudos"), json!({})).await.json().await.unwrap();
    assert_eq!(twice["kudos"], 1, "one kudos per person");
    told(&app, &olga, "kudos").await;

    let body = json!({ "body": "Great pace @Sam", "mentions": [sam.id] });
    let comment = app.post_as(&fred.token, &format!("/api/v1/reactions/{open}/comments"), body).await;
    assert_eq!(comment.status(), 201);
    let comment: Value = comment.json().await.unwrap();
    assert_eq!(comment["author"]["display_name"], "Fred");
    told(&app, &olga, "comment").await;
    told(&app, &sam, "mention").await;
    // Mentioned where the training is out of their sight: not told.
    let hidden = json!({ "body": "Only friends @Sam", "mentions": [sam.id] });
    assert_eq!(app.post_as(&fred.token, &format!("/api/v1/reactions/{friends}/comments"), hidden).await.status(), 201);
    support::notices_settled(&app, &sam.token, &sam.id).await;
    let mentions = kinds_told(&app, &sam).await.iter().filter(|k| *k == "mention").count();
    assert_eq!(mentions, 1);

    let page: Value = app.get_as(&fred.token, "/api/v1/feed").await.json().await.unwrap();
    let shown = page["items"].as_array().unwrap().iter().find(|e| e["workout_id"] == json!(open)).unwrap().clone();
    assert_eq!(
        (shown["kudos"].clone(), shown["comments"].clone(), shown["you_gave_kudos"].clone()),
        (json!(1), json!(1), json!(true))
    );

    let id = comment["id"].as_str().unwrap();
    let path = format!("/api/v1/reactions/{open}/comments/{id}");
    assert_eq!(
        app.patch_as(&sam.token, &path, json!({ "body": "mine now" })).await.status(),
        404,
        "only its author edits"
    );
    let edited = app.patch_as(&fred.token, &path, json!({ "body": "Great pace!" })).await;
    assert_eq!(edited.json::<Value>().await.unwrap()["body"], "Great pace!");
    assert_eq!(delete(&app, &sam.token, &path).await.status(), 404);
    assert_eq!(delete(&app, &olga.token, &path).await.status(), 204, "the training's owner removes it");
    assert_eq!(delete(&app, &fred.token, &path).await.status(), 404);
}

async fn reports_are_decided_and_everyone_concerned_hears(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (olga, fred, sam, [open, _, secret]) = olga_fred_and_sam(&app).await;
    let moderator = admin(&app).await;
    let said = app
        .post_as(&fred.token, &format!("/api/v1/reactions/{open}/comments"), json!({ "body": "You are slow" }))
        .await;
    let comment = said.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();

    let report = json!({ "subject": "comment", "id": comment, "reason": "abuse", "details": "rude" });
    let filed = app.post_as(&sam.token, "/api/v1/reports", report.clone()).await;
    assert_eq!(filed.status(), 201);
    let report_id = filed.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    expect_problem(app.post_as(&sam.token, "/api/v1/reports", report).await, 409, "conflict").await;
    let unseen = json!({ "subject": "training", "id": secret, "reason": "spam" });
    expect_problem(app.post_as(&sam.token, "/api/v1/reports", unseen).await, 404, "not-found").await;

    expect_problem(app.get_as(&sam.token, "/api/v1/moderation/reports").await, 403, "not-admin").await;
    let queue: Value = app.get_as(&moderator.token, "/api/v1/moderation/reports").await.json().await.unwrap();
    let queued = queue.as_array().unwrap().iter().find(|r| r["id"] == json!(report_id)).unwrap();
    assert_eq!(queued["content"], "You are slow");
    assert_eq!(queued["subject_owner"], json!(fred.id));

    let path = format!("/api/v1/moderation/reports/{report_id}/decision");
    let forbidden = app.post_as(&sam.token, &path, json!({ "action": "hide", "reason": "x" })).await;
    assert_eq!(forbidden.status(), 403);
    let decided = app.post_as(&moderator.token, &path, json!({ "action": "hide", "reason": "insult" })).await;
    assert_eq!(decided.status(), 200);
    let again = app.post_as(&moderator.token, &path, json!({ "action": "dismiss", "reason": "changed my mind" })).await;
    expect_problem(again, 409, "conflict").await;

    for who in [&olga, &sam, &fred] {
        let shown: Value =
            app.get_as(&who.token, &format!("/api/v1/reactions/{open}/comments")).await.json().await.unwrap();
        assert_eq!(shown, json!([]), "a hidden comment is gone for everyone");
    }
    let for_admin: Value =
        app.get_as(&moderator.token, &format!("/api/v1/reactions/{open}/comments")).await.json().await.unwrap();
    assert_eq!(for_admin[0]["hidden"], true, "but an administrator");
    told(&app, &fred, "content_hidden").await;
    told(&app, &sam, "report_resolved").await;
    let mine: Value = app.get_as(&sam.token, "/api/v1/reports").await.json().await.unwrap();
    assert_eq!(
        (mine[0]["state"].clone(), mine[0]["outcome"].clone()),
        (json!("actioned"), json!("the content was hidden"))
    );
    let log: Value = app.get_as(&moderator.token, "/api/v1/moderation/actions").await.json().await.unwrap();
    assert_eq!((log[0]["action"].clone(), log[0]["reason"].clone()), (json!("hide"), json!("insult")));
    assert_eq!(log[0]["moderator_id"], json!(moderator.id));

    // A hidden training becomes its owner's alone.
    let on_training = json!({ "subject": "training", "id": open, "reason": "spam" });
    let filed = app.post_as(&sam.token, "/api/v1/reports", on_training).await.json::<Value>().await.unwrap();
    let path = format!("/api/v1/moderation/reports/{}/decision", filed["id"].as_str().unwrap());
    assert_eq!(app.post_as(&moderator.token, &path, json!({ "action": "hide", "reason": "spam" })).await.status(), 200);
    eventually("the training hidden", PATIENCE, || async {
        app.get_as(&sam.token, &format!("/api/v1/workouts/{open}")).await.status() == 404
    })
    .await;
    assert_eq!(app.get_as(&olga.token, &format!("/api/v1/workouts/{open}")).await.status(), 200);

    // A profile reported and its author suspended: refused on the next request.
    let on_fred = json!({ "subject": "profile", "id": fred.id, "reason": "abuse" });
    let filed = app.post_as(&sam.token, "/api/v1/reports", on_fred).await.json::<Value>().await.unwrap();
    let path = format!("/api/v1/moderation/reports/{}/decision", filed["id"].as_str().unwrap());
    assert_eq!(
        app.post_as(&moderator.token, &path, json!({ "action": "suspend", "reason": "abuse" })).await.status(),
        200
    );
    assert_eq!(app.get_as(&fred.token, "/api/v1/feed").await.status(), 401);
}

async fn bad_input_is_refused_by_field_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (olga, fred, _, [open, _, _]) = olga_fred_and_sam(&app).await;
    let myself = put(&app, &olga.token, &format!("/api/v1/people/{}/follow", olga.id), json!({})).await;
    assert_eq!(expect_problem(myself, 422, "invalid-input").await["field"], "id");
    let nobody = put(&app, &olga.token, "/api/v1/people/0193a0a0-0000-7000-8000-000000000000/follow", json!({})).await;
    expect_problem(nobody, 404, "not-found").await;
    for (body, field) in [
        (json!({ "body": "   " }), "body"),
        (json!({ "body": "x".repeat(2001) }), "body"),
        (json!({ "body": "hi", "mentions": vec![fred.id.clone(); 11] }), "mentions"),
    ] {
        let refused = app.post_as(&fred.token, &format!("/api/v1/reactions/{open}/comments"), body).await;
        assert_eq!(expect_problem(refused, 422, "invalid-input").await["field"], field);
    }
    let comments: Value =
        app.get_as(&fred.token, &format!("/api/v1/reactions/{open}/comments")).await.json().await.unwrap();
    assert_eq!(comments, json!([]));
    for (body, field) in
        [(json!({ "bio": "x".repeat(501) }), "bio"), (json!({ "home_area": "not a cell!" }), "home_area")]
    {
        let refused = put(&app, &olga.token, "/api/v1/profile", body).await;
        assert_eq!(expect_problem(refused, 422, "invalid-input").await["field"], field);
    }
    let kept = put(&app, &olga.token, "/api/v1/profile", json!({ "home_area": "u33dbfcyegcv" })).await;
    assert_eq!(kept.json::<Value>().await.unwrap()["home_area"], "u33db", "never finer than a few kilometres");
    for query in ["q=", "q=ol&limit=0", "q=ol&cursor=%21%21"] {
        let refused = app.get_as(&olga.token, &format!("/api/v1/people?{query}")).await;
        assert_eq!(refused.status(), 422, "{query}");
    }
    for query in ["limit=0", "limit=51", "cursor=nonsense"] {
        assert_eq!(app.get_as(&olga.token, &format!("/api/v1/feed?{query}")).await.status(), 422, "{query}");
    }
    let control =
        app.post_as(&fred.token, &format!("/api/v1/reactions/{open}/comments"), json!({ "body": "a\u{1b}[2Jb" })).await;
    assert_eq!(control.status(), 422);
}

async fn a_deleted_persons_social_data_is_exported_then_erased(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (olga, fred, _, [open, _, _]) = olga_fred_and_sam(&app).await;
    assert_eq!(put(&app, &fred.token, &format!("/api/v1/reactions/{open}/kudos"), json!({})).await.status(), 200);
    let said = app.post_as(&fred.token, &format!("/api/v1/reactions/{open}/comments"), json!({ "body": "Bye" })).await;
    assert_eq!(said.status(), 201);
    let export = app.server.contexts.social.personal_data();
    let dir = tempfile::tempdir().unwrap();
    let mut archive = platform::personal_data::Archive::create(&dir.path().join("x.zip")).unwrap();
    export.export(&fred.id, &mut archive).await.unwrap();
    let path = archive.finish().unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let social: Value = serde_json::from_reader(zip.by_name("social/social.json").unwrap()).unwrap();
    assert_eq!(social["following"], json!([olga.id]));
    assert_eq!(social["kudos_given"], json!([open]));
    assert_eq!(social["comments"][0]["body"], "Bye");

    let gone = app.delete_as(&fred.token, "/api/v1/account", json!({ "password": PASSWORD })).await;
    assert_eq!(gone.status(), 204);
    eventually("Fred's follow and comment erased", PATIENCE, || async {
        let profile: Value =
            app.get_as(&olga.token, &format!("/api/v1/people/{}", olga.id)).await.json().await.unwrap();
        let comments: Value =
            app.get_as(&olga.token, &format!("/api/v1/reactions/{open}/comments")).await.json().await.unwrap();
        profile["followers"] == 0 && comments == json!([])
    })
    .await;
    let kudos: Value =
        put(&app, &olga.token, &format!("/api/v1/reactions/{open}/kudos"), json!({})).await.json().await.unwrap();
    assert_eq!(kudos["kudos"], 1, "only hers is left");
}

on_every_database!(
    privacy_reaches_exactly_who_it_should,
    records_are_the_fastest_the_viewer_may_see,
    a_private_profile_approves_its_followers,
    a_block_hides_everything_both_ways,
    kudos_comments_and_mentions_tell_people,
    reports_are_decided_and_everyone_concerned_hears,
    bad_input_is_refused_by_field_and_changes_nothing,
    a_deleted_persons_social_data_is_exported_then_erased
);
