//! The sockets' process (`leaderboard-bench --watch`): opens the sockets
//! the plan on stdin asks for, each subscribed to the board's topic as the
//! web client does, and notes what every socket hears. Lines on stdin say
//! when the surge starts (`go`) and which board version it ended on
//! (`final <version>`); then it answers with what it heard, one JSON line on
//! stdout, and exits.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures::{SinkExt, StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message as Frame;

use crate::{cpu_time, now_us};

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Open files besides the sockets.
const SPARE_FILES: u64 = 256;
/// How long after the final version every socket may take to hear it.
const PATIENCE: Duration = Duration::from_secs(30);

/// What the server's process asks for.
#[derive(Serialize, Deserialize)]
pub struct Plan {
    pub base: String,
    pub topic: String,
    /// Access tokens of the watching accounts; socket n is account n mod len's.
    pub tokens: Vec<String>,
    pub sockets: usize,
    /// Sockets whose every message is noted with the time it arrived.
    pub sampled: usize,
    pub connecting: usize,
    /// The marker entrants' ids: a sampled socket notes when each first shows in the board's top.
    pub markers: Vec<String>,
}

/// What it heard.
#[derive(Serialize, Deserialize)]
pub struct Heard {
    /// Per socket: `BoardChanged` messages, and the last version.
    pub counts: Vec<u64>,
    pub last: Vec<i64>,
    /// Messages whose version was not above the one before on the same socket.
    pub disorder: u64,
    /// Sockets the server closed.
    pub closed: usize,
    pub samples: Vec<Sample>,
    /// This process's CPU over the surge, in seconds, and the surge's wall time.
    pub cpu_secs: f64,
    pub wall_secs: f64,
}

/// One sampled socket: `(arrived µs since the epoch, version)` of every
/// message, and when each marker first showed in the top (-1: never).
#[derive(Default, Serialize, Deserialize)]
pub struct Sample {
    pub messages: Vec<(i64, i64)>,
    pub markers: Vec<i64>,
}

#[derive(Deserialize)]
struct Event<D> {
    #[serde(rename = "type")]
    kind_of_frame: String,
    #[serde(default)]
    kind: String,
    data: Option<D>,
}

#[derive(Deserialize)]
struct Version {
    version: i64,
}

#[derive(Deserialize)]
struct WithTop {
    version: i64,
    #[serde(default)]
    top: Vec<Line>,
}

#[derive(Deserialize)]
struct Line {
    user_id: String,
}

#[derive(Default)]
struct Seen {
    count: AtomicU64,
    last: AtomicI64,
    disorder: AtomicU64,
    closed: AtomicBool,
    sample: Option<Mutex<Sample>>,
}

impl Seen {
    fn heard(&self, version: i64) {
        self.count.fetch_add(1, Ordering::Relaxed);
        if self.last.swap(version, Ordering::Relaxed) >= version {
            self.disorder.fetch_add(1, Ordering::Relaxed);
        }
    }
}

pub async fn run() -> anyhow::Result<()> {
    let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    let plan: Plan = serde_json::from_str(&lines.next_line().await?.context("no plan on stdin")?)?;
    let wanted = plan.sockets as u64 + SPARE_FILES;
    let open_files = crate::surge::raise_open_files(wanted);
    if open_files < wanted {
        bail!("{} sockets need {wanted} open files, and this process may open {open_files}", plan.sockets);
    }
    let markers: Arc<HashMap<String, usize>> =
        Arc::new(plan.markers.iter().enumerate().map(|(n, id)| (id.clone(), n)).collect());
    let every = (plan.sockets / plan.sampled.clamp(1, plan.sockets)).max(1);
    let seen: Vec<Arc<Seen>> = (0..plan.sockets)
        .map(|n| {
            let sample = (n % every == 0)
                .then(|| Mutex::new(Sample { messages: Vec::new(), markers: vec![-1; plan.markers.len()] }));
            Arc::new(Seen { sample, ..Seen::default() })
        })
        .collect();
    let http = reqwest::Client::new();
    let began = Instant::now();
    futures::stream::iter(0..plan.sockets)
        .map(|n| open(&http, &plan, &plan.tokens[n % plan.tokens.len()], seen[n].clone(), markers.clone()))
        .buffer_unordered(plan.connecting.max(1))
        .try_collect::<()>()
        .await?;
    let mut stdout = tokio::io::stdout();
    stdout.write_all(format!("ready {:.1}\n", began.elapsed().as_secs_f64()).as_bytes()).await?;
    stdout.flush().await?;

    let mut surge = (Instant::now(), cpu_time());
    let mut wall_secs = 0.0;
    let mut cpu_secs = 0.0;
    while let Some(line) = lines.next_line().await? {
        if line == "go" {
            surge = (Instant::now(), cpu_time());
        } else if let Some(version) = line.strip_prefix("final ") {
            let version: i64 = version.trim().parse()?;
            let deadline = Instant::now() + PATIENCE;
            while Instant::now() < deadline
                && seen.iter().any(|s| s.last.load(Ordering::Relaxed) < version && !s.closed.load(Ordering::Relaxed))
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            wall_secs = surge.0.elapsed().as_secs_f64();
            cpu_secs = (cpu_time() - surge.1).as_secs_f64();
            break;
        }
    }
    let heard = Heard {
        counts: seen.iter().map(|s| s.count.load(Ordering::Relaxed)).collect(),
        last: seen.iter().map(|s| s.last.load(Ordering::Relaxed)).collect(),
        disorder: seen.iter().map(|s| s.disorder.load(Ordering::Relaxed)).sum(),
        closed: seen.iter().filter(|s| s.closed.load(Ordering::Relaxed)).count(),
        samples: seen
            .iter()
            .filter_map(|s| s.sample.as_ref().map(|m| std::mem::take(&mut *m.lock().unwrap())))
            .collect(),
        cpu_secs,
        wall_secs,
    };
    let mut out = serde_json::to_string(&heard)?;
    out.push('\n');
    stdout.write_all(out.as_bytes()).await?;
    stdout.flush().await?;
    // The sockets close as the process ends.
    std::process::exit(0);
}

/// A ticket, the socket, `ready`, `subscribe` to the board's topic and
/// `subscribed`; then a task reads the socket until it closes.
async fn open(
    http: &reqwest::Client,
    plan: &Plan,
    token: &str,
    seen: Arc<Seen>,
    markers: Arc<HashMap<String, usize>>,
) -> anyhow::Result<()> {
    let issued = http.post(format!("{}/api/v1/realtime/ticket", plan.base)).bearer_auth(token).send().await?;
    let ticket: Value = issued.error_for_status()?.json().await?;
    let ticket = ticket["ticket"].as_str().context("no ticket")?;
    let url = format!("{}/api/v1/realtime?ticket={ticket}", plan.base.replacen("http", "ws", 1));
    let small = WebSocketConfig::default().read_buffer_size(8192).write_buffer_size(0);
    let (mut socket, _) = tokio_tungstenite::connect_async_with_config(url, Some(small), false).await?;
    expect(&mut socket, "ready").await?;
    socket.send(Frame::text(json!({ "type": "subscribe", "topic": plan.topic }).to_string())).await?;
    expect(&mut socket, "subscribed").await?;
    tokio::spawn(async move {
        while let Some(Ok(frame)) = socket.next().await {
            let Frame::Text(text) = frame else { continue };
            let arrived = now_us();
            match &seen.sample {
                None => {
                    if let Ok(Event::<Version> { kind_of_frame, kind, data: Some(data) }) = serde_json::from_str(&text)
                    {
                        if kind_of_frame == "event" && kind == "BoardChanged" {
                            seen.heard(data.version);
                        }
                    }
                }
                Some(sample) => {
                    if let Ok(Event::<WithTop> { kind_of_frame, kind, data: Some(data) }) = serde_json::from_str(&text)
                    {
                        if kind_of_frame == "event" && kind == "BoardChanged" {
                            seen.heard(data.version);
                            let mut sample = sample.lock().unwrap();
                            sample.messages.push((arrived, data.version));
                            for line in &data.top {
                                if let Some(&n) = markers.get(&line.user_id) {
                                    if sample.markers[n] < 0 {
                                        sample.markers[n] = arrived;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        seen.closed.store(true, Ordering::Relaxed);
    });
    Ok(())
}

async fn expect(socket: &mut Socket, kind: &str) -> anyhow::Result<()> {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(60), socket.next()).await?.context("socket closed")??;
        if let Frame::Text(text) = frame {
            let message: Value = serde_json::from_str(&text)?;
            if message["type"] == kind {
                return Ok(());
            }
            bail!("expected {kind}, got {message}");
        }
    }
}
