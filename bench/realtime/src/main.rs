//! Many websocket clients on one Athlos replica: events published at a
//! steady rate and in a burst, each event's latency from publishing to a
//! client reading it, memory per connection and CPU. Server and clients run
//! in this one process. Prints a Markdown table on stdout, progress on stderr.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};
use clap::Parser;
use futures::{SinkExt, StreamExt, TryStreamExt};
use platform::config::{Config, LogFormat};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message as Frame;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

const PASSWORD: &str = "correct horse battery staple";
const STEADY: usize = 0;
const BURST: usize = 1;
/// Open files besides the sockets: the database, the HTTP client's pool, the listener.
const SPARE_FILES: u64 = 256;
/// How long after the last publish every delivery may take to arrive.
const PATIENCE: Duration = Duration::from_secs(60);

/// Delivery latency, memory per connection and CPU with many websocket clients on one replica.
#[derive(Parser)]
struct Args {
    /// Websocket clients, spread evenly over the people.
    #[arg(long, env = "REALTIME_BENCH_CLIENTS", default_value_t = 10_000)]
    clients: usize,
    /// Accounts the clients belong to; each client subscribes to its person's `user:<id>`.
    #[arg(long, env = "REALTIME_BENCH_PEOPLE", default_value_t = 100)]
    people: usize,
    /// Messages per second in the steady phase.
    #[arg(long, env = "REALTIME_BENCH_RATE", default_value_t = 20)]
    rate: u32,
    /// How long the steady phase publishes.
    #[arg(long, env = "REALTIME_BENCH_SECONDS", default_value_t = 10)]
    seconds: u32,
    /// Messages published as fast as possible in the burst phase.
    #[arg(long, env = "REALTIME_BENCH_BURST", default_value_t = 1000)]
    burst: usize,
    /// Sockets being opened at once.
    #[arg(long, env = "REALTIME_BENCH_CONNECTING", default_value_t = 64)]
    connecting: usize,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.clients == 0 || args.people == 0 || args.rate == 0 {
        bail!("--clients, --people and --rate must be at least 1");
    }
    platform::telemetry::init("warn", LogFormat::Pretty);
    // Each connection is two descriptors here: the client's and the server's.
    let open_files = raise_open_files(2 * args.clients as u64 + SPARE_FILES);
    if open_files < 2 * args.clients as u64 + SPARE_FILES {
        let most = open_files.saturating_sub(SPARE_FILES) / 2;
        bail!(
            "{} clients need {} open files, and this process may open {open_files}: at most --clients {most} here",
            args.clients,
            2 * args.clients as u64 + SPARE_FILES
        );
    }

    let dir = tempfile::tempdir()?;
    let config = Config {
        data_dir: dir.path().join("data"),
        listen: "127.0.0.1:0".parse()?,
        access_token_secs: 24 * 3600,
        log: "warn".into(),
        ..Config::default()
    };
    let server = athlos::server::start(config, &athlos::cli::ServeArgs::default()).await?;
    let base = format!("http://{}", server.addr);
    let http = reqwest::Client::new();

    eprintln!("creating {} people…", args.people);
    let people: Vec<(String, String)> = futures::stream::iter(0..args.people)
        .map(|n| person(&server, &http, &base, n))
        .buffered(4)
        .try_collect()
        .await?;

    let tally = Arc::new(Tally::default());
    let rss_before = rss_kib()?;
    eprintln!("opening {} sockets…", args.clients);
    let started = Instant::now();
    futures::stream::iter(0..args.clients)
        .map(|n| {
            let (id, token) = &people[n % args.people];
            open(&http, &base, token, id, tally.clone())
        })
        .buffer_unordered(args.connecting)
        .try_collect::<()>()
        .await?;
    let connect_secs = started.elapsed().as_secs_f64();
    let rss_after = rss_kib()?;

    // Every socket of a topic's person should get each message on it.
    let sockets_of =
        |k: usize| (args.clients / args.people) + usize::from(k % args.people < args.clients % args.people);
    let topic_of = |k: usize| format!("user:{}", people[k % args.people].0);
    let mut rows = Vec::new();

    eprintln!("steady: {} messages/s for {} s…", args.rate, args.seconds);
    let steady = (args.rate * args.seconds) as usize;
    let expected = (0..steady).map(sockets_of).sum();
    let phase = Phase::start();
    let mut every = tokio::time::interval(Duration::from_secs(1) / args.rate);
    for k in 0..steady {
        every.tick().await;
        server.platform.realtime.publish(&topic_of(k), "Bench", json!({ "phase": STEADY, "sent_us": now_us() })).await;
    }
    rows.push(phase.finish("steady", args.clients, steady, expected, &tally).await);

    eprintln!("burst: {} messages…", args.burst);
    let expected = (0..args.burst).map(sockets_of).sum();
    let phase = Phase::start();
    for k in 0..args.burst {
        server.platform.realtime.publish(&topic_of(k), "Bench", json!({ "phase": BURST, "sent_us": now_us() })).await;
    }
    rows.push(phase.finish("burst", args.clients, args.burst, expected, &tally).await);

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "{} websocket clients of {} people on one replica (in-process fan-out, SQLite), {cores} cores; \
         steady: {} messages/s for {} s; burst: {} messages at once. \
         Opening the sockets took {connect_secs:.1} s.\n",
        args.clients, args.people, args.rate, args.seconds, args.burst
    );
    println!("| phase | clients | messages | delivered | p50 ms | p99 ms | CPU % |");
    println!("|---|--:|--:|--:|--:|--:|--:|");
    for row in rows {
        println!("{row}");
    }
    let per_connection = (rss_after.saturating_sub(rss_before)) as f64 / args.clients as f64;
    println!(
        "\nRSS grew from {:.0} MiB to {:.0} MiB opening the sockets: {per_connection:.1} KiB per connection, \
         server and client side together (an upper bound for the server's share).",
        rss_before as f64 / 1024.0,
        rss_after as f64 / 1024.0
    );
    let closed = tally.closed.load(Ordering::Relaxed);
    if closed > 0 {
        println!("\n{closed} sockets were closed by the server during the run.");
    }
    Ok(())
}

/// An account made directly (registering over HTTP is rate-limited per
/// address), then logged in over HTTP: its id and access token.
async fn person(
    server: &athlos::server::RunningServer,
    http: &reqwest::Client,
    base: &str,
    n: usize,
) -> anyhow::Result<(String, String)> {
    let email = format!("bench-{n}@example.org");
    let identity = &server.contexts.identity;
    let id = identity.create_user(&email, "Bench", PASSWORD, identity::Role::User).await?;
    let login = http.post(format!("{base}/api/v1/auth/login")).json(&json!({ "email": email, "password": PASSWORD }));
    let tokens: Value = login.send().await?.error_for_status()?.json().await?;
    let token = tokens["access_token"].as_str().context("no access token")?.to_string();
    Ok((id, token))
}

/// A ticket, the socket, `ready`, `subscribe` to the person's topic and
/// `subscribed`; then a task reads the socket until it closes.
async fn open(http: &reqwest::Client, base: &str, token: &str, id: &str, tally: Arc<Tally>) -> anyhow::Result<()> {
    let issued = http.post(format!("{base}/api/v1/realtime/ticket")).bearer_auth(token).send().await?;
    let ticket: Value = issued.error_for_status()?.json().await?;
    let ticket = ticket["ticket"].as_str().context("no ticket")?;
    let url = format!("{}/api/v1/realtime?ticket={ticket}", base.replacen("http", "ws", 1));
    // Small buffers keep the client side's share of the memory figure small.
    let small = WebSocketConfig::default().read_buffer_size(4096).write_buffer_size(0);
    let (mut socket, _) = tokio_tungstenite::connect_async_with_config(url, Some(small), false).await?;
    expect(&mut socket, "ready").await?;
    let subscribe = json!({ "type": "subscribe", "topic": format!("user:{id}") });
    socket.send(Frame::text(subscribe.to_string())).await?;
    expect(&mut socket, "subscribed").await?;
    let mine = tally.client();
    tokio::spawn(async move {
        while let Some(Ok(frame)) = socket.next().await {
            if let Frame::Text(text) = frame {
                let received_us = now_us();
                let message: Value = serde_json::from_str(&text).unwrap_or_default();
                if let (Some(phase), Some(sent_us)) =
                    (message["data"]["phase"].as_u64(), message["data"]["sent_us"].as_i64())
                {
                    mine.lock().unwrap()[phase as usize].push(received_us - sent_us);
                    tally.delivered[phase as usize].fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        tally.closed.fetch_add(1, Ordering::Relaxed);
    });
    Ok(())
}

async fn expect(socket: &mut Socket, kind: &str) -> anyhow::Result<()> {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(30), socket.next()).await?.context("socket closed")??;
        if let Frame::Text(text) = frame {
            let message: Value = serde_json::from_str(&text)?;
            if message["type"] == kind {
                return Ok(());
            }
            bail!("expected {kind}, got {message}");
        }
    }
}

/// Each client's latencies per phase, kept by the client (no lock shared
/// between clients), and counts of what all of them read.
type Latencies = Arc<Mutex<[Vec<i64>; 2]>>;

#[derive(Default)]
struct Tally {
    clients: Mutex<Vec<Latencies>>,
    delivered: [AtomicUsize; 2],
    closed: AtomicUsize,
}

impl Tally {
    fn client(&self) -> Latencies {
        let mine = Latencies::default();
        self.clients.lock().unwrap().push(mine.clone());
        mine
    }

    /// Every client's latencies in `phase`, sorted.
    fn latencies(&self, phase: usize) -> Vec<i64> {
        let clients = self.clients.lock().unwrap();
        let mut all: Vec<i64> = clients.iter().flat_map(|c| std::mem::take(&mut c.lock().unwrap()[phase])).collect();
        all.sort_unstable();
        all
    }
}

/// Wall time and the process's CPU time since a phase began.
struct Phase {
    wall: Instant,
    cpu: Duration,
}

impl Phase {
    fn start() -> Self {
        Self { wall: Instant::now(), cpu: cpu_time() }
    }

    /// Waits for every delivery (or gives up after [`PATIENCE`]), then one
    /// table row. CPU is the process's over the phase's wall time, from the
    /// first publish to the last delivery: 100 % is one core.
    async fn finish(self, name: &str, clients: usize, messages: usize, expected: usize, tally: &Tally) -> String {
        let phase = if name == "steady" { STEADY } else { BURST };
        let deadline = Instant::now() + PATIENCE;
        while tally.delivered[phase].load(Ordering::Relaxed) < expected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let cpu = (cpu_time() - self.cpu).as_secs_f64() / self.wall.elapsed().as_secs_f64() * 100.0;
        let latencies = tally.latencies(phase);
        let percentile = |p: usize| match latencies.len() {
            0 => f64::NAN,
            n => latencies[(n * p).div_ceil(100).max(1) - 1] as f64 / 1000.0,
        };
        format!(
            "| {name} | {clients} | {messages} | {} of {expected} | {:.1} | {:.1} | {cpu:.0} |",
            latencies.len(),
            percentile(50),
            percentile(99)
        )
    }
}

/// Raises the open-file limit: the soft limit to the hard one, and both to
/// `wanted` when this process may (CAP_SYS_RESOURCE). Returns the soft limit.
fn raise_open_files(wanted: u64) -> u64 {
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

/// User and system CPU time of the whole process.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct passed.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}

/// The process's resident set, in KiB.
fn rss_kib() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).context("no VmRSS in /proc/self/status")?;
    Ok(line.split_whitespace().nth(1).context("VmRSS without a number")?.parse()?)
}

fn now_us() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock after 1970").as_micros() as i64
}
