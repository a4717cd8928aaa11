//! Training partners at the size issue asks for, on SQLite and PostgreSQL:
//! a deck page with 100 000 people opted in (in-process, through `Partners`
//! as `athlos serve` builds it, every page checked against the best page
//! worked out here from everyone), then chat delivery between two sockets on
//! two replicas of a real server, over Redis and over RabbitMQ. The tables
//! are seeded directly with bulk SQL. Prints Markdown tables on stdout,
//! progress on stderr.

mod chat;
mod deck;
mod seed;

use std::future::Future;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, Context};
use athlos::server::Contexts;
use clap::Parser;
use platform::config::{Config, LogFormat};
use platform::db::Dialect;
use sqlx::{Connection, Row};

/// Messages one person may send in a minute: `chat::messages::PER_MINUTE`
/// (not public), which the bench stays under and does not change.
pub const CHAT_PER_MINUTE: usize = 30;

/// The password of every account that logs in (the chat's people).
pub const PASSWORD: &str = "correct horse battery staple";

/// The partner deck with 100 000 people opted in, and chat delivered across replicas.
#[derive(Parser, Clone)]
pub struct Args {
    /// Smaller sizes for a smoke run (10 000 people, 200 requests, 10 pairs
    /// sending 100 messages); any size given explicitly still wins.
    #[arg(long)]
    pub quick: bool,
    /// People opted in to the finder [default: 100 000].
    #[arg(long, env = "PARTNERS_BENCH_PEOPLE")]
    pub people: Option<usize>,
    /// Measured deck pages per case [default: 2 000].
    #[arg(long, env = "PARTNERS_BENCH_REQUESTS")]
    pub requests: Option<usize>,
    /// Unmeasured requests of each case first.
    #[arg(long, env = "PARTNERS_BENCH_WARMUP", default_value_t = 50)]
    pub warmup: usize,
    /// The longest one case may run; it stops early (and says how many it made) after that.
    #[arg(long, env = "PARTNERS_BENCH_CASE_SECONDS", default_value_t = 120)]
    pub case_seconds: u64,
    /// Pairs of people who chat, per fan-out (each pair its own conversation) [default: 100].
    #[arg(long, env = "PARTNERS_BENCH_PAIRS")]
    pub pairs: Option<usize>,
    /// Messages sent per fan-out, spread over the pairs in turn [default: 2 000].
    #[arg(long, env = "PARTNERS_BENCH_MESSAGES")]
    pub messages: Option<usize>,
    /// Messages sent a second, open loop [default: 50].
    #[arg(long, env = "PARTNERS_BENCH_RATE")]
    pub rate: Option<f64>,
    /// Redis for the realtime fan-out; empty: skip it.
    #[arg(long, env = "PARTNERS_BENCH_REDIS", default_value = "redis://127.0.0.1:6379/")]
    pub redis: String,
    /// RabbitMQ for the realtime fan-out; empty: skip it.
    #[arg(long, env = "PARTNERS_BENCH_RABBITMQ", default_value = "amqp://guest:guest@127.0.0.1:5672/%2f")]
    pub rabbitmq: String,
    /// How long after the last message was sent every message may take to arrive.
    #[arg(long, env = "PARTNERS_BENCH_PATIENCE", default_value_t = 15)]
    pub patience: u64,
    /// Seed of the people and their choices.
    #[arg(long, env = "PARTNERS_BENCH_SEED", default_value_t = 1)]
    pub seed: u64,
    /// PostgreSQL server to create the run's database on (default: TEST_POSTGRES_URL, else
    /// postgres://postgres@127.0.0.1:5432/postgres); empty: SQLite only.
    #[arg(long, env = "PARTNERS_BENCH_POSTGRES")]
    pub postgres: Option<String>,
    /// Skip SQLite.
    #[arg(long)]
    pub no_sqlite: bool,
    /// Measure the deck only.
    #[arg(long)]
    pub no_chat: bool,
    /// Keep the seeded databases (the SQLite file, the PostgreSQL database) to look at
    /// afterwards; their names are printed on stderr. Drop them by hand.
    #[arg(long)]
    pub keep: bool,
    /// Internal: measure this one database (`sqlite` or `postgres`) and print the outcome as JSON.
    #[arg(long, hide = true)]
    pub database: Option<String>,
}

/// The sizes of this run, `--quick` or full, with the flags given.
#[derive(Clone, Debug)]
pub struct Sizes {
    pub people: usize,
    pub requests: usize,
    pub pairs: usize,
    pub messages: usize,
    pub rate: f64,
}

impl Sizes {
    fn of(args: &Args) -> anyhow::Result<Self> {
        let q = args.quick;
        let sizes = Self {
            people: args.people.unwrap_or(if q { 10_000 } else { 100_000 }),
            requests: args.requests.unwrap_or(if q { 200 } else { 2_000 }),
            pairs: args.pairs.unwrap_or(if q { 10 } else { 100 }),
            messages: args.messages.unwrap_or(if q { 100 } else { 2_000 }),
            rate: args.rate.unwrap_or(if q { 20.0 } else { 50.0 }),
        };
        anyhow::ensure!(sizes.people >= 1_000, "at least 1 000 people");
        anyhow::ensure!(sizes.requests > 0 && sizes.pairs > 0 && sizes.messages > 0, "sizes of 0");
        anyhow::ensure!(sizes.rate > 0.0, "--rate is above 0");
        // The product allows 30 messages a minute per person; each pair's
        // sender must stay under it (the limit is not the bench's to raise).
        let per_pair = sizes.messages.div_ceil(sizes.pairs);
        let in_a_minute = per_pair.min((60.0 * sizes.rate / sizes.pairs as f64).floor() as usize + 1);
        anyhow::ensure!(
            in_a_minute <= CHAT_PER_MINUTE,
            "each sender would send {in_a_minute} messages in a minute, and the chat allows {CHAT_PER_MINUTE}: use \
             more --pairs, fewer --messages or a lower --rate"
        );
        Ok(sizes)
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    platform::telemetry::init("warn", LogFormat::Pretty);
    let sizes = Sizes::of(&args)?;
    let postgres = args.postgres.clone().unwrap_or_else(|| {
        std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
    });
    if let Some(database) = &args.database {
        let dialect = match database.as_str() {
            "sqlite" => Dialect::Sqlite,
            "postgres" => Dialect::Postgres,
            other => anyhow::bail!("no database {other}"),
        };
        one(&args, &sizes, dialect, &postgres).await;
    }
    let mut databases = Vec::new();
    if !args.no_sqlite {
        databases.push(Dialect::Sqlite);
    }
    if !postgres.is_empty() {
        databases.push(Dialect::Postgres);
    }
    let world = seed::World::new(&sizes, fanouts(&args).len(), args.seed);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("{}\n", world.describe());
    println!(
        "Deck pages of 20 (`Partners::deck`, all of the caller's sports), in-process; {} requests per case after {} \
         unmeasured (or {} s, whichever comes first); {cores} cores.\n",
        group(sizes.requests),
        args.warmup,
        args.case_seconds,
    );
    drop(world);
    let mut reads = Vec::new();
    let mut read_notes = Vec::new();
    let mut chats = Vec::new();
    let mut chat_notes = Vec::new();
    for dialect in databases {
        eprintln!("{}…", name(dialect));
        let outcome = in_a_process(dialect).await.with_context(|| name(dialect))?;
        println!("{}: {}", name(dialect), outcome.seeded);
        for row in outcome.reads.iter().chain(outcome.chat.iter()) {
            eprintln!("{row}");
        }
        reads.extend(outcome.reads);
        read_notes.push(format!("{}: {}", name(dialect), outcome.reads_note));
        chats.extend(outcome.chat);
        chat_notes.extend(outcome.chat_notes.into_iter().map(|n| format!("{}, {n}", name(dialect))));
    }
    println!(
        "\n| database | case | requests | p50 ms | p99 ms | mean ms | p50 × `SELECT 1` | callers past the cap | not \
         the best page | short pages | not the best, under the cap |"
    );
    println!("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for row in reads {
        println!("{row}");
    }
    println!(
        "\n*Callers past the cap*: callers for whom the deck's SQL matched more than {} rows in one of their sports \
         (in the cells read, at an overlapping level, a shared day and time, not swiped, within both radii), so \
         that it answered the best {} of them by its approximate score (`ROWS_PER_SPORT`). *Not the best page*: \
         the page differs from the best {} worked out here from everyone opted in, with the rules and score of \
         `docs/partners.md`. *Short*: it has fewer people than the best page (which has {}, or everyone there is \
         when fewer). *Not the best, under the cap*: pages not the best although the SQL answered every row that \
         matched; 0 says the cap explains every page that was not the best. A row \"of which …\" is the part of \
         the case above it that matches.\n",
        group(deck::ROWS_PER_SPORT),
        group(deck::ROWS_PER_SPORT),
        deck::PAGE,
        deck::PAGE,
    );
    for note in read_notes {
        println!("{note}\n");
    }
    if !args.no_chat && !chats.is_empty() {
        println!(
            "Chat: two servers on the run's database (`athlos::server::start`, the second with `no_worker`), their \
             realtime fan-out through the broker, with a namespace of their own. {} pairs of people who follow each \
             other, a conversation each; A's socket on replica 1, B's on replica 2, each subscribed to its own \
             `user:<id>`. {} messages sent by the A's, `POST /api/v1/conversations/{{id}}/messages` to replica 1, \
             the pairs in turn, {} a second, open loop (each sender stays under the chat's 30 a minute). Delivery \
             is from just before the POST to the `ChatMessage` event on the socket; the two fan-outs use pairs of \
             their own.\n",
            sizes.pairs,
            group(sizes.messages),
            sizes.rate,
        );
        println!("| database | fan-out | case | n | p50 ms | p99 ms | max ms |");
        println!("|---|---|---|--:|--:|--:|--:|");
        for row in chats {
            println!("{row}");
        }
        println!();
        for note in chat_notes {
            println!("{note}\n");
        }
    }
    Ok(())
}

/// The fan-outs to measure chat on: (name, URL).
pub fn fanouts(args: &Args) -> Vec<(&'static str, String)> {
    if args.no_chat {
        return Vec::new();
    }
    [("Redis", &args.redis), ("RabbitMQ", &args.rabbitmq)]
        .into_iter()
        .filter(|(_, url)| !url.trim().is_empty())
        .map(|(name, url)| (name, url.clone()))
        .collect()
}

pub fn name(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "SQLite",
        Dialect::Postgres => "PostgreSQL",
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
pub struct Outcome {
    seeded: String,
    reads: Vec<String>,
    reads_note: String,
    chat: Vec<String>,
    chat_notes: Vec<String>,
}

/// Each database is measured in a process of its own, this binary with
/// `--database`: whatever a server leaves running ends with its process.
/// Its outcome comes back as one line of JSON.
async fn in_a_process(dialect: Dialect) -> anyhow::Result<Outcome> {
    let which = match dialect {
        Dialect::Sqlite => "sqlite",
        Dialect::Postgres => "postgres",
    };
    let mut child = tokio::process::Command::new(std::env::current_exe()?)
        .args(std::env::args_os().skip(1))
        .args(["--database", which])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()?;
    let mut stdout = child.stdout.take().context("the child's stdout")?;
    let read = async {
        let mut out = String::new();
        tokio::io::AsyncReadExt::read_to_string(&mut stdout, &mut out).await?;
        anyhow::Ok(out)
    };
    let out = tokio::select! {
        out = read => out?,
        _ = tokio::signal::ctrl_c() => {
            // It drops its database on the way out.
            if let Some(pid) = child.id() {
                // SAFETY: kill only sends a signal to the child this process started.
                unsafe { libc::kill(pid as i32, libc::SIGINT) };
            }
            child.wait().await?;
            anyhow::bail!("interrupted");
        }
    };
    let status = child.wait().await?;
    anyhow::ensure!(status.success(), "its process failed ({status})");
    serde_json::from_str(out.trim()).context("its outcome")
}

/// The `--database` process: measures, cleans up, prints the outcome, and
/// ends (with whatever the servers still had running).
async fn one(args: &Args, sizes: &Sizes, dialect: Dialect, postgres: &str) {
    let measured = async {
        // Two sockets a pair, both ends in this process, and two servers' pools.
        let wanted = (4 * sizes.pairs * fanouts(args).len()) as u64 + 1024;
        let open_files = raise_open_files(wanted);
        anyhow::ensure!(
            open_files >= wanted,
            "the chat needs {wanted} open files, and this process may open {open_files}"
        );
        eprintln!("  generating the people…");
        let world = seed::World::new(sizes, fanouts(args).len(), args.seed);
        run(args, sizes, &world, dialect, postgres).await
    };
    let outcome = tokio::select! {
        outcome = measured => outcome,
        _ = tokio::signal::ctrl_c() => Err(anyhow!("interrupted")),
    };
    match outcome {
        Ok(outcome) => {
            println!("{}", serde_json::to_string(&outcome).expect("an outcome is JSON"));
            std::process::exit(0)
        }
        Err(e) => {
            eprintln!("{}: {e:?}", name(dialect));
            std::process::exit(1)
        }
    }
}

/// One database of its own, removed afterwards (also when interrupted: the
/// scratch database is dropped by a guard on the way out).
async fn run(
    args: &Args,
    sizes: &Sizes,
    world: &seed::World,
    dialect: Dialect,
    admin_url: &str,
) -> anyhow::Result<Outcome> {
    let dir = tempfile::tempdir()?;
    let (url, scratch) = match dialect {
        Dialect::Sqlite => (format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display()), None),
        Dialect::Postgres => {
            let name = format!("athlos_bench_partners_{}", uuid::Uuid::now_v7().simple());
            admin(admin_url, &format!("CREATE DATABASE {name}")).await?;
            let scratch = Scratch { admin_url: admin_url.to_string(), name: name.clone(), dropped: false };
            let mut url = url::Url::parse(admin_url)?;
            url.set_path(&name);
            (url.to_string(), Some(scratch))
        }
    };
    let outcome = measure(args, sizes, world, dialect, &url, dir.path()).await;
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

/// The configuration of every phase: the same data folder (its secret key
/// opens identity's signing keys, so a token from one replica is good on the
/// other) and database.
pub fn config(dir: &Path, url: &str) -> anyhow::Result<Config> {
    Ok(Config {
        data_dir: dir.join("data"),
        listen: "127.0.0.1:0".parse()?,
        database_url: Some(url.to_string()),
        // The sockets outlive the default quarter of an hour of a token.
        access_token_secs: 24 * 3600,
        log: "warn".into(),
        ..Config::default()
    })
}

async fn measure(
    args: &Args,
    sizes: &Sizes,
    world: &seed::World,
    dialect: Dialect,
    url: &str,
    dir: &Path,
) -> anyhow::Result<Outcome> {
    let platform = athlos::server::connect(config(dir, url)?).await?;
    platform.db.migrate(&athlos::server::migrations()).await?;
    let contexts = Contexts::new(&platform).await?;
    // One account made the ordinary way: its password's hash is given to
    // every seeded account that logs in.
    let first = contexts.identity.create_user("first@bench.example", "First", PASSWORD, identity::Role::User).await?;
    let hash: String = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
        .bind(&first)
        .fetch_one(platform.db.pool())
        .await?
        .try_get("password_hash")?;
    let started = Instant::now();
    seed::seed(world, dialect, url, &hash).await.context("seeding")?;
    let seeded_in = started.elapsed();
    seed::settle(dialect, url).await?;
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
    let seeded = format!("seeded in {:.0} s; {:.2} GB on disk.", seeded_in.as_secs_f64(), size as f64 / 1e9);
    eprintln!("  {seeded}");
    let (reads, reads_note) = deck::measure(args, sizes, world, dialect, &contexts).await?;
    platform.db.close().await;
    drop(contexts);
    let mut chat = Vec::new();
    let mut chat_notes = Vec::new();
    for (n, (fanout, fanout_url)) in fanouts(args).into_iter().enumerate() {
        eprintln!("  chat over {fanout}…");
        let report = chat::run(args, sizes, world, dialect, config(dir, url)?, fanout, &fanout_url, n)
            .await
            .with_context(|| format!("chat over {fanout}"))?;
        chat.extend(report.rows);
        chat_notes.push(report.note);
    }
    Ok(Outcome { seeded, reads, reads_note, chat, chat_notes })
}

/// Runs `once(k)` `warmup` times unmeasured, then `times` times (or until
/// `budget` has passed), timing each; returns each measured answer's time
/// and what `check` made of it (outside the timing).
pub async fn repeat<T, R, F, Fut, C>(
    warmup: usize,
    times: usize,
    budget: Duration,
    mut once: F,
    mut check: C,
) -> anyhow::Result<Vec<(Duration, R)>>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
    C: FnMut(usize, &T) -> R,
{
    for k in 0..warmup {
        once(times + k).await?;
    }
    let mut measured = Vec::with_capacity(times);
    let began = Instant::now();
    for k in 0..times {
        let start = Instant::now();
        let answer = once(k).await?;
        let took = start.elapsed();
        measured.push((took, check(k, &answer)));
        if began.elapsed() > budget {
            break;
        }
    }
    Ok(measured)
}

pub struct Stats {
    pub n: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
    pub max_ms: f64,
}

impl Stats {
    pub fn of(mut timings: Vec<Duration>) -> Self {
        timings.sort_unstable();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        if timings.is_empty() {
            return Self { n: 0, p50_ms: f64::NAN, p99_ms: f64::NAN, mean_ms: f64::NAN, max_ms: f64::NAN };
        }
        let percentile = |p: usize| ms(timings[(timings.len() * p).div_ceil(100).max(1) - 1]);
        let mean_ms = timings.iter().copied().map(ms).sum::<f64>() / timings.len() as f64;
        Self {
            n: timings.len(),
            p50_ms: percentile(50),
            p99_ms: percentile(99),
            mean_ms,
            max_ms: ms(*timings.last().expect("not empty")),
        }
    }
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

/// The process's user and system CPU time.
pub fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct passed.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}

/// SplitMix64: the same people and choices on every database and run.
#[derive(Clone)]
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A standard normal deviate (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = 1.0 - self.unit();
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// A UUIDv7 string made at `ms`, as the server makes its ids.
pub fn uuid_at(ms: i64, rng: &mut Rng) -> String {
    let random = rng.next_u64().to_le_bytes();
    let more = rng.next_u64().to_le_bytes();
    let bytes =
        [random[0], random[1], random[2], random[3], random[4], random[5], random[6], random[7], more[0], more[1]];
    uuid::Builder::from_unix_timestamp_millis(ms as u64, &bytes).into_uuid().to_string()
}

pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock after 1970").as_millis() as i64
}

/// 10000 as "10 000".
pub fn group(n: usize) -> String {
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
