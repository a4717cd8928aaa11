//! The sync protocol's cost as a device sees it: a first sync of N
//! trainings (every page of `GET /api/v1/sync/changes`) and an incremental
//! sync after 10 changes, each next to its baseline measured in the same
//! run: reading the same trainings through the regular list
//! (`GET /api/v1/workouts`, 100 a page), which is what a client without the
//! change log would have to do each time. Time and bytes, as the body
//! arrives plain and gzipped (the server compresses when asked).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use platform::config::Config;
use serde_json::{json, Value};
use sqlx::Connection;

#[derive(Parser)]
struct Args {
    /// Trainings of the one person synced.
    #[arg(long, default_value_t = 10_000)]
    trainings: usize,
    /// Changes made before the incremental sync.
    #[arg(long, default_value_t = 10)]
    changes: usize,
    /// Times each incremental sync is measured; the median is shown.
    #[arg(long, default_value_t = 21)]
    rounds: usize,
    /// A PostgreSQL server to measure on too; empty: SQLite only.
    #[arg(long, env = "TEST_POSTGRES_URL", default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    postgres: String,
    #[arg(long)]
    no_sqlite: bool,
}

/// One way of reading: how long and how many bytes, plain and gzipped.
#[derive(Clone, Copy, Default)]
struct Read {
    time: Duration,
    requests: usize,
    plain: usize,
    gzip: usize,
}

struct Outcome {
    database: &'static str,
    seeded: Duration,
    first_sync: Read,
    first_list: Read,
    incremental: Read,
    relist: Read,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mut outcomes = Vec::new();
    if !args.no_sqlite {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display());
        outcomes.push(measure(&args, "SQLite", &url, dir.path()).await?);
    }
    if !args.postgres.is_empty() {
        let dir = tempfile::tempdir()?;
        let name = format!("sync_bench_{}", uuid::Uuid::now_v7().simple());
        admin(&args.postgres, &format!("CREATE DATABASE {name}")).await?;
        let url = database_url(&args.postgres, &name)?;
        let outcome = measure(&args, "PostgreSQL", &url, dir.path()).await;
        admin(&args.postgres, &format!("DROP DATABASE {name} WITH (FORCE)")).await?;
        outcomes.push(outcome?);
    }
    print(&args, &outcomes);
    Ok(())
}

async fn measure(args: &Args, database: &'static str, url: &str, dir: &Path) -> anyhow::Result<Outcome> {
    let config = Config {
        data_dir: dir.join("data"),
        listen: "127.0.0.1:0".parse()?,
        database_url: Some(url.to_string()),
        log: "warn".into(),
        ..Config::default()
    };
    let server = athlos::server::start(config, &athlos::cli::ServeArgs::default()).await?;
    let base = server.url();
    let client = reqwest::Client::builder().build()?;
    let token = account(&client, &base).await?;
    let seeding = Instant::now();
    seed(&client, &base, &token, args.trainings).await?;
    let seeded = seeding.elapsed();

    let (first_sync, cursor) = pull(&client, &base, &token, None).await?;
    let first_list = list(&client, &base, &token).await?;
    anyhow::ensure!(first_list.requests >= args.trainings / 100, "the list did not read every training");

    let ids = workout_ids(&client, &base, &token, args.changes).await?;
    let (mut incremental, mut relist) = (Vec::new(), Vec::new());
    let mut cursor = cursor;
    for round in 0..args.rounds {
        for id in &ids {
            let body = json!({ "title": format!("Changed {round}") });
            let changed =
                client.patch(format!("{base}/api/v1/workouts/{id}")).bearer_auth(&token).json(&body).send().await?;
            anyhow::ensure!(changed.status().is_success(), "a change failed: {}", changed.status());
        }
        let (read, next) = pull(&client, &base, &token, Some(&cursor)).await?;
        cursor = next;
        incremental.push(read);
        relist.push(list(&client, &base, &token).await?);
    }
    server.stop().await?;
    Ok(Outcome { database, seeded, first_sync, first_list, incremental: median(incremental), relist: median(relist) })
}

/// A person, logged in.
async fn account(client: &reqwest::Client, base: &str) -> anyhow::Result<String> {
    let email = format!("bench-{}@bench.example", uuid::Uuid::now_v7().simple());
    let form = json!({ "email": email, "password": "correct horse battery", "display_name": "Bench" });
    client.post(format!("{base}/api/v1/auth/register")).json(&form).send().await?.error_for_status()?;
    let login = json!({ "email": email, "password": "correct horse battery" });
    let tokens: Value = client.post(format!("{base}/api/v1/auth/login")).json(&login).send().await?.json().await?;
    Ok(tokens["access_token"].as_str().context("no access token")?.to_string())
}

/// The trainings, made offline and pushed 100 at a time.
async fn seed(client: &reqwest::Client, base: &str, token: &str, n: usize) -> anyhow::Result<()> {
    let now = platform::db::now_ms();
    for batch in 0..n.div_ceil(100) {
        let mutations: Vec<Value> = (batch * 100..((batch + 1) * 100).min(n))
            .map(|i| {
                let start = 1_700_000_000_000i64 + i as i64 * 3_600_000;
                let started_at = platform::db::rfc3339(start);
                json!({ "id": uuid::Uuid::now_v7().to_string(), "entity": "workout",
                    "entity_id": uuid::Uuid::now_v7().to_string(), "op": "create",
                    "clock": format!("{now:015}-{i:05}-bench"),
                    "fields": { "sport": "running", "started_at": started_at, "duration_s": 1800 + i % 900,
                        "distance_m": 5000.0 + (i % 50) as f64 * 100.0, "title": format!("Run {i}"),
                        "notes": "Easy, legs fine." } })
            })
            .collect();
        let pushed = client
            .post(format!("{base}/api/v1/sync/push"))
            .bearer_auth(token)
            .json(&json!({ "mutations": mutations }))
            .send()
            .await?;
        let pushed: Value = pushed.error_for_status()?.json().await?;
        let refused = pushed["results"].as_array().into_iter().flatten().find(|r| r["status"] == "refused");
        anyhow::ensure!(refused.is_none(), "a seeded training was refused: {refused:?}");
    }
    Ok(())
}

/// Every page of changes after `cursor`; answers the read and the cursor to keep.
async fn pull(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    cursor: Option<&str>,
) -> anyhow::Result<(Read, String)> {
    let mut read = Read::default();
    let mut cursor = cursor.map(str::to_string);
    loop {
        let path = match &cursor {
            Some(c) => format!("{base}/api/v1/sync/changes?limit=500&cursor={c}"),
            None => format!("{base}/api/v1/sync/changes?limit=500"),
        };
        let body = timed(client, &path, token, &mut read).await?;
        let page: Value = serde_json::from_slice(&body)?;
        cursor = Some(page["cursor"].as_str().context("no cursor")?.to_string());
        if page["more"] == false {
            return Ok((read, cursor.unwrap_or_default()));
        }
    }
}

/// Every page of the regular list, 100 a page.
async fn list(client: &reqwest::Client, base: &str, token: &str) -> anyhow::Result<Read> {
    let mut read = Read::default();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("{base}/api/v1/workouts?limit=100&cursor={c}"),
            None => format!("{base}/api/v1/workouts?limit=100"),
        };
        let body = timed(client, &path, token, &mut read).await?;
        let page: Value = serde_json::from_slice(&body)?;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return Ok(read),
        }
    }
}

/// GETs `path` as a device would (timed), and once more gzipped to count
/// the bytes on the wire (not timed).
async fn timed(client: &reqwest::Client, path: &str, token: &str, read: &mut Read) -> anyhow::Result<Vec<u8>> {
    let started = Instant::now();
    let body = client.get(path).bearer_auth(token).send().await?.error_for_status()?.bytes().await?;
    read.time += started.elapsed();
    read.requests += 1;
    read.plain += body.len();
    let gzipped = client.get(path).bearer_auth(token).header("accept-encoding", "gzip").send().await?.bytes().await?;
    read.gzip += gzipped.len();
    Ok(body.to_vec())
}

async fn workout_ids(client: &reqwest::Client, base: &str, token: &str, n: usize) -> anyhow::Result<Vec<String>> {
    let page: Value =
        client.get(format!("{base}/api/v1/workouts?limit={n}")).bearer_auth(token).send().await?.json().await?;
    Ok(page["items"]
        .as_array()
        .context("no items")?
        .iter()
        .filter_map(|w| w["id"].as_str().map(String::from))
        .collect())
}

fn median(mut reads: Vec<Read>) -> Read {
    reads.sort_by_key(|r| r.time);
    reads[reads.len() / 2]
}

async fn admin(url: &str, sql: &str) -> anyhow::Result<()> {
    let mut conn = sqlx::PgConnection::connect(url).await.context("connecting to PostgreSQL")?;
    sqlx::query(sql).execute(&mut conn).await.with_context(|| sql.to_string())?;
    conn.close().await?;
    Ok(())
}

fn database_url(server: &str, name: &str) -> anyhow::Result<String> {
    let mut url = reqwest::Url::parse(server)?;
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}

fn print(args: &Args, outcomes: &[Outcome]) {
    let ms = |d: Duration| format!("{:.0}", d.as_secs_f64() * 1000.0);
    let kb = |b: usize| format!("{:.0}", b as f64 / 1024.0);
    println!(
        "{} trainings of one person; incremental: {} changes made through the API, then one pull (median of {} rounds).\n",
        args.trainings, args.changes, args.rounds
    );
    println!("| database | read | requests | time ms | KiB plain | KiB gzip | time vs list | gzip bytes vs list |");
    println!("|---|---|--:|--:|--:|--:|--:|--:|");
    for o in outcomes {
        let rows = [
            ("first sync", o.first_sync, Some(o.first_list)),
            ("baseline: list every training", o.first_list, None),
            ("incremental sync", o.incremental, Some(o.relist)),
            ("baseline: list every training again", o.relist, None),
        ];
        for (what, read, against) in rows {
            let (time, bytes) = match against {
                Some(base) => (
                    format!("{:.2}×", read.time.as_secs_f64() / base.time.as_secs_f64()),
                    format!("{:.4}×", read.gzip as f64 / base.gzip as f64),
                ),
                None => ("1×".into(), "1×".into()),
            };
            println!(
                "| {} | {what} | {} | {} | {} | {} | {time} | {bytes} |",
                o.database,
                read.requests,
                ms(read.time),
                kb(read.plain),
                kb(read.gzip)
            );
        }
    }
    println!();
    for o in outcomes {
        println!(
            "{}: seeding {} trainings as offline creates, 100 a push: {} ms ({:.0} trainings/s).",
            o.database,
            args.trainings,
            ms(o.seeded),
            args.trainings as f64 / o.seeded.as_secs_f64()
        );
    }
}
