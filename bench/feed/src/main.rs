//! The feed's two sides on a social graph of the size the issue asks for:
//! reading a page (`Social::feed`) and handling one `WorkoutRecorded` (the
//! copy and its fan-out), on SQLite and on PostgreSQL. The tables are seeded
//! directly with bulk SQL; everything measured goes through the contexts as
//! `athlos serve` builds them. Prints a Markdown table on stdout, progress
//! on stderr.

use std::collections::HashSet;
use std::future::Future;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, bail, ensure, Context};
use athlos::server::Contexts;
use clap::Parser;
use platform::config::{Config, LogFormat};
use platform::db::Dialect;
use platform::events::{Consumer, Delivery, Event, EventMetrics};
use serde_json::json;
use social::feed::{FeedQuery, FAN_OUT_LIMIT};
use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, ConnectOptions, Connection, Row};
use tokio_util::sync::CancellationToken;

/// Two years, in milliseconds: how far back the seeded trainings go.
const SPAN_MS: i64 = 2 * 365 * 24 * 3600 * 1000;
/// Entries on a page, as the web app asks.
const PAGE: u32 = 20;
/// Points of a route as training sends it (`training::events::SHAPE_POINTS`).
const SHAPE_POINTS: usize = 64;
/// Rows per multi-row INSERT, and per transaction, while seeding.
const ROWS_PER_INSERT: usize = 500;
const ROWS_PER_TRANSACTION: usize = 50_000;
/// Feed owners whose entries are written by one INSERT … SELECT.
const OWNERS_PER_FILL: usize = 250;
/// How long one recording may take before the run is given up.
const PATIENCE: Duration = Duration::from_secs(60);

/// Feed pages and recording a training, on SQLite and PostgreSQL.
#[derive(Parser)]
struct Args {
    /// People, each with their trainings.
    #[arg(long, env = "FEED_BENCH_PEOPLE", default_value_t = 10_000)]
    people: usize,
    /// Trainings per person, spread over two years.
    #[arg(long, env = "FEED_BENCH_TRAININGS", default_value_t = 100)]
    trainings: usize,
    /// How many people an ordinary person follows.
    #[arg(long, env = "FEED_BENCH_FOLLOWING", default_value_t = 50)]
    following: usize,
    /// How many people the heavy reader follows.
    #[arg(long, env = "FEED_BENCH_HEAVY_FOLLOWING", default_value_t = 1_000)]
    heavy_following: usize,
    /// Followers of the authors whose recordings are written out (each at most the fan-out limit).
    #[arg(long, env = "FEED_BENCH_AUTHORS", value_delimiter = ',', default_value = "1000,5000")]
    authors: Vec<usize>,
    /// Measured feed pages per case.
    #[arg(long, env = "FEED_BENCH_PAGES", default_value_t = 200)]
    pages: usize,
    /// Measured recordings per author.
    #[arg(long, env = "FEED_BENCH_RECORDINGS", default_value_t = 100)]
    recordings: usize,
    /// Unmeasured runs of each case first.
    #[arg(long, env = "FEED_BENCH_WARMUP", default_value_t = 10)]
    warmup: usize,
    /// The deep page read through the cursor (1 is the first).
    #[arg(long, env = "FEED_BENCH_DEEP_PAGE", default_value_t = 51)]
    deep_page: usize,
    /// Seed for the graph and the trainings.
    #[arg(long, env = "FEED_BENCH_SEED", default_value_t = 1)]
    seed: u64,
    /// PostgreSQL server to create the run's database on (default: TEST_POSTGRES_URL, else
    /// postgres://postgres@127.0.0.1:5432/postgres); empty: SQLite only.
    #[arg(long, env = "FEED_BENCH_POSTGRES")]
    postgres: Option<String>,
    /// Skip SQLite.
    #[arg(long)]
    no_sqlite: bool,
    /// Keep the seeded databases (the SQLite file, the PostgreSQL database) to look at
    /// afterwards, e.g. with EXPLAIN; their names are printed on stderr. Drop them by hand.
    #[arg(long)]
    keep: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    platform::telemetry::init("warn", LogFormat::Pretty);
    let postgres = args.postgres.clone().unwrap_or_else(|| {
        std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
    });
    let graph = Graph::new(&args)?;
    let mut databases = Vec::new();
    if !args.no_sqlite {
        databases.push(Dialect::Sqlite);
    }
    if !postgres.is_empty() {
        databases.push(Dialect::Postgres);
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "{} people, {} trainings ({} each over two years; {}), {} follows: an ordinary person follows {}, \
         the heavy reader {}; the star has {} followers (fan-out limit {FAN_OUT_LIMIT}). \
         Pages of {PAGE}; {} pages and {} recordings per case after {} unmeasured; {cores} cores.\n",
        group(args.people),
        group(args.people * args.trainings),
        args.trainings,
        PRIVACIES.iter().map(|(p, share)| format!("{share}% {p}")).collect::<Vec<_>>().join(", "),
        group(graph.follows.len()),
        args.following,
        group(args.heavy_following),
        group(graph.star_followers),
        args.pages,
        args.recordings,
        args.warmup,
    );
    let mut tables = Vec::new();
    for dialect in databases {
        eprintln!("{}…", name(dialect));
        let run = run(&args, &graph, dialect, &postgres);
        let outcome = tokio::select! {
            outcome = run => outcome,
            _ = tokio::signal::ctrl_c() => Err(anyhow!("interrupted")),
        };
        let (seeded, rows) = outcome.with_context(|| name(dialect))?;
        println!("{}: {seeded}", name(dialect));
        tables.push(rows);
    }
    println!("\n| database | case | p50 ms | p99 ms | mean ms |");
    println!("|---|---|--:|--:|--:|");
    for row in tables.into_iter().flatten() {
        println!("{row}");
    }
    Ok(())
}

fn name(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "SQLite",
        Dialect::Postgres => "PostgreSQL",
    }
}

/// One database of its own, removed afterwards (also when interrupted: the
/// scratch database is dropped by a guard on the way out).
async fn run(args: &Args, graph: &Graph, dialect: Dialect, admin_url: &str) -> anyhow::Result<(String, Vec<String>)> {
    let dir = tempfile::tempdir()?;
    let (url, scratch) = match dialect {
        Dialect::Sqlite => (format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display()), None),
        Dialect::Postgres => {
            let name = format!("athlos_bench_feed_{}", uuid::Uuid::now_v7().simple());
            admin(admin_url, &format!("CREATE DATABASE {name}")).await?;
            let scratch = Scratch { admin_url: admin_url.to_string(), name: name.clone(), dropped: false };
            let mut url = url::Url::parse(admin_url)?;
            url.set_path(&name);
            (url.to_string(), Some(scratch))
        }
    };
    let config = Config {
        data_dir: dir.path().join("data"),
        database_url: Some(url.clone()),
        log: "warn".into(),
        ..Config::default()
    };
    let outcome = measure(args, graph, dialect, config, &url, dir.path()).await;
    if args.keep {
        eprintln!("  kept: {url}");
        if let Some(mut scratch) = scratch {
            scratch.dropped = true;
        }
        let _ = dir.keep();
    } else if let Some(scratch) = scratch {
        scratch.drop_now().await?;
    }
    outcome
}

/// The run's PostgreSQL database: dropped when the run ends, or, if the run
/// is abandoned halfway (an error, ^C), by a thread of its own on the way out.
struct Scratch {
    admin_url: String,
    name: String,
    dropped: bool,
}

impl Scratch {
    fn statement(&self) -> String {
        format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)
    }

    async fn drop_now(mut self) -> anyhow::Result<()> {
        admin(&self.admin_url, &self.statement()).await?;
        self.dropped = true;
        Ok(())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        let (url, sql) = (self.admin_url.clone(), self.statement());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(admin(&url, &sql))
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop the database {}; drop it by hand", self.name);
        }
    }
}

async fn admin(url: &str, sql: &str) -> anyhow::Result<()> {
    let mut conn = sqlx::PgConnection::connect(url).await.context("connecting to PostgreSQL")?;
    sqlx::query(sql).execute(&mut conn).await.with_context(|| sql.to_string())?;
    conn.close().await?;
    Ok(())
}

async fn measure(
    args: &Args,
    graph: &Graph,
    dialect: Dialect,
    config: Config,
    url: &str,
    dir: &Path,
) -> anyhow::Result<(String, Vec<String>)> {
    let platform = athlos::server::connect(config).await?;
    platform.db.migrate(&athlos::server::migrations()).await?;
    let contexts = Contexts::new(&platform).await?;
    let started = Instant::now();
    let feed_rows = seed(args, graph, dialect, url).await.context("seeding")?;
    let size = match dialect {
        Dialect::Sqlite => std::fs::read_dir(dir)?
            .filter_map(|e| e.ok()?.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum(),
        Dialect::Postgres => sqlx::query("SELECT pg_database_size(current_database()) AS size")
            .fetch_one(platform.db.pool())
            .await?
            .try_get::<i64, _>("size")? as u64,
    };
    let seeded = format!(
        "seeded in {:.0} s, {} feed rows, {:.1} GB on disk.",
        started.elapsed().as_secs_f64(),
        group(feed_rows as usize),
        size as f64 / 1e9
    );
    eprintln!("  {seeded}");
    let mut rows = Vec::new();
    let database = name(dialect);
    let readers = [
        (graph.heavy, format!("follows {}", group(args.heavy_following))),
        (graph.ordinary, format!("follows {}", args.following)),
        (graph.fan, format!("follows {} and the star", args.following)),
    ];
    for (reader, who) in &readers {
        let viewer = &graph.ids[*reader];
        let deep = cursor_for(&contexts, viewer, args.deep_page).await?;
        for (page, cursor) in [(1, None), (args.deep_page, deep)] {
            eprintln!("  feed of the person who {who}, page {page}…");
            let stats = repeat(args.warmup, args.pages, || async {
                let query = FeedQuery { cursor: cursor.clone(), limit: Some(PAGE) };
                let got = contexts.social.feed(viewer, query).await?;
                ensure!(got.items.len() == PAGE as usize, "a page of {} entries", got.items.len());
                Ok(())
            })
            .await?;
            rows.push(stats.row(database, &format!("feed page {page}, person who {who}")));
        }
    }
    let authors: Vec<(usize, usize, bool)> = graph
        .authors
        .iter()
        .map(|&(author, followers)| (author, followers, true))
        .chain([(graph.star, graph.star_followers, false)])
        .collect();
    let consumer = Consumer::new(
        platform.db.clone(),
        contexts.event_handlers(),
        platform.events.settings().clone(),
        EventMetrics::default(),
    );
    let shutdown = CancellationToken::new();
    let mut timings = vec![Vec::new(); authors.len()];
    let mut last = vec![String::new(); authors.len()];
    eprintln!("  recording trainings…");
    for round in 0..args.warmup + args.recordings {
        for (n, &(author, _, _)) in authors.iter().enumerate() {
            let event = recorded(&graph.ids[author], round);
            let began = Instant::now();
            let delivered = tokio::time::timeout(PATIENCE, consumer.deliver(social::CONTEXT, &event, &shutdown))
                .await
                .context("a recording took too long")?
                .map_err(|_| anyhow!("stopped"))?;
            let took = began.elapsed();
            ensure!(delivered == Delivery::Handled, "the event was {delivered:?}");
            if round >= args.warmup {
                timings[n].push(took);
            }
            last[n] = event.subject_id;
        }
    }
    for (n, &(_, followers, written)) in authors.iter().enumerate() {
        // The fan-out did what it should: a row per follower, or none.
        let written_rows: i64 = sqlx::query("SELECT COUNT(*) AS n FROM feed_entries WHERE workout_id = $1")
            .bind(&last[n])
            .fetch_one(platform.db.pool())
            .await?
            .try_get("n")?;
        let expected = if written { followers as i64 } else { 0 };
        ensure!(
            written_rows == expected,
            "{written_rows} feed rows for a training whose author has {followers} followers"
        );
        let case = if written {
            format!("record, author with {} followers (written to each)", group(followers))
        } else {
            format!("record, author with {} followers (read at page time)", group(followers))
        };
        rows.push(Stats::of(std::mem::take(&mut timings[n])).row(database, &case));
    }
    platform.db.close().await;
    Ok((seeded, rows))
}

/// The cursor that reads page `page` of the viewer's feed, walking there
/// through the real cursors; on the way, checks that those pages are the
/// viewer's and their followings' trainings as a plain query over all of
/// them finds them (everyone's follows are accepted and nobody blocks), in
/// order, each once.
async fn cursor_for(contexts: &Contexts, viewer: &str, page: usize) -> anyhow::Result<Option<String>> {
    let mut cursor = None;
    let mut seen = Vec::new();
    for reached in 1..page {
        let got = contexts.social.feed(viewer, FeedQuery { cursor: cursor.clone(), limit: Some(PAGE) }).await?;
        seen.extend(got.items.into_iter().map(|e| e.workout_id));
        match got.next_cursor {
            Some(next) => cursor = Some(next),
            None => bail!("the feed of {viewer} ends at page {reached}: ask for a smaller --deep-page"),
        }
    }
    let expected: Vec<String> = sqlx::query(
        "SELECT workout_id FROM social_trainings t
         WHERE t.deleted = 0 AND (t.user_id = $1 OR (t.privacy <> 'private' AND t.user_id IN
             (SELECT followed_id FROM follows WHERE follower_id = $1 AND state = 'accepted')))
         ORDER BY t.started_at DESC, t.workout_id DESC LIMIT $2",
    )
    .bind(viewer)
    .bind(seen.len() as i64)
    .fetch_all(contexts.social.platform.db.pool())
    .await?
    .iter()
    .map(|r| r.try_get("workout_id"))
    .collect::<Result<_, _>>()?;
    ensure!(seen == expected, "the feed of {viewer} through its cursors is not its trainings newest first");
    Ok(cursor)
}

/// A `WorkoutRecorded` as training writes it (`training::events`), for a
/// new public training with a route.
fn recorded(user_id: &str, round: usize) -> Event {
    let now = now_ms();
    let workout_id = uuid::Uuid::now_v7().to_string();
    let mut rng = Rng(now as u64 ^ round as u64);
    let payload = json!({
        "workout_id": workout_id,
        "user_id": user_id,
        "sport": "running",
        "privacy": "public",
        "started_at": platform::db::rfc3339(now),
        "started_ms": now,
        "duration_s": 3600.0,
        "moving_s": 3500.0,
        "distance_m": 10_000.0,
        "elevation_gain_m": 120.0,
        "equipment_ids": [],
        "best_efforts": [[1000.0, 290.0], [5000.0, 1500.0]],
        "title": format!("Lunch run {round}"),
        "shape": serde_json::from_str::<serde_json::Value>(&rng.shape()).expect("a shape is JSON"),
    });
    Event {
        id: uuid::Uuid::now_v7().to_string(),
        kind: social::trainings::RECORDED.into(),
        subject_id: workout_id,
        user_id: user_id.into(),
        payload,
        created_at: now,
    }
}

async fn repeat<F, Fut>(warmup: usize, times: usize, mut once: F) -> anyhow::Result<Stats>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    for _ in 0..warmup {
        once().await?;
    }
    let mut timings = Vec::with_capacity(times);
    for _ in 0..times {
        let began = Instant::now();
        once().await?;
        timings.push(began.elapsed());
    }
    Ok(Stats::of(timings))
}

struct Stats {
    p50_ms: f64,
    p99_ms: f64,
    mean_ms: f64,
}

impl Stats {
    fn of(mut timings: Vec<Duration>) -> Self {
        timings.sort_unstable();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let percentile = |p: usize| ms(timings[(timings.len() * p).div_ceil(100).max(1) - 1]);
        let mean_ms = timings.iter().copied().map(ms).sum::<f64>() / timings.len() as f64;
        Self { p50_ms: percentile(50), p99_ms: percentile(99), mean_ms }
    }

    fn row(&self, database: &str, case: &str) -> String {
        format!("| {database} | {case} | {:.2} | {:.2} | {:.2} |", self.p50_ms, self.p99_ms, self.mean_ms)
    }
}

// ---------------------------------------------------------------------------
// The graph and the seeding.

/// Privacies of the seeded trainings, in percent.
const PRIVACIES: [(&str, u64); 3] = [("public", 55), ("followers", 30), ("private", 15)];
const SPORTS: [&str; 5] = ["running", "cycling", "hiking", "swimming", "trail-running"];

/// Who follows whom; people by index, `ids[i]` ascending with `i`.
struct Graph {
    ids: Vec<String>,
    /// `(follower, followed)`, all accepted.
    follows: Vec<(usize, usize)>,
    /// Followed by nearly everyone: more than the fan-out limit.
    star: usize,
    star_followers: usize,
    /// `(person, followers)`: authors whose trainings are written out.
    authors: Vec<(usize, usize)>,
    /// Follows `heavy_following` people.
    heavy: usize,
    /// Follows `following` people, not the star.
    ordinary: usize,
    /// Follows `following` people and the star.
    fan: usize,
    now_ms: i64,
}

impl Graph {
    /// Person 0 is the star, then the authors, then the three readers; the
    /// rest are ordinary people. Everyone follows `following` ordinary
    /// people at random, and the star, except the heavy and the ordinary
    /// reader; the heavy reader follows `heavy_following` ordinary people;
    /// each author is followed by exactly as many ordinary people as asked.
    fn new(args: &Args) -> anyhow::Result<Self> {
        let star = 0;
        let authors: Vec<usize> = (1..=args.authors.len()).collect();
        let (heavy, ordinary, fan) = (authors.len() + 1, authors.len() + 2, authors.len() + 3);
        let pool: Vec<usize> = (authors.len() + 4..args.people).collect();
        ensure!(args.people > FAN_OUT_LIMIT as usize + 3, "the star needs more than {FAN_OUT_LIMIT} followers");
        ensure!(args.following <= pool.len() && args.heavy_following <= pool.len(), "too few people to follow");
        for &followers in &args.authors {
            ensure!(followers <= FAN_OUT_LIMIT as usize, "an author of {followers} followers is not written out");
            ensure!(followers <= pool.len(), "too few people to follow an author of {followers}");
        }
        let mut rng = Rng(args.seed);
        let now_ms = now_ms();
        let ids: Vec<String> =
            (0..args.people).map(|i| uuid_at(now_ms - SPAN_MS - 3_600_000 + i as i64, &mut rng)).collect();
        let mut follows = Vec::new();
        for person in 0..args.people {
            let count = if person == heavy { args.heavy_following } else { args.following };
            for followed in rng.pick(&pool, count, person) {
                follows.push((person, followed));
            }
            if person != star && person != heavy && person != ordinary {
                follows.push((person, star));
            }
        }
        let star_followers = follows.iter().filter(|f| f.1 == star).count();
        for (&author, &followers) in authors.iter().zip(&args.authors) {
            for follower in rng.pick(&pool, followers, author) {
                follows.push((follower, author));
            }
        }
        follows.sort_unstable();
        Ok(Self {
            ids,
            follows,
            star,
            star_followers,
            authors: authors.into_iter().zip(args.authors.iter().copied()).collect(),
            heavy,
            ordinary,
            fan,
            now_ms,
        })
    }
}

/// Fills the tables the feed reads, straight with SQL on a connection of
/// its own: identity's users (the feed asks for each author's name), the
/// follows, each person's trainings, then the counts and the feed rows
/// derived from them in SQL, as the handlers would have left them. Returns
/// the number of feed rows.
async fn seed(args: &Args, graph: &Graph, dialect: Dialect, url: &str) -> anyhow::Result<u64> {
    // Its statements are slow on purpose: no warnings about them.
    let options: AnyConnectOptions = url.parse()?;
    let mut conn = options.disable_statement_logging().connect().await?;
    match dialect {
        Dialect::Sqlite => exec(&mut conn, "PRAGMA synchronous = NORMAL").await?,
        Dialect::Postgres => {
            // This session only: seeding is not what is measured.
            exec(&mut conn, "SET synchronous_commit = off").await?;
            exec(&mut conn, "SET maintenance_work_mem = '1GB'").await?;
        }
    };
    let began = Instant::now();
    let users = graph.ids.iter().enumerate().map(|(i, id)| {
        format!(
            "('{id}', 'person{i}@bench.example', NULL, 'Person {i}', NULL, 'user', 'active', {0}, {0})",
            graph.now_ms
        )
    });
    insert(
        &mut conn,
        "INSERT INTO users (id, email, email_verified_at, display_name, password_hash, role, status, created_at, updated_at) VALUES ",
        users,
    )
    .await?;
    let follows = graph.follows.iter().map(|&(follower, followed)| {
        format!("('{}', '{}', 'accepted', {})", graph.ids[follower], graph.ids[followed], graph.now_ms - SPAN_MS)
    });
    insert(&mut conn, "INSERT INTO follows (follower_id, followed_id, state, created_at) VALUES ", follows).await?;
    eprintln!(
        "  {} people and {} follows in {:.0} s",
        group(graph.ids.len()),
        group(graph.follows.len()),
        began.elapsed().as_secs_f64()
    );

    let began = Instant::now();
    let mut rng = Rng(args.seed ^ 0x5eed);
    let per_person = args.trainings;
    let trainings = (0..graph.ids.len() * per_person).map(move |n| {
        let user = &graph.ids[n / per_person];
        let started = graph.now_ms - (rng.next() % SPAN_MS as u64) as i64;
        let workout = uuid_at(started, &mut rng);
        let event = uuid_at(started + 60_000, &mut rng);
        let roll = rng.next() % 100;
        let privacy = if roll < PRIVACIES[0].1 {
            PRIVACIES[0].0
        } else if roll < PRIVACIES[0].1 + PRIVACIES[1].1 {
            PRIVACIES[1].0
        } else {
            PRIVACIES[2].0
        };
        let sport = SPORTS[(rng.next() % SPORTS.len() as u64) as usize];
        let duration = 1200 + rng.next() % 7200;
        let distance = duration as f64 * (2.0 + (rng.next() % 600) as f64 / 100.0);
        // A quarter are indoors: no route, no climb.
        let (elevation, shape) =
            if rng.next().is_multiple_of(4) { ("NULL".to_string(), "[]".to_string()) } else { ((rng.next() % 900).to_string(), rng.shape()) };
        format!(
            "('{workout}', '{user}', '{event}', 0, '{privacy}', '{sport}', '{sport} {n}', {started}, {duration}.0, {distance:.1}, {elevation}, '{shape}')"
        )
    });
    insert(
        &mut conn,
        "INSERT INTO social_trainings (workout_id, user_id, last_event_id, deleted, privacy, sport, title, started_at, \
         duration_s, distance_m, elevation_m, shape) VALUES ",
        trainings,
    )
    .await?;
    eprintln!("  {} trainings in {:.0} s", group(graph.ids.len() * per_person), began.elapsed().as_secs_f64());

    let began = Instant::now();
    exec(
        &mut conn,
        "INSERT INTO follow_counts (user_id, followers, following)
         SELECT u.id,
                (SELECT COUNT(*) FROM follows f WHERE f.followed_id = u.id AND f.state = 'accepted'),
                (SELECT COUNT(*) FROM follows f WHERE f.follower_id = u.id AND f.state = 'accepted')
         FROM users u",
    )
    .await?;
    // What fan-out would have written: each non-private training of an
    // author with at most the limit of followers, in each follower's feed.
    // The secondary indexes are built once at the end, as they were made.
    let indexes = secondary_indexes(&mut conn, dialect, "feed_entries").await?;
    for (index, _) in &indexes {
        exec(&mut conn, &format!("DROP INDEX {index}")).await?;
    }
    let mut rows = 0;
    for owners in graph.ids.chunks(OWNERS_PER_FILL) {
        let after = owners.last().expect("a chunk has people");
        let sql = format!(
            "INSERT INTO feed_entries (owner_id, workout_id, author_id, started_at)
             SELECT f.follower_id, t.workout_id, t.user_id, t.started_at
             FROM follows f
             JOIN follow_counts c ON c.user_id = f.followed_id
             JOIN social_trainings t ON t.user_id = f.followed_id
             WHERE f.follower_id >= '{}' AND f.follower_id <= '{after}' AND f.state = 'accepted'
               AND c.followers <= {FAN_OUT_LIMIT} AND t.deleted = 0 AND t.privacy <> 'private'",
            owners[0]
        );
        rows += sqlx::raw_sql(&sql).execute(&mut conn).await?.rows_affected();
    }
    eprintln!("  {} feed rows in {:.0} s", group(rows as usize), began.elapsed().as_secs_f64());
    let began = Instant::now();
    for (_, create) in &indexes {
        exec(&mut conn, create).await?;
    }
    match dialect {
        // The server never runs ANALYZE on SQLite, so neither does this.
        Dialect::Sqlite => exec(&mut conn, "PRAGMA wal_checkpoint(TRUNCATE)").await?,
        // As autovacuum would have left the tables by the time anyone reads
        // them, and with the load's writes on disk rather than still being
        // written back while pages are timed.
        Dialect::Postgres => {
            exec(&mut conn, "VACUUM (ANALYZE)").await?;
            exec(&mut conn, "CHECKPOINT").await?;
        }
    };
    eprintln!("  indexes and statistics in {:.0} s", began.elapsed().as_secs_f64());
    conn.close().await?;
    Ok(rows)
}

/// `(name, CREATE INDEX …)` of the table's indexes but its primary key.
async fn secondary_indexes(
    conn: &mut AnyConnection,
    dialect: Dialect,
    table: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let sql = match dialect {
        Dialect::Sqlite => {
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL ORDER BY name"
        }
        Dialect::Postgres => {
            "SELECT c.relname::text AS name, pg_get_indexdef(x.indexrelid) AS sql
             FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
             WHERE t.relname = $1 AND NOT x.indisprimary ORDER BY c.relname"
        }
    };
    let rows = sqlx::query(sql).bind(table).fetch_all(conn).await?;
    let indexes: Vec<(String, String)> =
        rows.iter().map(|r| Ok((r.try_get("name")?, r.try_get("sql")?))).collect::<Result<_, sqlx::Error>>()?;
    if indexes.is_empty() {
        bail!("{table} has no secondary index: did the migrations run?");
    }
    Ok(indexes)
}

/// Multi-row INSERTs of the given `(…)` rows, in large transactions.
async fn insert(conn: &mut AnyConnection, head: &str, rows: impl Iterator<Item = String>) -> anyhow::Result<()> {
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        let mut tx = conn.begin().await?;
        let mut in_transaction = 0;
        while in_transaction < ROWS_PER_TRANSACTION && rows.peek().is_some() {
            let mut sql = String::from(head);
            for (n, row) in rows.by_ref().take(ROWS_PER_INSERT).enumerate() {
                if n > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&row);
                in_transaction += 1;
            }
            sqlx::raw_sql(&sql).execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

async fn exec(conn: &mut AnyConnection, sql: &str) -> anyhow::Result<()> {
    sqlx::raw_sql(sql).execute(conn).await.with_context(|| sql.to_string())?;
    Ok(())
}

/// SplitMix64: the same graph and trainings on every database and run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `count` distinct people of `pool`, never `not`.
    fn pick(&mut self, pool: &[usize], count: usize, not: usize) -> Vec<usize> {
        let mut chosen = HashSet::with_capacity(count);
        let available = pool.len() - usize::from(pool.contains(&not));
        while chosen.len() < count.min(available) {
            let person = pool[(self.next() % pool.len() as u64) as usize];
            if person != not {
                chosen.insert(person);
            }
        }
        let mut chosen: Vec<usize> = chosen.into_iter().collect();
        chosen.sort_unstable();
        chosen
    }

    /// A route of `SHAPE_POINTS` points wandering from somewhere in the Alps, as JSON.
    fn shape(&mut self) -> String {
        let mut lat = 45.0 + (self.next() % 100_000) as f64 / 100_000.0;
        let mut lon = 6.0 + (self.next() % 100_000) as f64 / 100_000.0;
        let mut out = String::with_capacity(SHAPE_POINTS * 20);
        out.push('[');
        for n in 0..SHAPE_POINTS {
            if n > 0 {
                out.push(',');
            }
            lat += ((self.next() % 200) as f64 - 100.0) / 100_000.0;
            lon += ((self.next() % 200) as f64 - 100.0) / 100_000.0;
            out.push_str(&format!("[{lat:.5},{lon:.5}]"));
        }
        out.push(']');
        out
    }
}

/// A UUIDv7 string made at `ms`, as the server makes its ids.
fn uuid_at(ms: i64, rng: &mut Rng) -> String {
    let random = rng.next().to_le_bytes();
    let more = rng.next().to_le_bytes();
    let bytes =
        [random[0], random[1], random[2], random[3], random[4], random[5], random[6], random[7], more[0], more[1]];
    uuid::Builder::from_unix_timestamp_millis(ms as u64, &bytes).into_uuid().to_string()
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock after 1970").as_millis() as i64
}

/// 10000 as "10 000".
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}
