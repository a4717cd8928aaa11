//! The surge: a real server on the seeded database, thousands of sockets
//! (in a child process) watching the competition's board, and the
//! entrants each saving one training over HTTP at an even pace. Measures
//! the API's latency, how long the board's change takes to reach the
//! sockets, how many messages each socket got, and that every socket ended
//! on the board's final version.

use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context};
use futures::{StreamExt, TryStreamExt};
use platform::config::Config;
use platform::db::Dialect;
use serde_json::{json, Value};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Row};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

use crate::seed::{World, MARKER_M};
use crate::watch::{Heard, Plan};
use crate::{cpu_time, group, name, now_us, Args, Rng, Sizes, Stats, PASSWORD};

/// How long the server may take to stop once the surge is measured.
const STOPPING: Duration = Duration::from_secs(30);

#[derive(serde::Serialize, serde::Deserialize)]
pub struct Report {
    pub rows: Vec<String>,
    pub note: String,
}

/// One training saved.
struct Saved {
    /// The board's version just before the POST was sent.
    before: i64,
    took: Duration,
    /// When the 201 arrived, µs since the epoch.
    answered_us: i64,
    created: bool,
}

pub async fn run(
    args: &Args,
    sizes: &Sizes,
    world: &World,
    dialect: Dialect,
    config: Config,
    url: &str,
) -> anyhow::Result<Report> {
    let database = name(dialect);
    let server = athlos::server::start(config, &athlos::cli::ServeArgs::default()).await?;
    let base = format!("http://{}", server.addr);
    let http = reqwest::Client::new();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    eprintln!("  logging in {} accounts…", group(sizes.watchers + sizes.entrants));
    let began = Instant::now();
    let login = |email: String| {
        let (http, base) = (&http, &base);
        async move {
            let asked =
                http.post(format!("{base}/api/v1/auth/login")).json(&json!({ "email": email, "password": PASSWORD }));
            let tokens: Value = asked.send().await?.error_for_status()?.json().await?;
            anyhow::Ok(tokens["access_token"].as_str().context("no access token")?.to_string())
        }
    };
    let watchers: Vec<String> = futures::stream::iter((0..sizes.watchers).map(World::watcher_email))
        .map(login)
        .buffered(2 * cores)
        .try_collect()
        .await?;
    let entrants: Vec<String> = futures::stream::iter((0..sizes.entrants).map(World::entrant_email))
        .map(login)
        .buffered(2 * cores)
        .try_collect()
        .await?;
    eprintln!("  logged in in {:.0} s", began.elapsed().as_secs_f64());

    // The bench's own look at the board, off the server's pool.
    let observer = AnyPoolOptions::new().max_connections(2).connect(url).await?;
    let markers: Vec<usize> = (0..sizes.entrants).filter(|i| i % args.marker_every == 0).collect();
    let plan = Plan {
        base: base.clone(),
        topic: format!("competition:{}", world.competition_id),
        tokens: watchers.clone(),
        sockets: sizes.sockets,
        sampled: args.sampled,
        connecting: args.connecting,
        markers: markers.iter().map(|&i| world.entrants[i].clone()).collect(),
    };
    eprintln!("  opening {} sockets in a child process…", group(sizes.sockets));
    let mut child = tokio::process::Command::new(std::env::current_exe()?)
        .arg("--watch")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()?;
    let mut to_child = child.stdin.take().context("the child's stdin")?;
    let mut from_child = tokio::io::BufReader::new(child.stdout.take().context("the child's stdout")?).lines();
    to_child.write_all(format!("{}\n", serde_json::to_string(&plan)?).as_bytes()).await?;
    let ready = from_child.next_line().await?.context("the sockets' process ended")?;
    let opened_in =
        ready.strip_prefix("ready ").with_context(|| format!("the sockets' process said {ready}"))?.to_string();
    eprintln!("  {} sockets open in {opened_in} s; the surge…", group(sizes.sockets));

    to_child.write_all(b"go\n").await?;
    let surge_began = (Instant::now(), cpu_time());
    let version = |pool: &AnyPool| {
        let pool = pool.clone();
        let id = world.competition_id.clone();
        async move {
            let row =
                sqlx::query("SELECT board_version FROM competitions WHERE id = $1").bind(id).fetch_one(&pool).await?;
            anyhow::Ok(row.try_get::<i64, _>("board_version")?)
        }
    };
    // Reading the board over HTTP while the surge goes on.
    let stop = Arc::new(AtomicBool::new(false));
    let probe = {
        let (http, base, stop) = (http.clone(), base.clone(), stop.clone());
        let (watcher, entrants) = (watchers[0].clone(), entrants.clone());
        let board = format!("{base}/api/v1/competitions/{}/board", world.competition_id);
        let every = sizes.surge_seconds as f64 / sizes.entrants as f64;
        tokio::spawn(async move {
            let (mut top, mut me) = (Vec::new(), Vec::new());
            let began = Instant::now();
            let mut tick = tokio::time::interval(Duration::from_millis(250));
            while !stop.load(Ordering::Relaxed) {
                tick.tick().await;
                let start = Instant::now();
                let got = http.get(format!("{board}?limit=100")).bearer_auth(&watcher).send().await;
                if got.is_ok_and(|r| r.status().is_success()) {
                    top.push(start.elapsed());
                }
                // Someone who has saved their training by now.
                let posted = ((began.elapsed().as_secs_f64() / every) as usize).min(entrants.len() - 1);
                let start = Instant::now();
                let got = http.get(format!("{board}/me")).bearer_auth(&entrants[posted / 2]).send().await;
                if got.is_ok_and(|r| r.status().is_success()) {
                    me.push(start.elapsed());
                }
            }
            (top, me)
        })
    };
    let interval = Duration::from_secs_f64(sizes.surge_seconds as f64 / sizes.entrants as f64);
    let start = tokio::time::Instant::now();
    let mut rng = Rng(args.seed ^ 0x5u64 << 32);
    let mut tasks = Vec::with_capacity(sizes.entrants);
    for (i, token) in entrants.iter().enumerate() {
        tokio::time::sleep_until(start + interval * i as u32).await;
        let distance = if i % args.marker_every == 0 {
            // Further than any result before it: it leads the board.
            MARKER_M + i as f64
        } else {
            (3000 + rng.below(39_000)) as f64
        };
        // 4 to 7 minutes a kilometre; a marker at 5 m/s (a week is the most a training lasts).
        let duration = if i % args.marker_every == 0 {
            (distance / 5.0).round()
        } else {
            (distance / 1000.0 * (240 + rng.below(180)) as f64).round()
        };
        let started = crate::now_ms() - duration as i64 * 1000 - (rng.below(6 * 3600) as i64 * 1000);
        let body = json!({
            "sport": "running",
            "started_at": platform::db::rfc3339(started),
            "duration_s": duration,
            "distance_m": distance,
            "privacy": "public",
            "title": format!("Surge run {i}"),
        });
        let (http, url, token, observer) =
            (http.clone(), format!("{base}/api/v1/workouts"), token.clone(), observer.clone());
        let before = version(&observer);
        tasks.push(tokio::spawn(async move {
            let before = before.await?;
            let sent = Instant::now();
            let answer = http.post(url).bearer_auth(token).json(&body).send().await?;
            let answered_us = now_us();
            let took = sent.elapsed();
            let created = answer.status() == reqwest::StatusCode::CREATED;
            if !created {
                eprintln!("  a POST answered {}: {}", answer.status(), answer.text().await.unwrap_or_default());
            }
            anyhow::Ok(Saved { before, took, answered_us, created })
        }));
    }
    let mut saved = Vec::with_capacity(tasks.len());
    for task in tasks {
        saved.push(task.await??);
    }
    let last_answer = Instant::now();
    stop.store(true, Ordering::Relaxed);
    let (top_probe, me_probe) = probe.await?;
    eprintln!("  the last training saved; waiting for the results…");

    // Every entrant's training is in competition's copy once its handler
    // committed (the copy and the result are one transaction).
    let deadline = Instant::now() + Duration::from_secs(args.patience);
    let copies = loop {
        let copies: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM competition_trainings").fetch_one(&observer).await?.try_get("n")?;
        if copies as usize >= sizes.entrants || Instant::now() > deadline {
            break copies as usize;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let all_in = last_answer.elapsed();
    let all_in = if copies >= sizes.entrants {
        format!("every result was in {:.1} s after the last answer", all_in.as_secs_f64())
    } else {
        format!(
            "only {} of {} results were in {:.0} s after the last answer (then it stopped waiting)",
            group(copies),
            group(sizes.entrants),
            all_in.as_secs_f64()
        )
    };
    eprintln!("  {all_in}");
    let final_version = version(&observer).await?;
    let server_cpu = (cpu_time() - surge_began.1).as_secs_f64() / surge_began.0.elapsed().as_secs_f64() * 100.0;
    to_child.write_all(format!("final {final_version}\n").as_bytes()).await?;
    let heard = from_child.next_line().await?.context("the sockets' process ended without an answer")?;
    let heard: Heard = serde_json::from_str(&heard)?;
    child.wait().await?;

    // Every entrant's result is the distance they saved.
    let results: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM competition_entries e JOIN competition_trainings t ON t.user_id = e.user_id
         WHERE e.competition_id = $1 AND e.score = t.distance_m AND e.trainings = 1",
    )
    .bind(&world.competition_id)
    .fetch_one(&observer)
    .await?
    .try_get("n")?;
    observer.close().await;
    // A backlog of events holds the server up: its process ends with it.
    let stopped = match tokio::time::timeout(STOPPING, server.stop()).await {
        Ok(stopped) => {
            stopped?;
            String::new()
        }
        Err(_) => {
            format!(" The server had not stopped {} s after being asked to (its event backlog).", STOPPING.as_secs())
        }
    };

    let mut rows = Vec::new();
    let created = saved.iter().filter(|s| s.created).count();
    let row = |case: &str, stats: Stats| {
        format!(
            "| {database} | {case} | {} | {:.1} | {:.1} | {:.1} |",
            group(stats.n),
            stats.p50_ms,
            stats.p99_ms,
            stats.max_ms
        )
    };
    rows.push(row("`POST /api/v1/workouts` → 201", Stats::of(saved.iter().map(|s| s.took).collect())));

    // From each 201 to the first message, at each sampled socket, of a
    // version above the one the board had before that POST was sent.
    let mut version_delays = Vec::new();
    let mut version_missed = 0;
    for sample in &heard.samples {
        for s in saved.iter().filter(|s| s.created) {
            let first = sample.messages.partition_point(|&(_, v)| v <= s.before);
            match sample.messages.get(first) {
                Some(&(arrived, _)) => version_delays.push(micros(arrived - s.answered_us)),
                None => version_missed += 1,
            }
        }
    }
    rows.push(delivery_row(
        database,
        &format!("rank-update delivery: 201 → first message of a newer version, at {} sockets", heard.samples.len()),
        version_delays,
        version_missed,
    ));
    // From each marker's 201 to the first message that shows it in the top.
    let mut marker_delays = Vec::new();
    let mut marker_missed = 0;
    for sample in &heard.samples {
        for (n, &i) in markers.iter().enumerate() {
            match sample.markers[n] {
                arrived if arrived >= 0 && saved[i].created => {
                    marker_delays.push(micros(arrived - saved[i].answered_us))
                }
                _ => marker_missed += 1,
            }
        }
    }
    rows.push(delivery_row(
        database,
        &format!(
            "rank-update delivery: 201 → the marker's own result on the board, at {} sockets",
            heard.samples.len()
        ),
        marker_delays,
        marker_missed,
    ));
    rows.push(row("`GET …/board?limit=100` during the surge (HTTP)", Stats::of(top_probe)));
    rows.push(row("`GET …/board/me` during the surge (HTTP)", Stats::of(me_probe)));

    let mut counts = heard.counts.clone();
    counts.sort_unstable();
    let up_to_date = heard.last.iter().filter(|&&v| v == final_version).count();
    let surge_secs = surge_began.0.elapsed().as_secs_f64();
    let note = format!(
        "{created} of {} trainings answered 201; {all_in} ({results} entrants' results equal the distance they \
         saved); the board ended on version {final_version}. Messages per socket: \
         min {}, median {}, max {} (one per training would be {}); {} of {} sockets ended on the final version, {} \
         were closed, {} messages came out of order; deliveries never seen: {version_missed} by version, \
         {marker_missed} of {} markers × sockets. CPU over the surge ({surge_secs:.0} s): the server's process \
         {server_cpu:.0} % (100 % is one core), the sockets' process {:.0} %. Opening the sockets took {opened_in} s.{stopped}",
        group(sizes.entrants),
        counts.first().copied().unwrap_or(0),
        counts.get(counts.len() / 2).copied().unwrap_or(0),
        counts.last().copied().unwrap_or(0),
        group(sizes.entrants),
        group(up_to_date),
        group(heard.counts.len()),
        heard.closed,
        heard.disorder,
        group(markers.len() * heard.samples.len()),
        heard.cpu_secs / heard.wall_secs.max(1e-9) * 100.0,
    );
    ensure!(created > 0, "no training was saved");
    Ok(Report { rows, note })
}

/// A row of delivery delays, those never seen counted as longer than any:
/// a percentile that falls among them reads `never`.
fn delivery_row(database: &str, case: &str, mut delays: Vec<Duration>, missed: usize) -> String {
    delays.sort_unstable();
    let total = delays.len() + missed;
    let at = |p: usize| match delays.get((total * p).div_ceil(100).max(1) - 1) {
        _ if total == 0 => "—".to_string(),
        Some(d) => format!("{:.1}", d.as_secs_f64() * 1000.0),
        None => "never".to_string(),
    };
    let max = if missed > 0 { "never".to_string() } else { at(100) };
    let n = if missed > 0 { format!("{} of {}", group(delays.len()), group(total)) } else { group(total) };
    format!("| {database} | {case} | {n} | {} | {} | {max} |", at(50), at(99))
}

/// A delay in µs as a duration; one that came before the 201 (another
/// change's message) counts as none.
fn micros(us: i64) -> Duration {
    Duration::from_micros(us.max(0) as u64)
}

/// Raises the open-file limit: the soft limit to the hard one, and both to
/// `wanted` when this process may (CAP_SYS_RESOURCE). Returns the soft limit.
pub fn raise_open_files(wanted: u64) -> u64 {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        let both = libc::rlimit { rlim_cur: wanted.max(limit.rlim_max), rlim_max: wanted.max(limit.rlim_max) };
        if libc::setrlimit(libc::RLIMIT_NOFILE, &both) != 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
    }
    limit.rlim_cur
}
