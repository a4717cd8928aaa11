//! Events per second through outbox → relay → bus → consumer, and each
//! event's latency from its recording to its handler, for every bus on
//! SQLite and on PostgreSQL, side by side in one run. Prints a Markdown
//! table on stdout, progress on stderr.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};
use clap::Parser;
use platform::config::{Config, LogFormat};
use platform::events::{EventHandlers, HandlerError};
use platform::outbox::{self, DomainEvent};
use platform::Platform;
use serde_json::json;
use sqlx::Connection;
use tokio_util::sync::CancellationToken;

const CONTEXT: &str = "probe";
const KIND: &str = "BenchTick";
const WARM_UP: usize = 0;
const MEASURED: usize = 1;
/// How long one phase may take before the run is given up.
const PATIENCE: Duration = Duration::from_secs(300);

/// Events per second and latency through outbox, bus and consumer, per bus and database.
#[derive(Parser)]
struct Args {
    /// Events measured on each database and bus.
    #[arg(long, env = "EVENTS_BENCH_EVENTS", default_value_t = 5000)]
    events: usize,
    /// Events written and handled first, not measured.
    #[arg(long, env = "EVENTS_BENCH_WARMUP", default_value_t = 500)]
    warmup: usize,
    /// Concurrent writers, each recording one event per transaction.
    #[arg(long, env = "EVENTS_BENCH_WRITERS", default_value_t = 8)]
    writers: usize,
    /// How many subjects the events are spread over.
    #[arg(long, env = "EVENTS_BENCH_SUBJECTS", default_value_t = 256)]
    subjects: usize,
    /// How often an idle relay looks at the outbox.
    #[arg(long, env = "EVENTS_BENCH_RELAY_POLL_MS", default_value_t = 5)]
    relay_poll_ms: u64,
    /// PostgreSQL server to create each run's database on; empty: SQLite only.
    #[arg(long, env = "EVENTS_BENCH_POSTGRES", default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    postgres: String,
    /// RabbitMQ; empty: skipped.
    #[arg(long, env = "EVENTS_BENCH_AMQP", default_value = "amqp://guest:guest@127.0.0.1:5672/%2f")]
    amqp: String,
    /// Redis; empty: skipped.
    #[arg(long, env = "EVENTS_BENCH_REDIS", default_value = "redis://127.0.0.1:6379/")]
    redis: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    platform::telemetry::init("warn", LogFormat::Pretty);
    let mut databases = vec!["SQLite"];
    if !args.postgres.is_empty() {
        databases.push("PostgreSQL");
    }
    let buses = [("in-process", ""), ("RabbitMQ", args.amqp.as_str()), ("Redis Streams", args.redis.as_str())];
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "{} events after {} of warm-up, {} writers, {} subjects, relay polling every {} ms, {cores} cores.\n",
        args.events, args.warmup, args.writers, args.subjects, args.relay_poll_ms
    );
    println!("| database | bus | events/s | p50 ms | p99 ms | events/s vs in-process |");
    println!("|---|---|--:|--:|--:|--:|");
    for database in databases {
        let mut in_process = None;
        for (bus, url) in buses.iter().filter(|(name, url)| *name == "in-process" || !url.is_empty()) {
            eprintln!("{database}, {bus}…");
            let outcome = run(&args, database, url).await.with_context(|| format!("{database}, {bus}"))?;
            let baseline = *in_process.get_or_insert(outcome.rate);
            println!(
                "| {database} | {bus} | {:.0} | {:.1} | {:.1} | {:.2}× |",
                outcome.rate,
                outcome.p50_ms,
                outcome.p99_ms,
                outcome.rate / baseline
            );
        }
    }
    Ok(())
}

struct Outcome {
    rate: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// One measurement on a database of its own and a namespace of its own on
/// the broker, both removed afterwards.
async fn run(args: &Args, database: &str, bus_url: &str) -> anyhow::Result<Outcome> {
    let dir = tempfile::tempdir()?;
    let namespace = format!("bench-{}", uuid::Uuid::now_v7().simple());
    let (database_url, scratch) = match database {
        "SQLite" => (format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display()), None),
        _ => {
            let name = format!("athlos_bench_{}", uuid::Uuid::now_v7().simple());
            admin(&args.postgres, &format!("CREATE DATABASE {name}")).await?;
            let mut url = url::Url::parse(&args.postgres)?;
            url.set_path(&name);
            (url.to_string(), Some(name))
        }
    };
    let config = Config {
        data_dir: dir.path().join("data"),
        database_url: Some(database_url),
        bus_url: Some(bus_url.to_string()).filter(|url| !url.is_empty()),
        bus_namespace: namespace.clone(),
        relay_poll_ms: args.relay_poll_ms,
        log: "warn".into(),
        ..Config::default()
    };
    let outcome = measure(args, config).await;
    if let Some(name) = scratch {
        admin(&args.postgres, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    }
    clear_bus(bus_url, &namespace).await.context("deleting the run's queues or streams")?;
    outcome
}

async fn measure(args: &Args, config: Config) -> anyhow::Result<Outcome> {
    let platform = athlos::server::connect(config).await?;
    platform.db.migrate(&athlos::server::migrations()).await?;
    let probe = Probe::default();
    let shutdown = CancellationToken::new();
    let tasks = platform.events.start(&probe.handlers(), &[CONTEXT.to_string()], &shutdown);
    let outcome = async {
        write(&platform, args, WARM_UP, args.warmup).await?;
        probe.wait(WARM_UP, args.warmup).await?;
        let started = Instant::now();
        write(&platform, args, MEASURED, args.events).await?;
        probe.wait(MEASURED, args.events).await?;
        Ok(probe.outcome(started))
    }
    .await;
    shutdown.cancel();
    for task in tasks {
        task.await?;
    }
    platform.db.pool().close().await;
    outcome
}

/// `count` events from `args.writers` concurrent tasks, one transaction each.
async fn write(platform: &Platform, args: &Args, phase: usize, count: usize) -> anyhow::Result<()> {
    let mut writers = tokio::task::JoinSet::new();
    for first in 0..args.writers {
        let (platform, step, subjects) = (platform.clone(), args.writers, args.subjects);
        writers.spawn(async move {
            for n in (first..count).step_by(step) {
                let subject = format!("subject-{}", n % subjects);
                let mut tx = platform.db.begin().await?;
                let payload = json!({ "phase": phase, "sent_us": now_us() });
                let event = DomainEvent { kind: KIND, subject_id: &subject, user_id: "bench", payload: &payload };
                outbox::record(&mut tx, &event).await?;
                tx.commit().await?;
            }
            Ok::<_, sqlx::Error>(())
        });
    }
    while let Some(written) = writers.join_next().await {
        written??;
    }
    Ok(())
}

/// What the probe context saw in one phase: each event once, however often
/// it was delivered, and when.
#[derive(Default)]
struct Tally {
    seen: HashSet<String>,
    latencies_us: Vec<i64>,
    last: Option<Instant>,
}

/// The consuming context: it does nothing in its transaction but note, in
/// memory, the event's latency.
#[derive(Clone, Default)]
struct Probe(Arc<Mutex<[Tally; 2]>>);

impl Probe {
    fn handlers(&self) -> EventHandlers {
        let mut handlers = EventHandlers::default();
        let probe = self.clone();
        handlers.on(CONTEXT, KIND, move |event, tx| {
            let (handled_us, handled_at) = (now_us(), Instant::now());
            let probe = probe.clone();
            async move {
                let phase = event.payload["phase"].as_u64().ok_or_else(|| HandlerError::new("no phase"))? as usize;
                let sent_us = event.payload["sent_us"].as_i64().ok_or_else(|| HandlerError::new("no sent_us"))?;
                let mut tallies = probe.0.lock().unwrap();
                let tally = &mut tallies[phase];
                if tally.seen.insert(event.id) {
                    tally.latencies_us.push(handled_us - sent_us);
                    tally.last = Some(handled_at);
                }
                drop(tallies);
                Ok(tx)
            }
        });
        handlers
    }

    async fn wait(&self, phase: usize, count: usize) -> anyhow::Result<()> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let seen = self.0.lock().unwrap()[phase].seen.len();
            if seen >= count {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("only {seen} of {count} events were handled within {PATIENCE:?}");
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// Throughput from the first write to the last handling, and latencies.
    fn outcome(&self, started: Instant) -> Outcome {
        let mut tallies = self.0.lock().unwrap();
        let tally = &mut tallies[MEASURED];
        let elapsed = tally.last.expect("events were handled").duration_since(started);
        tally.latencies_us.sort_unstable();
        let percentile = |p: usize| {
            let rank = (tally.latencies_us.len() * p).div_ceil(100).max(1);
            tally.latencies_us[rank - 1] as f64 / 1000.0
        };
        Outcome {
            rate: tally.seen.len() as f64 / elapsed.as_secs_f64(),
            p50_ms: percentile(50),
            p99_ms: percentile(99),
        }
    }
}

fn now_us() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock after 1970").as_micros() as i64
}

async fn admin(url: &str, sql: &str) -> anyhow::Result<()> {
    let mut conn = sqlx::PgConnection::connect(url).await.context("connecting to PostgreSQL")?;
    sqlx::query(sql).execute(&mut conn).await.with_context(|| sql.to_string())?;
    conn.close().await?;
    Ok(())
}

/// Deletes what the run declared on the broker, by the names the platform's
/// buses give things under a namespace (`crates/platform/src/events/`).
async fn clear_bus(url: &str, namespace: &str) -> anyhow::Result<()> {
    if url.starts_with("amqp") {
        let connection = lapin::Connection::connect(url, Default::default()).await?;
        let channel = connection.create_channel().await?;
        for queue in [format!("{namespace}.{CONTEXT}"), format!("{namespace}.{CONTEXT}.dead")] {
            channel.queue_delete(queue.into(), Default::default()).await?;
        }
        for exchange in [format!("{namespace}.events"), format!("{namespace}.dead")] {
            channel.exchange_delete(exchange.into(), Default::default()).await?;
        }
        connection.close(200, "done".into()).await?;
    } else if url.starts_with("redis") {
        let mut conn = redis::Client::open(url)?.get_multiplexed_async_connection().await?;
        let keys: Vec<String> = redis::cmd("KEYS").arg(format!("{namespace}:*")).query_async(&mut conn).await?;
        if !keys.is_empty() {
            redis::cmd("DEL").arg(keys).query_async::<()>(&mut conn).await?;
        }
    }
    Ok(())
}
