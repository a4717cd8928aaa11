//! Leaderboards at the size the issue asks for, on SQLite and PostgreSQL:
//! pages and "my rank" on a competition of 1 000 000 results and on a global
//! board of 1 000 000 people (in-process, through `Competitions` as `athlos
//! serve` builds it), then a surge of trainings saved over HTTP to a real
//! server while thousands of websockets watch the board. The tables are
//! seeded directly with bulk SQL. Prints Markdown tables on stdout, progress
//! on stderr.
//!
//! The sockets' side runs in a child process (this binary with `--watch`):
//! one process may not hold both ends of 10 000 connections under the
//! machine's open-file limit.

mod reads;
mod seed;
mod surge;
mod watch;

use std::future::Future;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, Context};
use athlos::server::Contexts;
use clap::Parser;
use platform::config::{Config, LogFormat};
use platform::db::Dialect;
use sqlx::{Connection, Row};

/// The password of every account that logs in (organiser, watchers, entrants).
pub const PASSWORD: &str = "correct horse battery staple";

/// Leaderboard pages and ranks on a million results, and a surge of trainings watched live.
#[derive(Parser, Clone)]
pub struct Args {
    /// Smaller sizes for a smoke run (20 000 results, 300 entrants over 10 s,
    /// 1 000 sockets); any size given explicitly still wins.
    #[arg(long)]
    pub quick: bool,
    /// Results on the competition's board [default: 1 000 000].
    #[arg(long, env = "LEADERBOARD_BENCH_RESULTS")]
    pub results: Option<usize>,
    /// People on the global board (running, 5 km, all time) [default: 1 000 000].
    #[arg(long, env = "LEADERBOARD_BENCH_GLOBAL")]
    pub global: Option<usize>,
    /// Measured requests per read case [default: 2 000].
    #[arg(long, env = "LEADERBOARD_BENCH_REQUESTS")]
    pub requests: Option<usize>,
    /// Unmeasured requests of each read case first.
    #[arg(long, env = "LEADERBOARD_BENCH_WARMUP", default_value_t = 50)]
    pub warmup: usize,
    /// The longest one read case may run; it stops early (and says how many it made) after that.
    #[arg(long, env = "LEADERBOARD_BENCH_CASE_SECONDS", default_value_t = 60)]
    pub case_seconds: u64,
    /// The deep page starts after this place [default: half the board].
    #[arg(long, env = "LEADERBOARD_BENCH_DEEP_PLACE")]
    pub deep_place: Option<usize>,
    /// People who each save one training during the surge [default: 5 000].
    #[arg(long, env = "LEADERBOARD_BENCH_ENTRANTS")]
    pub entrants: Option<usize>,
    /// Websockets watching the board during the surge [default: 10 000].
    #[arg(long, env = "LEADERBOARD_BENCH_SOCKETS")]
    pub sockets: Option<usize>,
    /// Accounts the sockets belong to, many sockets each [default: 100].
    #[arg(long, env = "LEADERBOARD_BENCH_WATCHERS")]
    pub watchers: Option<usize>,
    /// How long the surge's trainings are spread over [default: 60].
    #[arg(long, env = "LEADERBOARD_BENCH_SURGE_SECONDS")]
    pub surge_seconds: Option<u64>,
    /// Sockets whose every message is timed (the rest are counted).
    #[arg(long, env = "LEADERBOARD_BENCH_SAMPLED", default_value_t = 100)]
    pub sampled: usize,
    /// Every n-th training of the surge is a marker: far enough to lead the
    /// board, so the message that first shows it can be told apart.
    #[arg(long, env = "LEADERBOARD_BENCH_MARKER_EVERY", default_value_t = 10)]
    pub marker_every: usize,
    /// Sockets being opened at once.
    #[arg(long, env = "LEADERBOARD_BENCH_CONNECTING", default_value_t = 64)]
    pub connecting: usize,
    /// Seed of the scores and the people.
    #[arg(long, env = "LEADERBOARD_BENCH_SEED", default_value_t = 1)]
    pub seed: u64,
    /// PostgreSQL server to create the run's database on (default: TEST_POSTGRES_URL, else
    /// postgres://postgres@127.0.0.1:5432/postgres); empty: SQLite only.
    #[arg(long, env = "LEADERBOARD_BENCH_POSTGRES")]
    pub postgres: Option<String>,
    /// Skip SQLite.
    #[arg(long)]
    pub no_sqlite: bool,
    /// Measure the reads only.
    #[arg(long)]
    pub no_surge: bool,
    /// Leave the competition's start unannounced, as if it had just begun: the
    /// worker's `competition.announce` job then tells every entrant during the surge.
    #[arg(long)]
    pub unannounced: bool,
    /// Keep the seeded databases (the SQLite file, the PostgreSQL database) to look at
    /// afterwards; their names are printed on stderr. Drop them by hand.
    #[arg(long)]
    pub keep: bool,
    /// How long the results may take to be all in after the surge's last
    /// training; past that, it reports what came in and moves on.
    #[arg(long, env = "LEADERBOARD_BENCH_PATIENCE", default_value_t = 600)]
    pub patience: u64,
    /// Internal: be the sockets' process (a plan on stdin, results on stdout).
    #[arg(long, hide = true)]
    pub watch: bool,
    /// Internal: measure this one database (`sqlite` or `postgres`) and print the outcome as JSON.
    #[arg(long, hide = true)]
    pub database: Option<String>,
}

/// The sizes of this run, `--quick` or full, with the flags given.
#[derive(Clone, Debug)]
pub struct Sizes {
    pub results: usize,
    pub global: usize,
    pub requests: usize,
    pub deep_place: usize,
    pub entrants: usize,
    pub sockets: usize,
    pub watchers: usize,
    pub surge_seconds: u64,
}

impl Sizes {
    fn of(args: &Args) -> anyhow::Result<Self> {
        let q = args.quick;
        let results = args.results.unwrap_or(if q { 20_000 } else { 1_000_000 });
        let sizes = Self {
            results,
            global: args.global.unwrap_or(if q { 20_000 } else { 1_000_000 }),
            requests: args.requests.unwrap_or(if q { 200 } else { 2_000 }),
            deep_place: args.deep_place.unwrap_or(results / 2),
            entrants: args.entrants.unwrap_or(if q { 300 } else { 5_000 }),
            sockets: args.sockets.unwrap_or(if q { 1_000 } else { 10_000 }),
            watchers: args.watchers.unwrap_or(if q { 10 } else { 100 }),
            surge_seconds: args.surge_seconds.unwrap_or(if q { 10 } else { 60 }),
        };
        anyhow::ensure!(sizes.results >= 1_000 && sizes.global >= 1_000, "at least 1 000 results on each board");
        anyhow::ensure!(
            sizes.deep_place + 100 < sizes.results * 9 / 10 && sizes.deep_place + 100 < sizes.global,
            "--deep-place leaves no full page after it"
        );
        anyhow::ensure!(
            sizes.requests > 0 && sizes.entrants > 0 && sizes.sockets > 0 && sizes.watchers > 0,
            "sizes of 0"
        );
        anyhow::ensure!(args.marker_every > 0 && args.sampled > 0, "--marker-every and --sampled are at least 1");
        Ok(sizes)
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.watch {
        return watch::run().await;
    }
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
    let world = seed::World::new(&sizes, args.seed);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "One `distance` competition of {} results ({} disqualified, {} female), scores log-normal (median {} km); \
         the global board running / 5 km / all time of {} people (median 30:00). Pages of 100; {} requests per \
         read case after {} unmeasured (or {} s, whichever comes first); {cores} cores.\n",
        group(sizes.results),
        group(world.disqualified),
        group(world.female_order.len()),
        seed::MEDIAN_KM,
        group(sizes.global),
        group(sizes.requests),
        args.warmup,
        args.case_seconds,
    );
    drop(world);
    let mut reads = Vec::new();
    let mut surges = Vec::new();
    let mut notes = Vec::new();
    for dialect in databases {
        eprintln!("{}…", name(dialect));
        let outcome = in_a_process(dialect).await.with_context(|| name(dialect))?;
        println!("{}: {}", name(dialect), outcome.seeded);
        for row in outcome.reads.iter().chain(outcome.surge.iter().flat_map(|s| &s.rows)) {
            eprintln!("{row}");
        }
        reads.extend(outcome.reads);
        if let Some(surge) = outcome.surge {
            surges.extend(surge.rows);
            notes.push(format!("{}: {}", name(dialect), surge.note));
        }
    }
    println!("\n| database | case | requests | p50 ms | p99 ms | mean ms | p50 × `SELECT 1` | wrong |");
    println!("|---|---|--:|--:|--:|--:|--:|--:|");
    for row in reads {
        println!("{row}");
    }
    if !surges.is_empty() {
        println!(
            "\nThe surge: {} entrants each save one public run (`POST /api/v1/workouts`, a start inside the window and a \
             distance) at an even pace over {} s, open loop, while {} websockets of {} accounts watch \
             `competition:<id>`; every {}th run is a marker far enough to lead the board. Delivery is timed at {} \
             sampled sockets from the POST's 201.{}\n",
            group(sizes.entrants),
            sizes.surge_seconds,
            group(sizes.sockets),
            sizes.watchers,
            args.marker_every,
            args.sampled.min(sizes.sockets),
            if args.unannounced {
                " The competition's start had not been announced: the worker's `competition.announce` job told \
                 every entrant during the surge."
            } else {
                ""
            },
        );
        println!("| database | surge | n | p50 ms | p99 ms | max ms |");
        println!("|---|---|--:|--:|--:|--:|");
        for row in surges {
            println!("{row}");
        }
        println!();
        for note in notes {
            println!("{note}\n");
        }
    }
    Ok(())
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
    surge: Option<surge::Report>,
}

/// Each database is measured in a process of its own, this binary with
/// `--database`: a server whose event backlog outlasts the run cannot go on
/// loading the machine while the next database is measured, since its
/// process ends with it. Its outcome comes back as one line of JSON.
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
/// ends (with whatever the server still had running).
async fn one(args: &Args, sizes: &Sizes, dialect: Dialect, postgres: &str) {
    let measured = async {
        if !args.no_surge {
            // The server's ends of the sockets are opened in this process.
            let wanted = sizes.sockets as u64 + 1024;
            let open_files = surge::raise_open_files(wanted);
            anyhow::ensure!(
                open_files >= wanted,
                "{} sockets need {wanted} open files in the server's process, which may open {open_files}",
                sizes.sockets
            );
        }
        eprintln!("  generating the people and their results…");
        let world = seed::World::new(sizes, args.seed);
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
            let name = format!("athlos_bench_leaderboard_{}", uuid::Uuid::now_v7().simple());
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

/// The configuration of both phases: the same data folder (its secret key
/// opens identity's signing keys) and database.
fn config(dir: &Path, url: &str) -> anyhow::Result<Config> {
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
    // every seeded account that logs in later.
    let organiser =
        contexts.identity.create_user("organiser@bench.example", "Organiser", PASSWORD, identity::Role::User).await?;
    let hash: String = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
        .bind(&organiser)
        .fetch_one(platform.db.pool())
        .await?
        .try_get("password_hash")?;
    let started = Instant::now();
    seed::seed(world, dialect, url, &organiser, &hash, args.unannounced).await.context("seeding")?;
    let seeded_in = started.elapsed();
    let began = Instant::now();
    let boards = contexts.competition.recount().await.map_err(|e| anyhow!("recount: {e}"))?;
    let recount = began.elapsed();
    eprintln!("  recount: {boards} boards in {:.1} s", recount.as_secs_f64());
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
    let seeded = format!(
        "seeded in {:.0} s, then `Competitions::recount` of {boards} boards in {:.1} s; {:.2} GB on disk.",
        seeded_in.as_secs_f64(),
        recount.as_secs_f64(),
        size as f64 / 1e9
    );
    eprintln!("  {seeded}");
    let reads = reads::measure(args, sizes, world, dialect, &contexts).await?;
    platform.db.close().await;
    drop(contexts);
    let surge = if args.no_surge {
        None
    } else {
        Some(surge::run(args, sizes, world, dialect, config(dir, url)?, url).await.context("the surge")?)
    };
    Ok(Outcome { seeded, reads, surge })
}

/// Runs `once(k)` `warmup` times unmeasured, then `times` times (or until
/// `budget` has passed), timing each; `check` looks at each measured answer
/// (outside the timing) and says whether it was right.
pub async fn repeat<T, F, Fut, C>(
    warmup: usize,
    times: usize,
    budget: Duration,
    mut once: F,
    mut check: C,
) -> anyhow::Result<(Stats, usize)>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
    C: FnMut(usize, &T) -> bool,
{
    for k in 0..warmup {
        once(times + k).await?;
    }
    let mut timings = Vec::with_capacity(times);
    let mut wrong = 0;
    let began = Instant::now();
    for k in 0..times {
        let start = Instant::now();
        let answer = once(k).await?;
        timings.push(start.elapsed());
        if !check(k, &answer) {
            wrong += 1;
        }
        if began.elapsed() > budget {
            break;
        }
    }
    Ok((Stats::of(timings), wrong))
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

/// SplitMix64: the same people and scores on every database and run.
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

pub fn now_us() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock after 1970").as_micros() as i64
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
