//! Competition results always equal what the trainings say: after random
//! adds, edits, moves and deletes of trainings and random entries, leaves,
//! private entries, disqualifications and people telling another sex (which
//! an entry takes up when it is next changed), every result and place on
//! every board, whole and narrowed to a sex, equals a brute-force
//! recomputation from the trainings made, on every database and every bus. A failing run prints its seed; run it
//! again with `COMPETITION_SEED=<seed>`.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};
use support::bus::{app_on, Bus};
use support::{access, eventually, unique_email, Backend, TestApp};

const PATIENCE: Duration = Duration::from_secs(60);
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// xorshift64*: enough randomness for choosing operations, and repeatable.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize].clone()
    }
}

#[derive(Clone, Debug)]
struct Training {
    owner: usize,
    sport: &'static str,
    privacy: &'static str,
    started_ms: i64,
    distance_m: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Distance,
    Trainings,
    Longest,
}

struct Contest {
    id: String,
    kind: Kind,
    sports: &'static [&'static str],
    starts: i64,
    ends: i64,
    /// Entrants: person → (private entry, disqualified, sex as of the entry's last change).
    entries: BTreeMap<usize, (bool, bool, &'static str)>,
}

struct Person {
    id: String,
    token: String,
    sex: &'static str,
}

const SEXES: [&str; 2] = ["female", "male"];

fn rfc3339(ms: i64) -> String {
    let at = std::time::UNIX_EPOCH + Duration::from_millis(ms as u64);
    humantime::format_rfc3339_seconds(at).to_string()
}

/// Now, to the second (the API keeps seconds of a hand-made training).
fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 * 1000
}

/// Expected (user id, score, place) lines of a board, best first, of
/// everyone or of one sex.
fn expected_board(
    contest: &Contest,
    people: &[Person],
    trainings: &BTreeMap<String, Training>,
    sex: Option<&str>,
) -> Vec<(String, f64, i64)> {
    let mut lines: Vec<(f64, i64, String, f64)> = Vec::new();
    for (&who, &(private_entry, disqualified, entered_as)) in &contest.entries {
        if disqualified || sex.is_some_and(|sex| sex != entered_as) {
            continue;
        }
        let counted: Vec<(&String, &Training)> = trainings
            .iter()
            .filter(|(_, t)| t.owner == who && contest.sports.contains(&t.sport))
            .filter(|(_, t)| t.started_ms >= contest.starts && t.started_ms < contest.ends)
            .filter(|(_, t)| private_entry || t.privacy == "public")
            .collect();
        let Some(latest) = counted.iter().map(|(_, t)| t.started_ms).max() else { continue };
        let (score, at) = match contest.kind {
            Kind::Distance => (counted.iter().map(|(_, t)| t.distance_m).sum(), latest),
            Kind::Trainings => (counted.len() as f64, latest),
            Kind::Longest => {
                let best = counted
                    .iter()
                    .min_by(|(ia, a), (ib, b)| {
                        b.distance_m.total_cmp(&a.distance_m).then(a.started_ms.cmp(&b.started_ms)).then(ia.cmp(ib))
                    })
                    .unwrap();
                (best.1.distance_m, best.1.started_ms)
            }
        };
        lines.push((-score, at, people[who].id.clone(), score));
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    lines.into_iter().enumerate().map(|(n, (_, _, id, score))| (id, score, n as i64 + 1)).collect()
}

async fn actual_board(app: &TestApp, token: &str, id: &str) -> Vec<(String, f64, i64)> {
    let page: Value =
        app.get_as(token, &format!("/api/v1/competitions/{id}/board?limit=100")).await.json().await.unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["person"]["id"].as_str().unwrap().to_string(),
                l["score"].as_f64().unwrap(),
                l["place"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn same(a: &[(String, f64, i64)], b: &[(String, f64, i64)]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.0 == y.0 && x.2 == y.2 && (x.1 - y.1).abs() < 1e-6)
}

async fn person(app: &TestApp, n: usize, sex: &'static str) -> Person {
    let token = access(&app.signed_up(&unique_email(&format!("racer{n}")), "correct horse battery").await);
    assert_eq!(app.patch_as(&token, "/api/v1/account", json!({ "sex": sex })).await.status(), 200);
    let me: Value = app.get_as(&token, "/api/v1/account").await.json().await.unwrap();
    Person { id: me["id"].as_str().unwrap().to_string(), token, sex }
}

async fn contest(app: &TestApp, organiser: &str, kind: Kind, sports: &'static [&'static str], now: i64) -> Contest {
    let (starts, ends) = (now - 7 * DAY_MS, now + DAY_MS);
    let name = match kind {
        Kind::Distance => "distance",
        Kind::Trainings => "trainings",
        Kind::Longest => "longest",
    };
    let body = json!({ "title": format!("Most {name}"), "kind": name, "sports": sports,
        "starts_at": rfc3339(starts), "ends_at": rfc3339(ends), "time_zone": "Europe/Ljubljana" });
    let made = app.post_as(organiser, "/api/v1/competitions", body).await;
    assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());
    let id = made.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    Contest { id, kind, sports, starts, ends, entries: BTreeMap::new() }
}

async fn results_equal_a_recomputation_from_the_trainings(backend: Backend, bus: Bus) {
    let seed: u64 = std::env::var("COMPETITION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| uuid::Uuid::now_v7().as_u64_pair().1 | 1);
    println!("COMPETITION_SEED={seed}");
    let mut dice = Dice(seed);
    let app = app_on(backend, bus).await;
    let (organiser, _) = app.administrator().await;
    let mut people = Vec::new();
    for n in 0..4 {
        people.push(person(&app, n, dice.pick(&SEXES)).await);
    }
    let now = now_ms();
    let mut contests = vec![
        contest(&app, &organiser, Kind::Distance, &["running"], now).await,
        contest(&app, &organiser, Kind::Trainings, &["running", "cycling"], now).await,
        contest(&app, &organiser, Kind::Longest, &["cycling"], now).await,
    ];
    let mut trainings: BTreeMap<String, Training> = BTreeMap::new();
    for contest in &mut contests {
        for (who, person) in people.iter().enumerate() {
            if who < 3 || dice.below(2) == 0 {
                let path = format!("/api/v1/competitions/{}/entry", contest.id);
                assert_eq!(app.put_as(&person.token, &path, json!({})).await.status(), 200);
                contest.entries.insert(who, (false, false, person.sex));
            }
        }
    }

    for _ in 0..120 {
        match dice.below(20) {
            0..=8 => {
                let t = Training {
                    owner: dice.below(people.len() as u64) as usize,
                    sport: dice.pick(&["running", "cycling", "yoga"]),
                    privacy: dice.pick(&["public", "public", "public", "followers", "private"]),
                    started_ms: now - 9 * DAY_MS + dice.below(9 * 24 - 2) as i64 * HOUR_MS,
                    distance_m: (1 + dice.below(40)) as f64 * 500.0,
                };
                let body = json!({ "sport": t.sport, "privacy": t.privacy, "started_at": rfc3339(t.started_ms),
                    "duration_s": 1800, "distance_m": t.distance_m });
                let made = app.post_as(&people[t.owner].token, "/api/v1/workouts", body).await;
                assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());
                trainings.insert(made.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string(), t);
            }
            9..=12 if !trainings.is_empty() => {
                let id = dice.pick(&trainings.keys().cloned().collect::<Vec<_>>());
                let t = trainings.get_mut(&id).unwrap();
                let change = match dice.below(4) {
                    0 => {
                        t.started_ms = now - 9 * DAY_MS + dice.below(9 * 24 - 2) as i64 * HOUR_MS;
                        json!({ "started_at": rfc3339(t.started_ms) })
                    }
                    1 => {
                        t.distance_m = (1 + dice.below(40)) as f64 * 500.0;
                        json!({ "distance_m": t.distance_m })
                    }
                    2 => {
                        t.privacy = dice.pick(&["public", "followers", "private"]);
                        json!({ "privacy": t.privacy })
                    }
                    _ => {
                        t.sport = dice.pick(&["running", "cycling"]);
                        json!({ "sport": t.sport })
                    }
                };
                let token = &people[t.owner].token;
                let edited = app.patch_as(token, &format!("/api/v1/workouts/{id}"), change).await;
                assert_eq!(edited.status(), 200, "{}", edited.text().await.unwrap());
            }
            13 | 14 if !trainings.is_empty() => {
                let id = dice.pick(&trainings.keys().cloned().collect::<Vec<_>>());
                let t = trainings.remove(&id).unwrap();
                let gone = app.delete_as(&people[t.owner].token, &format!("/api/v1/workouts/{id}"), json!({})).await;
                assert_eq!(gone.status(), 204);
            }
            15..=17 => {
                let c = dice.below(contests.len() as u64) as usize;
                let who = dice.below(people.len() as u64) as usize;
                let path = format!("/api/v1/competitions/{}/entry", contests[c].id);
                let entered = contests[c].entries.contains_key(&who);
                if entered && dice.below(3) == 0 {
                    assert_eq!(app.delete_as(&people[who].token, &path, json!({})).await.status(), 204);
                    contests[c].entries.remove(&who);
                } else {
                    let private_entry = dice.below(3) == 0;
                    let done = app.put_as(&people[who].token, &path, json!({ "private_entry": private_entry })).await;
                    assert_eq!(done.status(), 200, "{}", done.text().await.unwrap());
                    let disqualified = contests[c].entries.get(&who).is_some_and(|e| e.1);
                    contests[c].entries.insert(who, (private_entry, disqualified, people[who].sex));
                }
            }
            18 if dice.below(2) == 0 => {
                // Told on the account; entries take it up when next changed.
                let who = dice.below(people.len() as u64) as usize;
                people[who].sex = dice.pick(&SEXES);
                let told = app.patch_as(&people[who].token, "/api/v1/account", json!({ "sex": people[who].sex })).await;
                assert_eq!(told.status(), 200);
            }
            _ => {
                let c = dice.below(contests.len() as u64) as usize;
                let Some((&who, &(private_entry, disqualified, entered_as))) =
                    contests[c].entries.iter().nth(dice.below(4) as usize % contests[c].entries.len().max(1))
                else {
                    continue;
                };
                let path =
                    format!("/api/v1/competitions/{}/entries/{}/disqualification", contests[c].id, people[who].id);
                let judged = if disqualified {
                    app.delete_as(&organiser, &path, json!({})).await
                } else {
                    app.put_as(&organiser, &path, json!({ "reason": "GPS jumped across the lake" })).await
                };
                assert_eq!(judged.status(), 204, "{}", judged.text().await.unwrap());
                contests[c].entries.insert(who, (private_entry, !disqualified, entered_as));
            }
        }
    }

    let lines: usize = contests.iter().map(|c| expected_board(c, &people, &trainings, None).len()).sum();
    assert!(lines > 0, "seed {seed}: nobody on any board, nothing was checked");
    for contest in &contests {
        let expected = expected_board(contest, &people, &trainings, None);
        println!("{:?}: {expected:?}", contest.kind);
        let matches = || async { same(&actual_board(&app, &organiser, &contest.id).await, &expected) };
        if tokio::time::timeout(PATIENCE, eventually("the board", PATIENCE, matches)).await.is_err() {
            panic!("seed {seed}: expected {expected:?}, got {:?}", actual_board(&app, &organiser, &contest.id).await);
        }
        // Each person's own place says the same.
        for (who, person) in people.iter().enumerate() {
            let mine: Value = app
                .get_as(&person.token, &format!("/api/v1/competitions/{}/board/me?around=1", contest.id))
                .await
                .json()
                .await
                .unwrap();
            let place = expected.iter().find(|l| l.0 == person.id).map(|l| l.2);
            assert_eq!(mine["place"].as_i64(), place, "seed {seed}: person {who} in {:?}: {mine}", contest.kind);
            // And among their sex, counted from that sex's own band counts.
            for sex in SEXES {
                let among = expected_board(contest, &people, &trainings, Some(sex));
                let path = format!("/api/v1/competitions/{}/board/me?around=1&sex={sex}", contest.id);
                let mine: Value = app.get_as(&person.token, &path).await.json().await.unwrap();
                let place = among.iter().find(|l| l.0 == person.id).map(|l| l.2);
                assert_eq!(mine["place"].as_i64(), place, "seed {seed}: person {who} among {sex}: {mine}");
            }
        }
    }

    // The counts kept change by change equal the counts made again from the rows.
    let kept = band_counts(&app).await;
    app.server.contexts.competition.recount().await.unwrap();
    assert_eq!(band_counts(&app).await, kept, "seed {seed}: a recount disagrees with the counts kept");
}

/// Every board's non-empty bands.
async fn band_counts(app: &TestApp) -> Vec<(String, i64, i64)> {
    let rows = sqlx::query("SELECT board, bucket, n FROM board_counts WHERE n <> 0 ORDER BY board, bucket")
        .fetch_all(app.server.platform.db.pool())
        .await
        .unwrap();
    use sqlx::Row;
    rows.iter().map(|r| (r.get("board"), r.get("bucket"), r.get("n"))).collect()
}

on_every_bus_and_database!(results_equal_a_recomputation_from_the_trainings);
