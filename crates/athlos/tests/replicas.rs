//! Several real `athlos` processes behind a real nginx, on PostgreSQL with
//! RabbitMQ as the bus and Redis as the realtime fan-out, killed with
//! SIGKILL under a steady mixed load:
//!
//! - two `serve --no-worker` replicas and one `worker` behind the shipped
//!   `deploy/nginx` configuration: one replica is killed, then the worker,
//!   then both are started again; no acknowledged write is lost or doubled,
//!   the requests that fail are only those in flight on the killed replica,
//!   websocket clients reconnect to the survivor and resume without missing
//!   an event, and the jobs (mails) queued while the worker was gone are done
//!   once it is back;
//! - modules apart behind nginx's per-module upstreams (identity and
//!   notifications in one process, the rest in another): the training
//!   process is killed and started again; nothing acknowledged is lost.
//!
//! nginx comes from Debian's package (`scripts/test` installs it); the
//! configuration is `deploy/nginx` rewritten only where a test must: the
//! listen ports, the upstream servers, TLS off, and the pid, log and temp
//! paths in a folder of the test's own. Counts are printed (stdout and
//! stderr) so the test log shows them. See docs/deployment.md.

mod support;

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use support::{eventually, mails_to, service, unique_email, Backend, TestDatabase};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message as Frame;
use tokio_util::sync::CancellationToken;

const PASSWORD: &str = "correct horse battery staple";
/// Each load task sends at most one request per tick: 20 a second, under
/// the shipped `athlos_api` limit of 30 a second per client address (every
/// task has an address of its own on 127.0.0.0/8).
const PACE: Duration = Duration::from_millis(50);
const PATIENCE: Duration = Duration::from_secs(60);

/// The two tests start a whole deployment each; on a small machine they
/// take turns.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

// --- processes -----------------------------------------------------------

/// A child process, killed when the test ends or panics.
struct Proc {
    name: String,
    child: Option<Child>,
    log: PathBuf,
    /// nginx is stopped with SIGTERM (its master then stops its workers,
    /// which a SIGKILL of the master would leave running); Athlos with SIGKILL.
    gentle: bool,
}

impl Proc {
    /// `kill -9`, and the exit collected.
    fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.as_mut().and_then(|c| c.try_wait().ok().flatten())
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if self.gentle {
            if let Some(mut child) = self.child.take() {
                unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
                let until = Instant::now() + Duration::from_secs(5);
                while Instant::now() < until {
                    if child.try_wait().ok().flatten().is_some() {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        self.kill9();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A fresh loopback address (127.0.0.10, .11, …) for one client, so that
/// nginx's per-address limits see separate clients as separate.
fn next_address() -> IpAddr {
    static NEXT: AtomicU8 = AtomicU8::new(10);
    IpAddr::V4(Ipv4Addr::new(127, 0, 0, NEXT.fetch_add(1, Ordering::SeqCst)))
}

/// A tick every `period`; a late tick is not made up with a burst.
fn pace(period: Duration) -> tokio::time::Interval {
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick
}

fn client_from(address: IpAddr) -> reqwest::Client {
    reqwest::Client::builder().local_address(address).timeout(Duration::from_secs(30)).no_gzip().build().unwrap()
}

/// nginx from the system, or none: under `CI=true` a missing nginx fails
/// the test, otherwise it skips it with a note.
fn nginx_binary() -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    let found = path
        .split(':')
        .map(PathBuf::from)
        .chain(["/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"].map(PathBuf::from))
        .map(|dir| dir.join("nginx"))
        .find(|candidate| candidate.is_file());
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("nginx is required under CI but is not installed; scripts/test installs it (apt-get install nginx)");
        }
        eprintln!(
            "\n*** SKIPPED: the multi-replica test needs nginx, which is not installed here.\n\
             *** Run the suite with scripts/test (it installs Debian's nginx), or apt-get install nginx.\n"
        );
    }
    found
}

/// What a deployment of the test needs, or none (skipped).
struct Services {
    nginx: PathBuf,
    amqp: String,
    redis: String,
}

fn services() -> Option<Services> {
    service("TEST_POSTGRES_URL", "PostgreSQL")?;
    let amqp = service("TEST_AMQP_URL", "RabbitMQ")?;
    let redis = service("TEST_REDIS_URL", "Redis")?;
    Some(Services { nginx: nginx_binary()?, amqp, redis })
}

/// One deployment: a database, a folder, the settings every process shares.
struct Deployment {
    dir: tempfile::TempDir,
    db: TestDatabase,
    env: Vec<(String, String)>,
    nginx_bin: PathBuf,
    nginx_port: u16,
}

impl Deployment {
    async fn new(services: &Services) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = TestDatabase::new(Backend::Postgres, dir.path()).await;
        let nginx_port = free_port();
        let data = dir.path().join("data");
        let env = [
            ("ATHLOS_DATA_DIR", data.display().to_string()),
            ("ATHLOS_FILES_DIR", dir.path().join("files").display().to_string()),
            ("ATHLOS_OUTBOX_DIR", dir.path().join("outbox").display().to_string()),
            ("ATHLOS_DATABASE_URL", db.url.clone()),
            ("ATHLOS_SECRET_KEY", format!("replicas-{}", uuid::Uuid::now_v7().simple())),
            ("ATHLOS_PUBLIC_URL", format!("http://127.0.0.1:{nginx_port}")),
            ("ATHLOS_TRUST_FORWARDED_FOR", "true".into()),
            ("ATHLOS_BUS_URL", services.amqp.clone()),
            ("ATHLOS_BUS_NAMESPACE", format!("test-{}", uuid::Uuid::now_v7().simple())),
            ("ATHLOS_REALTIME_URL", services.redis.clone()),
            ("ATHLOS_RELAY_POLL_MS", "20".into()),
            ("ATHLOS_EVENT_RETRY_BASE_MS", "50".into()),
            ("ATHLOS_JOB_POLL_MS", "50".into()),
            ("ATHLOS_JOB_RETRY_BASE_MS", "200".into()),
            // A job whose worker died is taken over after three heartbeats.
            ("ATHLOS_JOB_HEARTBEAT_MS", "300".into()),
            ("ATHLOS_LOG", "warn".into()),
        ]
        .map(|(k, v)| (k.to_string(), v));
        Self { dir, db, env: env.to_vec(), nginx_bin: services.nginx.clone(), nginx_port }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.nginx_port)
    }

    fn outbox(&self) -> PathBuf {
        self.dir.path().join("outbox")
    }

    /// The real binary, its output appended to `<name>.log` in the folder.
    fn athlos(&self, name: &str, args: &[String]) -> Proc {
        let log = self.dir.path().join(format!("{name}.log"));
        let file = std::fs::OpenOptions::new().create(true).append(true).open(&log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_athlos"))
            .args(args)
            .envs(self.env.iter().cloned())
            // No .env or athlos.toml of the working folder.
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .unwrap();
        Proc { name: name.into(), child: Some(child), log, gentle: false }
    }

    /// `athlos serve --no-worker` on `port`, serving `modules` (all when none).
    fn serve(&self, name: &str, port: u16, modules: Option<&str>) -> Proc {
        let mut args = vec!["serve".into(), "--no-worker".into(), "--listen".into(), format!("127.0.0.1:{port}")];
        if let Some(modules) = modules {
            args.extend(["--modules".into(), modules.into()]);
        }
        self.athlos(name, &args)
    }

    fn worker(&self) -> Proc {
        self.athlos("worker", &["worker".into()])
    }

    /// nginx on `deploy/nginx`, each upstream sent to the ports `servers` names.
    async fn nginx(&self, servers: impl Fn(&str) -> Vec<u16>) -> Proc {
        let dir = self.dir.path().join("nginx");
        write_nginx_config(&dir, self.nginx_port, free_port(), servers);
        let log = dir.join("error.log");
        let child = Command::new(&self.nginx_bin)
            .arg("-p")
            .arg(format!("{}/", dir.display()))
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-e")
            .arg(&log)
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("stderr.log")).unwrap())
            .spawn()
            .unwrap();
        let mut nginx = Proc { name: "nginx".into(), child: Some(child), log, gentle: true };
        // Ready when it answers through to a replica.
        wait_ready(&mut nginx, &format!("{}/api/v1/server", self.base())).await;
        nginx
    }

    /// The nginx access log: one line per request with `upstream=<addr>`.
    fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("nginx/access.log")).unwrap_or_default()
    }
}

/// Polls `url` until it answers 200; fails early, with the log, when the
/// process exits.
async fn wait_ready(proc: &mut Proc, url: &str) {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
    let started = Instant::now();
    loop {
        if client.get(url).send().await.is_ok_and(|r| r.status() == 200) {
            return;
        }
        if let Some(status) = proc.exited() {
            panic!("{} exited ({status}) before it was ready:\n{}", proc.name, proc.log_tail());
        }
        assert!(started.elapsed() < PATIENCE, "{} not ready within {PATIENCE:?}:\n{}", proc.name, proc.log_tail());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn serve_ready(proc: &mut Proc, port: u16) {
    wait_ready(proc, &format!("http://127.0.0.1:{port}/readyz")).await;
}

// --- the nginx configuration: deploy/nginx, rewritten where it must be ---

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "deploy/nginx changed: expected `{from}` exactly once");
    text.replacen(from, to, 1)
}

/// Writes `deploy/nginx` into `dir`, changed only in: the listen ports
/// (loopback), TLS off (no `ssl`, `http2` or `ssl_*` lines: the test's
/// websocket client speaks plain HTTP), every upstream's `server` lines (the
/// test's ports instead of the Compose names; no `resolve`, which Debian's
/// 1.22 lacks, and no resolver), and the pid, logs and temp folders inside
/// `dir`. Everything else (routing per module, retries, passive health
/// checks, limits, headers, the websocket upgrade) is the shipped file.
fn write_nginx_config(dir: &Path, port: u16, redirect_port: u16, servers: impl Fn(&str) -> Vec<u16>) {
    let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../deploy/nginx");
    let read = |name: &str| std::fs::read_to_string(shipped.join(name)).unwrap();
    std::fs::create_dir_all(dir.join("athlos")).unwrap();
    for temp in ["body", "proxy", "fastcgi", "uwsgi", "scgi"] {
        std::fs::create_dir_all(dir.join("temp").join(temp)).unwrap();
    }
    let d = dir.display();

    let mut main = read("nginx.conf");
    main = replace_once(&main, "pid /tmp/nginx.pid;", &format!("pid {d}/nginx.pid;"));
    main = replace_once(&main, "error_log stderr warn;", &format!("error_log {d}/error.log warn;"));
    main = replace_once(&main, "access_log /dev/stdout athlos;", &format!("access_log {d}/access.log athlos;"));
    let temps: String = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
        .iter()
        .zip(["body", "proxy", "fastcgi", "uwsgi", "scgi"])
        .map(|(directive, folder)| format!("    {directive}_temp_path {d}/temp/{folder};\n"))
        .collect();
    main = replace_once(&main, "\nhttp {\n", &format!("\nhttp {{\n{temps}"));
    // Started by root, nginx's workers would become `nobody`, who cannot
    // write the test's folders: they stay the current user.
    if unsafe { libc::geteuid() } == 0 {
        main = format!("user root;\n{main}");
    }
    std::fs::write(dir.join("nginx.conf"), main).unwrap();
    let types = std::fs::read_to_string("/etc/nginx/mime.types")
        .unwrap_or_else(|_| "types { text/html html; application/javascript js; }\n".into());
    std::fs::write(dir.join("mime.types"), types).unwrap();

    let mut site = read("athlos.conf");
    site =
        replace_once(&site, "listen 80 default_server;", &format!("listen 127.0.0.1:{redirect_port} default_server;"));
    site = replace_once(&site, "listen 443 ssl default_server;", &format!("listen 127.0.0.1:{port} default_server;"));
    let site: String = site
        .lines()
        .filter(|line| {
            let line = line.trim_start();
            !(line.starts_with("http2 on;") || line.starts_with("ssl_"))
        })
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(dir.join("athlos/athlos.conf"), site).unwrap();

    let mut upstreams = String::new();
    let mut current: Option<String> = None;
    let mut written = false;
    for line in read("upstreams.conf").lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("resolver ") {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("upstream ") {
            current = Some(rest.trim_end_matches('{').trim().to_string());
            written = false;
        }
        if let Some(rest) = trimmed.strip_prefix("server ") {
            let name = current.as_deref().expect("a server line inside an upstream");
            if !written {
                let ports = servers(name);
                assert!(!ports.is_empty(), "the test does not know where to send the upstream {name}");
                let params: Vec<&str> =
                    rest.trim_end_matches(';').split_whitespace().skip(1).filter(|p| *p != "resolve").collect();
                for port in ports {
                    upstreams.push_str(&format!("    server 127.0.0.1:{port} {};\n", params.join(" ")));
                }
                written = true;
            }
            continue;
        }
        upstreams.push_str(line);
        upstreams.push('\n');
    }
    std::fs::write(dir.join("athlos/upstreams.conf"), upstreams).unwrap();
    std::fs::write(dir.join("athlos/headers.conf"), read("headers.conf")).unwrap();
}

// --- people -----------------------------------------------------------------

struct Person {
    tag: String,
    email: String,
    id: String,
    token: String,
    /// Idempotency key → the workout id an acknowledged write answered.
    acked: Mutex<BTreeMap<String, String>>,
}

/// Registers and logs in through nginx (the identity upstream).
async fn person(base: &str, tag: &str) -> Arc<Person> {
    let client = client_from(next_address());
    let email = unique_email(tag);
    let registered = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({ "email": email, "password": PASSWORD, "display_name": tag }))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 202, "{}", registered.text().await.unwrap());
    let login = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200, "{}", login.text().await.unwrap());
    let token = support::access(&login.json().await.unwrap());
    let me: Value =
        client.get(format!("{base}/api/v1/account")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    let id = me["id"].as_str().expect("an id").to_string();
    Arc::new(Person { tag: tag.into(), email, id, token, acked: Mutex::default() })
}

/// Every workout of the person through the API: title → ids.
async fn workouts_of(client: &reqwest::Client, base: &str, person: &Person) -> Result<Vec<(String, String)>, String> {
    let mut found = Vec::new();
    let mut path = "/api/v1/workouts?limit=100".to_string();
    loop {
        let page = client.get(format!("{base}{path}")).bearer_auth(&person.token).send().await;
        let page = page.map_err(|e| e.to_string())?;
        if page.status() != 200 {
            return Err(format!("GET {path}: {}", page.status()));
        }
        let page: Value = page.json().await.map_err(|e| e.to_string())?;
        for item in page["items"].as_array().unwrap() {
            found.push((item["title"].as_str().unwrap().to_string(), item["id"].as_str().unwrap().to_string()));
        }
        match page["next_cursor"].as_str() {
            Some(next) => path = format!("/api/v1/workouts?limit=100&cursor={next}"),
            None => return Ok(found),
        }
    }
}

/// The person's workouts are exactly the acknowledged keys, each once, each
/// with the id its acknowledgement named.
async fn assert_exactly_acknowledged(base: &str, person: &Person) -> usize {
    let client = client_from(next_address());
    let found = workouts_of(&client, base, person).await.expect("the workouts can be read");
    let acked = person.acked.lock().unwrap().clone();
    let mut by_title: HashMap<&str, Vec<&str>> = HashMap::new();
    for (title, id) in &found {
        by_title.entry(title).or_default().push(id);
    }
    let doubled: Vec<_> = by_title.iter().filter(|(_, ids)| ids.len() > 1).collect();
    assert!(doubled.is_empty(), "{}: writes stored twice: {doubled:?}", person.tag);
    let lost: Vec<_> = acked.keys().filter(|key| !by_title.contains_key(key.as_str())).collect();
    assert!(lost.is_empty(), "{}: acknowledged writes lost: {lost:?}", person.tag);
    let unacknowledged: Vec<_> = by_title.keys().filter(|title| !acked.contains_key(**title)).collect();
    assert!(unacknowledged.is_empty(), "{}: workouts nobody was told about: {unacknowledged:?}", person.tag);
    for (key, id) in &acked {
        assert_eq!(by_title[key.as_str()], [id.as_str()], "{}: {key} answered another id", person.tag);
    }
    assert_eq!(found.len(), acked.len());
    found.len()
}

// --- the load ---------------------------------------------------------------

const WINDOWS: [&str; 5] = ["steady", "replica killed", "worker killed", "both restarted", "draining"];

#[derive(Default)]
struct Stats {
    window: AtomicUsize,
    sent: [AtomicU64; 5],
    answered: [AtomicU64; 5],
    failed: Mutex<Vec<(usize, String)>>,
    writes_acked: AtomicU64,
    writes_retried: AtomicU64,
    /// Retries answered 200 with the first attempt's workout: that attempt
    /// was done although its answer never arrived.
    found_done_on_retry: AtomicU64,
}

impl Stats {
    fn enter(&self, window: usize) {
        self.window.store(window, Ordering::SeqCst);
    }

    fn sent(&self) {
        self.sent[self.window.load(Ordering::SeqCst)].fetch_add(1, Ordering::Relaxed);
    }

    fn answered(&self) {
        self.answered[self.window.load(Ordering::SeqCst)].fetch_add(1, Ordering::Relaxed);
    }

    fn failed(&self, what: String) {
        self.failed.lock().unwrap().push((self.window.load(Ordering::SeqCst), what));
    }

    fn failures_in(&self, window: usize) -> Vec<String> {
        self.failed.lock().unwrap().iter().filter(|(w, _)| *w == window).map(|(_, what)| what.clone()).collect()
    }

    fn total(counts: &[AtomicU64; 5]) -> u64 {
        counts.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }
}

/// A small GPX track, different for every `n`.
fn gpx(n: usize) -> Vec<u8> {
    let start = 1_717_225_200 + n as i64 * 3600; // 2024-06-01T07:00:00Z + n hours
    let points: String = (0..30)
        .map(|i| {
            let at = chrono_like(start + i * 5);
            format!(
                "<trkpt lat=\"{:.6}\" lon=\"{:.6}\"><ele>{}</ele><time>{at}</time></trkpt>",
                46.05 + i as f64 * 0.0001,
                14.50 + i as f64 * 0.0001,
                300 + i
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"replicas test\" \
         xmlns=\"http://www.topografix.com/GPX/1/1\"><trk><name>ride {n}</name><trkseg>{points}</trkseg></trk></gpx>\n"
    )
    .into_bytes()
}

/// Seconds since the epoch as RFC 3339 in UTC.
fn chrono_like(secs: i64) -> String {
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// Writes one workout with `key` until it is acknowledged, retrying with
/// the same key after each failure. Every fourth write is a GPX upload.
async fn write_until_acknowledged(
    client: &reqwest::Client,
    base: &str,
    person: &Person,
    stats: &Stats,
    tick: &mut tokio::time::Interval,
    n: usize,
) {
    let key = format!("{}-{n}", person.tag);
    let started = Instant::now();
    for attempt in 0.. {
        tick.tick().await;
        let request = client.post(format!("{base}/api/v1/workouts")).bearer_auth(&person.token);
        let request = request.header("Idempotency-Key", &key);
        let request = if n % 4 == 3 {
            let form = reqwest::multipart::Form::new()
                .text("sport", "cycling")
                .text("title", key.clone())
                .part("file", reqwest::multipart::Part::bytes(gpx(n)).file_name("ride.gpx"));
            request.multipart(form)
        } else {
            request.json(&json!({
                "sport": "running", "started_at": "2025-05-01T07:00:00Z", "duration_s": 1800 + n,
                "distance_m": 5000, "title": key,
            }))
        };
        stats.sent();
        if attempt > 0 {
            stats.writes_retried.fetch_add(1, Ordering::Relaxed);
        }
        match request.send().await {
            Ok(answer) if answer.status() == 201 || answer.status() == 200 => {
                let status = answer.status();
                let body: Value = match answer.json().await {
                    Ok(body) => body,
                    Err(e) => {
                        stats.failed(format!("POST /api/v1/workouts: body {e}"));
                        continue;
                    }
                };
                assert_eq!(body["title"], key.as_str(), "{body}");
                stats.answered();
                stats.writes_acked.fetch_add(1, Ordering::Relaxed);
                if status == 200 && attempt > 0 {
                    stats.found_done_on_retry.fetch_add(1, Ordering::Relaxed);
                }
                let id = body["id"].as_str().unwrap().to_string();
                let before = person.acked.lock().unwrap().insert(key.clone(), id.clone());
                assert!(before.is_none(), "{key} acknowledged twice");
                return;
            }
            Ok(answer) => {
                let status = answer.status();
                let body = answer.text().await.unwrap_or_default();
                assert!(
                    status.is_server_error() || status == 429,
                    "POST /api/v1/workouts ({key}) refused: {status} {body}"
                );
                stats.failed(format!("POST /api/v1/workouts: {status}"));
            }
            Err(e) => stats.failed(format!("POST /api/v1/workouts: {e}")),
        }
        assert!(started.elapsed() < PATIENCE, "{key} was never acknowledged");
    }
}

struct Load {
    stop: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
    http_tasks: usize,
}

impl Load {
    /// Per person: a writer (hand-logged workouts and GPX uploads, each with
    /// an Idempotency-Key) and a reader of the list.
    fn start(base: &str, people: &[Arc<Person>], stats: &Arc<Stats>) -> Self {
        let stop = CancellationToken::new();
        let mut tasks = Vec::new();
        for person in people {
            let (base, person, stats, stop) = (base.to_string(), person.clone(), stats.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                let client = client_from(next_address());
                let mut tick = pace(PACE);
                let mut n = 0;
                while !stop.is_cancelled() {
                    write_until_acknowledged(&client, &base, &person, &stats, &mut tick, n).await;
                    n += 1;
                }
            }));
        }
        for person in people {
            let (base, person, stats, stop) = (base.to_string(), person.clone(), stats.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                let client = client_from(next_address());
                let mut tick = pace(PACE);
                while !stop.is_cancelled() {
                    tick.tick().await;
                    stats.sent();
                    let read = client.get(format!("{base}/api/v1/workouts?limit=20")).bearer_auth(&person.token);
                    match read.send().await {
                        Ok(answer) if answer.status() == 200 => match answer.bytes().await {
                            Ok(_) => stats.answered(),
                            Err(e) => stats.failed(format!("GET /api/v1/workouts: body {e}")),
                        },
                        Ok(answer) => stats.failed(format!("GET /api/v1/workouts: {}", answer.status())),
                        Err(e) => stats.failed(format!("GET /api/v1/workouts: {e}")),
                    }
                }
            }));
        }
        let http_tasks = tasks.len();
        Self { stop, tasks, http_tasks }
    }

    /// Stops the load; each writer finishes (acknowledged) what it started.
    async fn stop(self) {
        self.stop.cancel();
        for task in self.tasks {
            task.await.expect("a load task failed");
        }
    }
}

// --- websocket clients --------------------------------------------------------

type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// One websocket client of a person: what it saw.
#[derive(Default)]
struct Listener {
    person: usize,
    subscribed: AtomicBool,
    /// Workout id → how many `WorkoutRecorded` named it.
    seen: Mutex<HashMap<String, u32>>,
    events: AtomicU64,
    connections: AtomicU64,
    resumed: AtomicU64,
    refetches: AtomicU64,
}

/// Opens the socket through nginx (a ticket first), subscribes to
/// `user:<id>` with `after` = the last event id seen, reads until the
/// socket ends, and does it all again, until told to stop.
fn listen(
    base: String,
    nginx: SocketAddr,
    person: Arc<Person>,
    listener: Arc<Listener>,
    stats: Arc<Stats>,
    stop: CancellationToken,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let address = next_address();
        let client = client_from(address);
        let topic = format!("user:{}", person.id);
        let mut last: Option<String> = None;
        let mut pause = pace(Duration::from_millis(100));
        while !stop.is_cancelled() {
            pause.tick().await;
            stats.sent();
            let ticket = client.post(format!("{base}/api/v1/realtime/ticket")).bearer_auth(&person.token).send().await;
            let ticket = match ticket {
                Ok(answer) if answer.status() == 201 => match answer.json::<Value>().await {
                    Ok(body) => body["ticket"].as_str().unwrap().to_string(),
                    Err(e) => {
                        stats.failed(format!("POST /api/v1/realtime/ticket: body {e}"));
                        continue;
                    }
                },
                Ok(answer) => {
                    stats.failed(format!("POST /api/v1/realtime/ticket: {}", answer.status()));
                    continue;
                }
                Err(e) => {
                    stats.failed(format!("POST /api/v1/realtime/ticket: {e}"));
                    continue;
                }
            };
            stats.answered();
            let mut socket = match open(address, nginx, &ticket).await {
                Ok(socket) => socket,
                Err(e) => {
                    stats.failed(format!("GET /api/v1/realtime: {e}"));
                    continue;
                }
            };
            listener.connections.fetch_add(1, Ordering::Relaxed);
            let subscribe = json!({ "type": "subscribe", "topic": topic, "after": last });
            if socket.send(Frame::text(subscribe.to_string())).await.is_err() {
                continue;
            }
            loop {
                let frame = tokio::select! {
                    _ = stop.cancelled() => return,
                    frame = socket.next() => frame,
                };
                let text = match frame {
                    Some(Ok(Frame::Text(text))) => text,
                    Some(Ok(Frame::Close(_))) | Some(Err(_)) | None => break,
                    Some(Ok(_)) => continue,
                };
                let message: Value = serde_json::from_str(&text).unwrap();
                match message["type"].as_str().unwrap() {
                    "subscribed" => {
                        if last.is_some() && message["resumed"] == true {
                            listener.resumed.fetch_add(1, Ordering::Relaxed);
                        }
                        listener.subscribed.store(true, Ordering::SeqCst);
                    }
                    // Resuming was not possible: read the state afresh.
                    "refetch" => {
                        listener.refetches.fetch_add(1, Ordering::Relaxed);
                        loop {
                            match workouts_of(&client, &base, &person).await {
                                Ok(all) => {
                                    let mut seen = listener.seen.lock().unwrap();
                                    for (_, id) in all {
                                        seen.entry(id).or_insert(0);
                                    }
                                    break;
                                }
                                Err(e) => stats.failed(format!("refetch: {e}")),
                            }
                            pause.tick().await;
                        }
                    }
                    "event" => {
                        last = Some(message["id"].as_str().unwrap().to_string());
                        if message["kind"] == "WorkoutRecorded" {
                            listener.events.fetch_add(1, Ordering::Relaxed);
                            let id = message["data"]["workout_id"].as_str().unwrap().to_string();
                            *listener.seen.lock().unwrap().entry(id).or_insert(0) += 1;
                        }
                    }
                    "refused" | "error" => panic!("the socket answered {message}"),
                    _ => {}
                }
            }
        }
    })
}

async fn open(address: IpAddr, nginx: SocketAddr, ticket: &str) -> Result<Socket, String> {
    let tcp = tokio::net::TcpSocket::new_v4().map_err(|e| e.to_string())?;
    tcp.bind(SocketAddr::new(address, 0)).map_err(|e| e.to_string())?;
    let stream = tcp.connect(nginx).await.map_err(|e| e.to_string())?;
    let url = format!("ws://{nginx}/api/v1/realtime?ticket={ticket}");
    let (mut socket, _) = tokio_tungstenite::client_async(url, stream).await.map_err(|e| e.to_string())?;
    let ready = tokio::time::timeout(Duration::from_secs(10), socket.next()).await.map_err(|e| e.to_string())?;
    match ready {
        Some(Ok(Frame::Text(text))) if text.contains("\"ready\"") => Ok(socket),
        other => Err(format!("no ready: {other:?}")),
    }
}

/// The acknowledged workouts a listener has not heard of.
fn missing(listener: &Listener, person: &Person) -> Vec<String> {
    let seen = listener.seen.lock().unwrap();
    person.acked.lock().unwrap().values().filter(|id| !seen.contains_key(*id)).cloned().collect()
}

/// Prints to the test's output (`println!`, shown with `--nocapture` or on a
/// failure) and straight to the process's stderr, which the test harness does
/// not capture: the counts show in every test log, passing or not.
macro_rules! report {
    ($($arg:tt)*) => {{
        let line = format!($($arg)*);
        println!("{line}");
        let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), format!("{line}\n").as_bytes());
    }};
}

fn requests_by_port(log: &str, ports: &[(&str, u16)]) -> String {
    ports
        .iter()
        .map(|(name, port)| {
            let needle = format!("127.0.0.1:{port}");
            format!("{name} {}", log.lines().filter(|line| line.contains(&needle)).count())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

// --- the tests ----------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_and_a_worker_are_killed_under_load_behind_nginx() {
    let _turn = SERIAL.lock().await;
    let Some(services) = services() else { return };
    let started = Instant::now();
    let deployment = Deployment::new(&services).await;
    let (port_a, port_b) = (free_port(), free_port());
    let mut a = deployment.serve("replica-a", port_a, None);
    serve_ready(&mut a, port_a).await; // migrates first
    let mut b = deployment.serve("replica-b", port_b, None);
    let mut worker = deployment.worker();
    serve_ready(&mut b, port_b).await;
    let _nginx = deployment.nginx(|_| vec![port_a, port_b]).await;
    let base = deployment.base();
    let nginx_addr: SocketAddr = format!("127.0.0.1:{}", deployment.nginx_port).parse().unwrap();
    report!("replicas: up behind nginx after {:.1}s", started.elapsed().as_secs_f64());

    let mut people = Vec::new();
    for tag in ["ana", "bo", "cy"] {
        people.push(person(&base, tag).await);
    }
    let stats = Arc::new(Stats::default());

    // Two sockets per person, through nginx (so spread over both replicas).
    let sockets_stop = CancellationToken::new();
    let mut listeners = Vec::new();
    let mut socket_tasks = Vec::new();
    for (i, person) in people.iter().enumerate() {
        for _ in 0..2 {
            let listener = Arc::new(Listener { person: i, ..Listener::default() });
            socket_tasks.push(listen(
                base.clone(),
                nginx_addr,
                person.clone(),
                listener.clone(),
                stats.clone(),
                sockets_stop.clone(),
            ));
            listeners.push(listener);
        }
    }
    eventually("every socket is subscribed", PATIENCE, || async {
        listeners.iter().all(|l| l.subscribed.load(Ordering::SeqCst))
    })
    .await;
    // A first workout each, heard by every socket: from here on each socket
    // has an event id to resume after.
    let warmup = client_from(next_address());
    let mut tick = pace(PACE);
    for person in &people {
        write_until_acknowledged(&warmup, &base, person, &stats, &mut tick, 100_000).await;
    }
    eventually("every socket heard the first workouts", PATIENCE, || async {
        listeners.iter().all(|l| missing(l, &people[l.person]).is_empty())
    })
    .await;

    let load = Load::start(&base, &people, &stats);
    let load_started = Instant::now();
    let http_tasks = load.http_tasks;
    let concurrent = http_tasks + listeners.len();
    let phase = Duration::from_secs(4);
    tokio::time::sleep(phase).await; // steady load: a fixed phase
    let served_before_kill = requests_by_port(&deployment.access_log(), &[("a", port_a), ("b", port_b)]);

    stats.enter(1);
    let killed_at = Instant::now();
    a.kill9();
    tokio::time::sleep(phase).await;

    stats.enter(2);
    worker.kill9();
    let worker_killed_ms = now_ms();
    // Mail-producing work while no worker runs: an export for each person,
    // and a newcomer's registration (the mail to confirm the address).
    let client = client_from(next_address());
    for person in &people {
        let export = client.post(format!("{base}/api/v1/account/exports")).bearer_auth(&person.token).json(&json!({}));
        let export = export.send().await.unwrap();
        assert_eq!(export.status(), 202, "{}", export.text().await.unwrap());
    }
    let newcomer = unique_email("newcomer");
    let registered = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({ "email": newcomer, "password": PASSWORD, "display_name": "New" }))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 202);
    tokio::time::sleep(phase).await;
    let mails_before_restart = mails_to(&deployment.outbox(), &newcomer).len()
        + people.iter().map(|p| mails_about(&deployment, p, EXPORT_MAIL)).sum::<usize>();

    stats.enter(3);
    let mut a = deployment.serve("replica-a", port_a, None);
    let mut worker_again = deployment.worker();
    serve_ready(&mut a, port_a).await;
    let restarted_after = killed_at.elapsed();
    tokio::time::sleep(phase).await;
    if let Some(status) = worker_again.exited() {
        panic!("the worker exited: {status}\n{}", worker_again.log_tail());
    }

    stats.enter(4);
    load.stop().await;
    let load_secs = load_started.elapsed().as_secs_f64();

    // Every acknowledged write is there exactly once.
    let mut stored = 0;
    for person in &people {
        stored += assert_exactly_acknowledged(&base, person).await;
    }
    // Every socket heard of every acknowledged workout (after resuming on
    // the survivor; a `refetch` re-reads through the API instead).
    eventually("every socket heard every acknowledged workout", PATIENCE, || async {
        listeners.iter().all(|l| missing(l, &people[l.person]).is_empty())
    })
    .await;
    sockets_stop.cancel();
    for task in socket_tasks {
        task.await.expect("a socket task failed");
    }
    // The work queued while the worker was gone is done: one export mail
    // each, the newcomer's mail, and no job left due, running or dead.
    let pool = sqlx::PgPool::connect(&deployment.db.url).await.unwrap();
    eventually("every job is done", PATIENCE, || async {
        let open: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE (state = 'queued' AND run_at <= $1) OR state = 'running'",
        )
        .bind(now_ms())
        .fetch_one(&pool)
        .await
        .unwrap();
        open == 0
    })
    .await;
    let since: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, state FROM jobs WHERE created_at >= $1 ORDER BY created_at")
            .bind(worker_killed_ms)
            .fetch_all(&pool)
            .await
            .unwrap();
    let dead: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE state = 'dead'").fetch_one(&pool).await.unwrap();
    pool.close().await;
    assert_eq!(dead, 0, "dead jobs");
    assert!(since.iter().all(|(_, state)| state == "done"), "jobs queued while the worker was gone: {since:?}");
    for person in &people {
        assert_eq!(mails_about(&deployment, person, EXPORT_MAIL), 1, "{}: one export mail", person.tag);
    }
    assert_eq!(mails_to(&deployment.outbox(), &newcomer).len(), 1, "the newcomer's mail");
    let mails_total = std::fs::read_dir(deployment.outbox()).unwrap().count();

    // The counts.
    let per_window = |counts: &[AtomicU64; 5]| {
        WINDOWS
            .iter()
            .zip(counts.iter())
            .map(|(w, c)| format!("{w} {}", c.load(Ordering::Relaxed)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sent = Stats::total(&stats.sent);
    let answered = Stats::total(&stats.answered);
    let failures: Vec<Vec<String>> = (0..WINDOWS.len()).map(|w| stats.failures_in(w)).collect();
    let events: u64 = listeners.iter().map(|l| l.events.load(Ordering::Relaxed)).sum();
    let doubled_events: u32 =
        listeners.iter().map(|l| l.seen.lock().unwrap().values().map(|n| n.saturating_sub(1)).sum::<u32>()).sum();
    let connections: u64 = listeners.iter().map(|l| l.connections.load(Ordering::Relaxed)).sum();
    let resumed: u64 = listeners.iter().map(|l| l.resumed.load(Ordering::Relaxed)).sum();
    let refetches: u64 = listeners.iter().map(|l| l.refetches.load(Ordering::Relaxed)).sum();
    report!(
        "replicas: load tasks {} HTTP + {} websockets, one request per task every {PACE:?} at most",
        http_tasks,
        listeners.len()
    );
    report!(
        "replicas: requests sent {sent} ({}), answered {answered}, ~{:.0}/s through nginx",
        per_window(&stats.sent),
        sent as f64 / load_secs
    );
    report!("replicas: requests nginx sent to each replica in the steady phase: {served_before_kill}");
    report!(
        "replicas: failed: {}",
        WINDOWS.iter().zip(&failures).map(|(w, f)| format!("{w} {}", f.len())).collect::<Vec<_>>().join(", ")
    );
    for (window, failed) in WINDOWS.iter().zip(&failures).filter(|(_, f)| !f.is_empty()) {
        report!("replicas:   {window}: {failed:?}");
    }
    report!(
        "replicas: writes acknowledged {} ({} retried attempts, {} found already done on retry), stored {stored}",
        stats.writes_acked.load(Ordering::Relaxed),
        stats.writes_retried.load(Ordering::Relaxed),
        stats.found_done_on_retry.load(Ordering::Relaxed),
    );
    report!(
        "replicas: websockets: {} WorkoutRecorded events delivered ({doubled_events} repeated), {connections} connections \
         ({} reconnects, {resumed} resumed with after, {refetches} refetches)",
        events,
        connections - listeners.len() as u64,
    );
    report!(
        "replicas: mails delivered {mails_total} ({mails_before_restart} while the worker was gone; {} export + 1 newcomer after), jobs since the worker's kill: {}",
        people.len(),
        since.len()
    );
    report!(
        "replicas: replica a back {:.1}s after its kill; whole test {:.1}s",
        restarted_after.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );

    // Only requests in flight on the killed replica may fail: at most one
    // per load task (each has one request at a time), and nothing in the
    // other windows (the worker serves no HTTP; nginx skips a dead server).
    assert!(
        failures[1].len() <= concurrent,
        "{} failures while a replica died, more than the {concurrent} requests that could be in flight",
        failures[1].len()
    );
    for window in [0, 2, 3, 4] {
        assert!(failures[window].is_empty(), "failures in the {} window: {:?}", WINDOWS[window], failures[window]);
    }
    assert_eq!(mails_before_restart, 0, "no mail went out while no worker ran");
    drop(b);
}

const EXPORT_MAIL: &str = "Your Athlos data is ready";

fn mails_about(deployment: &Deployment, person: &Person, about: &str) -> usize {
    mails_to(&deployment.outbox(), &person.email).iter().filter(|mail| mail.contains(about)).count()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn modules_apart_behind_nginx_survive_the_training_process_being_killed() {
    let _turn = SERIAL.lock().await;
    let Some(services) = services() else { return };
    let started = Instant::now();
    let deployment = Deployment::new(&services).await;
    let (port_identity, port_training) = (free_port(), free_port());
    let mut identity = deployment.serve("identity", port_identity, Some("identity,notifications"));
    serve_ready(&mut identity, port_identity).await; // migrates first
    let rest = "training,inventory,social,competition,partners";
    let mut training = deployment.serve("training", port_training, Some(rest));
    let _worker = deployment.worker();
    serve_ready(&mut training, port_training).await;
    let _nginx = deployment
        .nginx(|upstream| match upstream {
            "athlos_identity" | "athlos_notifications" => vec![port_identity],
            "athlos_web" => vec![port_identity, port_training],
            _ => vec![port_training],
        })
        .await;
    let base = deployment.base();

    let mut people = Vec::new();
    for tag in ["dee", "eli"] {
        people.push(person(&base, tag).await);
    }
    let stats = Arc::new(Stats::default());
    let load = Load::start(&base, &people, &stats);
    let phase = Duration::from_secs(3);
    tokio::time::sleep(phase).await;

    stats.enter(1);
    training.kill9();
    let killed_at = Instant::now();
    tokio::time::sleep(phase).await;
    let mut training = deployment.serve("training", port_training, Some(rest));
    serve_ready(&mut training, port_training).await;
    let outage = killed_at.elapsed();
    stats.enter(3);
    tokio::time::sleep(phase).await;
    stats.enter(4);
    load.stop().await;

    let mut stored = 0;
    for person in &people {
        stored += assert_exactly_acknowledged(&base, person).await;
    }
    // nginx routed each module to its process.
    let log = deployment.access_log();
    let routed = |path: &str, port: u16| {
        let lines: Vec<&str> = log.lines().filter(|l| l.contains(path)).collect();
        assert!(!lines.is_empty(), "no request to {path} in the access log");
        let elsewhere: Vec<&&str> =
            lines.iter().filter(|l| !l.contains(&format!("upstream=127.0.0.1:{port}"))).collect();
        // The only others are nginx's own 503 while the process was down (no upstream).
        assert!(elsewhere.iter().all(|l| l.contains("\" 503 ")), "{path} routed elsewhere: {elsewhere:?}");
        lines.len()
    };
    let to_identity = routed("/api/v1/auth/", port_identity) + routed("/api/v1/account", port_identity);
    let to_training = routed("/api/v1/workouts", port_training);

    let sent = Stats::total(&stats.sent);
    let failures: Vec<Vec<String>> = (0..WINDOWS.len()).map(|w| stats.failures_in(w)).collect();
    report!(
        "modules apart: requests sent {sent}, answered {}, identity upstream {to_identity}, training upstream {to_training}",
        Stats::total(&stats.answered)
    );
    report!(
        "modules apart: failed: before the kill {}, while training was down ({:.1}s) {}, after its restart {}",
        failures[0].len(),
        outage.as_secs_f64(),
        failures[1].len(),
        failures[3].len() + failures[4].len()
    );
    report!(
        "modules apart: writes acknowledged {} ({} retried attempts, {} found already done on retry), stored {stored}; {:.1}s",
        stats.writes_acked.load(Ordering::Relaxed),
        stats.writes_retried.load(Ordering::Relaxed),
        stats.found_done_on_retry.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
    assert!(failures[0].is_empty(), "{:?}", failures[0]);
    assert!(failures[3].is_empty() && failures[4].is_empty(), "after the restart: {:?} {:?}", failures[3], failures[4]);
    drop(identity);
}
