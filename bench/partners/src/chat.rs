//! Chat across replicas: two servers on the run's database whose realtime
//! fan-out goes through a broker (Redis pub/sub or RabbitMQ), pairs of
//! people who follow each other with a conversation each, the writer's
//! socket on replica 1 and the reader's on replica 2. The writers send over
//! HTTP to replica 1 at an even pace; each message is timed from just
//! before its POST to its `ChatMessage` event on the reader's socket (and on
//! the writer's own).

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures::{SinkExt, StreamExt, TryStreamExt};
use platform::config::Config;
use platform::db::Dialect;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message as Frame;

use crate::seed::World;
use crate::{group, name, Args, Sizes, Stats, PASSWORD};

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// How long a server may take to stop once the run is measured.
const STOPPING: Duration = Duration::from_secs(30);
/// How long the replicas' fan-out listeners may take to be heard.
const LISTENING: Duration = Duration::from_secs(30);

#[derive(serde::Serialize, serde::Deserialize)]
pub struct Report {
    pub rows: Vec<String>,
    pub note: String,
}

/// What one socket heard: per message (by its number in the run), when its
/// `ChatMessage` arrived (µs since the run's start; -1: not yet), and typing.
struct Heard {
    arrived: Vec<AtomicI64>,
    twice: AtomicU64,
    typing: AtomicU64,
    closed: AtomicU64,
}

impl Heard {
    fn new(messages: usize) -> Arc<Self> {
        Arc::new(Self {
            arrived: (0..messages).map(|_| AtomicI64::new(-1)).collect(),
            twice: AtomicU64::new(0),
            typing: AtomicU64::new(0),
            closed: AtomicU64::new(0),
        })
    }
}

/// One message sent.
struct Sent {
    /// µs since the run's start, just before the POST.
    at_us: i64,
    took: Duration,
    status: u16,
}

#[allow(clippy::too_many_arguments)]
pub async fn run(
    args: &Args,
    sizes: &Sizes,
    world: &World,
    dialect: Dialect,
    config: Config,
    fanout: &str,
    fanout_url: &str,
    nth: usize,
) -> anyhow::Result<Report> {
    let database = name(dialect);
    let namespace = format!("bench-partners-{}", uuid::Uuid::now_v7().simple());
    let mut config = config;
    config.realtime_url = Some(fanout_url.to_string());
    config.bus_namespace = namespace;
    let one = athlos::server::start(config.clone(), &athlos::cli::ServeArgs::default()).await?;
    config.public_url = Some(one.url());
    let two = athlos::server::start(config, &athlos::cli::ServeArgs { no_worker: true, ..Default::default() }).await?;
    let outcome = measure(args, sizes, world, database, fanout, nth, one.addr, two.addr).await;
    for (replica, server) in [("1", one), ("2", two)] {
        if tokio::time::timeout(STOPPING, server.stop()).await.is_err() {
            eprintln!("  replica {replica} had not stopped {} s after being asked to", STOPPING.as_secs());
        }
    }
    outcome
}

#[allow(clippy::too_many_arguments)]
async fn measure(
    args: &Args,
    sizes: &Sizes,
    world: &World,
    database: &str,
    fanout: &str,
    nth: usize,
    one: std::net::SocketAddr,
    two: std::net::SocketAddr,
) -> anyhow::Result<Report> {
    let (base_one, base_two) = (format!("http://{one}"), format!("http://{two}"));
    let http = reqwest::Client::new();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let first = 2 * sizes.pairs * nth;
    let people: Vec<usize> = (first..first + 2 * sizes.pairs).collect();

    eprintln!("    logging in {} people…", people.len());
    let began = Instant::now();
    let tokens: Vec<String> = futures::stream::iter(people.iter().map(|&n| World::chatter_email(n)))
        .map(|email| {
            let (http, base) = (&http, &base_one);
            async move {
                let asked = http
                    .post(format!("{base}/api/v1/auth/login"))
                    .json(&json!({ "email": email, "password": PASSWORD }));
                let tokens: Value = asked.send().await?.error_for_status()?.json().await?;
                anyhow::Ok(tokens["access_token"].as_str().context("no access token")?.to_string())
            }
        })
        .buffered(2 * cores)
        .try_collect()
        .await?;
    eprintln!("    logged in in {:.0} s; opening the conversations and the sockets…", began.elapsed().as_secs_f64());
    let writer = |p: usize| &tokens[2 * p];
    let reader = |p: usize| &tokens[2 * p + 1];
    let conversations: Vec<String> = futures::stream::iter(0..sizes.pairs)
        .map(|p| {
            let (http, base) = (&http, &base_one);
            let (token, with) = (writer(p).clone(), world.chatters[people[2 * p + 1]].clone());
            async move {
                let opened = http
                    .post(format!("{base}/api/v1/conversations"))
                    .bearer_auth(token)
                    .json(&json!({ "user_id": with }))
                    .send()
                    .await?;
                if !opened.status().is_success() {
                    bail!("opening a conversation: {} {}", opened.status(), opened.text().await.unwrap_or_default());
                }
                let opened: Value = opened.json().await?;
                anyhow::Ok(opened["id"].as_str().context("no conversation id")?.to_string())
            }
        })
        .buffered(2 * cores)
        .try_collect()
        .await?;

    let start = Instant::now();
    let (mut on_one, mut on_two) = (Vec::new(), Vec::new());
    for p in 0..sizes.pairs {
        let heard = Heard::new(sizes.messages);
        listen(socket(&http, &base_one, writer(p), &world.chatters[people[2 * p]]).await?, heard.clone(), start);
        on_one.push(heard);
        let heard = Heard::new(sizes.messages);
        listen(socket(&http, &base_two, reader(p), &world.chatters[people[2 * p + 1]]).await?, heard.clone(), start);
        on_two.push(heard);
    }

    // The replicas' fan-out listeners may still be connecting: type each
    // way until the other replica hears it.
    for (base, token, heard, towards) in
        [(&base_one, writer(0), &on_two[0], "replica 2"), (&base_two, reader(0), &on_one[0], "replica 1")]
    {
        let typing = format!("{base}/api/v1/conversations/{}/typing", conversations[0]);
        let deadline = Instant::now() + LISTENING;
        while heard.typing.load(Ordering::Relaxed) == 0 {
            if Instant::now() > deadline {
                bail!("typing was never heard on {towards} through {fanout}");
            }
            http.post(&typing).bearer_auth(token).json(&json!({})).send().await?.error_for_status()?;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    eprintln!("    {} messages at {} a second…", group(sizes.messages), sizes.rate);
    let cpu_before = crate::cpu_time();
    let interval = Duration::from_secs_f64(1.0 / sizes.rate);
    let paced = tokio::time::Instant::now();
    let mut tasks = Vec::with_capacity(sizes.messages);
    for k in 0..sizes.messages {
        tokio::time::sleep_until(paced + interval * k as u32).await;
        let p = k % sizes.pairs;
        let url = format!("{base_one}/api/v1/conversations/{}/messages", conversations[p]);
        let body = json!({
            "client_id": uuid::Uuid::now_v7().to_string(),
            "body": format!("#{k} Track at 7 tomorrow? Intervals, then an easy cool-down."),
        });
        let (http, token) = (http.clone(), writer(p).clone());
        tasks.push(tokio::spawn(async move {
            let at_us = start.elapsed().as_micros() as i64;
            let sent = Instant::now();
            let answer = http.post(url).bearer_auth(token).json(&body).send().await?;
            let took = sent.elapsed();
            let status = answer.status().as_u16();
            if status != 201 {
                eprintln!("    a message answered {status}: {}", answer.text().await.unwrap_or_default());
            }
            anyhow::Ok(Sent { at_us, took, status })
        }));
    }
    let mut sent = Vec::with_capacity(tasks.len());
    for task in tasks {
        sent.push(task.await??);
    }
    let sending = paced.elapsed();
    // Everything answered 201 arrives on both sockets, or patience runs out.
    let deadline = Instant::now() + Duration::from_secs(args.patience);
    let missing = || {
        (0..sizes.messages)
            .filter(|&k| sent[k].status == 201)
            .filter(|&k| {
                let p = k % sizes.pairs;
                on_one[p].arrived[k].load(Ordering::Relaxed) < 0 || on_two[p].arrived[k].load(Ordering::Relaxed) < 0
            })
            .count()
    };
    while missing() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let cpu = (crate::cpu_time() - cpu_before).as_secs_f64() / paced.elapsed().as_secs_f64() * 100.0;

    let delays = |sockets: &[Arc<Heard>]| {
        let (mut delays, mut missed) = (Vec::new(), 0);
        for (k, s) in sent.iter().enumerate().filter(|(_, s)| s.status == 201) {
            match sockets[k % sizes.pairs].arrived[k].load(Ordering::Relaxed) {
                arrived if arrived >= 0 => delays.push(Duration::from_micros((arrived - s.at_us).max(0) as u64)),
                _ => missed += 1,
            }
        }
        (delays, missed)
    };
    let created = sent.iter().filter(|s| s.status == 201).count();
    let refused = sent.iter().filter(|s| s.status == 429).count();
    let stats = Stats::of(sent.iter().map(|s| s.took).collect());
    let mut rows = vec![format!(
        "| {database} | {fanout} | `POST …/messages` to replica 1 → 201 | {} | {:.1} | {:.1} | {:.1} |",
        group(stats.n),
        stats.p50_ms,
        stats.p99_ms,
        stats.max_ms
    )];
    let (across, missed_across) = delays(&on_two);
    rows.push(delivery_row(
        database,
        fanout,
        "delivery: before the POST → `ChatMessage` on B's socket, replica 2",
        across,
        missed_across,
    ));
    let (home, missed_home) = delays(&on_one);
    rows.push(delivery_row(
        database,
        fanout,
        "delivery: before the POST → `ChatMessage` on A's own socket, replica 1",
        home,
        missed_home,
    ));
    let sum = |sockets: &[Arc<Heard>], f: &dyn Fn(&Heard) -> u64| sockets.iter().map(|h| f(h.as_ref())).sum::<u64>();
    let twice = sum(&on_one, &|h| h.twice.load(Ordering::Relaxed)) + sum(&on_two, &|h| h.twice.load(Ordering::Relaxed));
    let closed =
        sum(&on_one, &|h| h.closed.load(Ordering::Relaxed)) + sum(&on_two, &|h| h.closed.load(Ordering::Relaxed));
    let note = format!(
        "over {fanout}: {} of {} messages answered 201 ({refused} were 429), sent over {:.1} s; never seen: \
         {missed_across} on B's sockets, {missed_home} on A's; {twice} heard twice; {closed} sockets closed. This \
         process (both servers, the sockets, the sender) used {cpu:.0} % CPU while sending (100 % is one core).",
        group(created),
        group(sizes.messages),
        sending.as_secs_f64(),
    );
    Ok(Report { rows, note })
}

/// A ticket from the replica, the socket, `ready`, `subscribe` to the
/// person's `user:<id>`, `subscribed`.
async fn socket(http: &reqwest::Client, base: &str, token: &str, user_id: &str) -> anyhow::Result<Socket> {
    let issued = http.post(format!("{base}/api/v1/realtime/ticket")).bearer_auth(token).send().await?;
    let ticket: Value = issued.error_for_status()?.json().await?;
    let ticket = ticket["ticket"].as_str().context("no ticket")?;
    let url = format!("{}/api/v1/realtime?ticket={ticket}", base.replacen("http", "ws", 1));
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await?;
    expect(&mut socket, "ready").await?;
    let topic = format!("user:{user_id}");
    socket.send(Frame::text(json!({ "type": "subscribe", "topic": topic }).to_string())).await?;
    expect(&mut socket, "subscribed").await?;
    Ok(socket)
}

/// Reads the socket until it closes, noting when each message arrived.
fn listen(mut socket: Socket, heard: Arc<Heard>, start: Instant) {
    tokio::spawn(async move {
        while let Some(Ok(frame)) = socket.next().await {
            let Frame::Text(text) = frame else { continue };
            let arrived = start.elapsed().as_micros() as i64;
            let Ok(message) = serde_json::from_str::<Value>(&text) else { continue };
            if message["type"] != "event" {
                continue;
            }
            match message["kind"].as_str() {
                Some("ChatTyping") => {
                    heard.typing.fetch_add(1, Ordering::Relaxed);
                }
                Some("ChatMessage") => {
                    let body = message["data"]["message"]["body"].as_str().unwrap_or_default();
                    let number = body.strip_prefix('#').and_then(|b| b.split(' ').next()).and_then(|n| n.parse().ok());
                    if let Some(slot) = number.and_then(|k: usize| heard.arrived.get(k)) {
                        if slot.compare_exchange(-1, arrived, Ordering::Relaxed, Ordering::Relaxed).is_err() {
                            heard.twice.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                _ => {}
            }
        }
        heard.closed.fetch_add(1, Ordering::Relaxed);
    });
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

/// A row of delivery delays, those never seen counted as longer than any:
/// a percentile that falls among them reads `never`.
fn delivery_row(database: &str, fanout: &str, case: &str, mut delays: Vec<Duration>, missed: usize) -> String {
    delays.sort_unstable();
    let total = delays.len() + missed;
    let at = |p: usize| match delays.get((total * p).div_ceil(100).max(1) - 1) {
        _ if total == 0 => "—".to_string(),
        Some(d) => format!("{:.1}", d.as_secs_f64() * 1000.0),
        None => "never".to_string(),
    };
    let max = if missed > 0 { "never".to_string() } else { at(100) };
    let n = if missed > 0 { format!("{} of {}", group(delays.len()), group(total)) } else { group(total) };
    format!("| {database} | {fanout} | {case} | {n} | {} | {} | {max} |", at(50), at(99))
}
