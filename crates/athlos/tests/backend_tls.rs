//! TLS from Athlos to its backends, end to end, against servers this test
//! starts with certificates of a private authority it makes on the spot:
//!
//! - PostgreSQL (a private instance that takes `hostssl` connections only):
//!   `sslmode=verify-full&sslrootcert=…` carries a real round trip over TLS;
//!   `sslmode=disable` is refused by the server; a CA that did not sign the
//!   server's certificate stops the start with the reason.
//! - Redis (a private `redis-server` with a TLS port only) as `rediss://` and
//!   RabbitMQ (the shared broker behind a TLS-terminating proxy of the test)
//!   as `amqps://`, each as the event bus and as the realtime fan-out: an
//!   event reaches its consumer and a message crosses two replicas.
//!
//! The clients trust the system's roots, and `SSL_CERT_FILE` names others:
//! that variable is process-wide, so these tests live in a binary of their
//! own and take turns ([`SERIAL`]).

mod support;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::SinkExt;
use serde_json::{json, Value};
use support::bus::Bus;
use support::socket::next_message;
use support::{eventually, Backend, TestApp, TestEnv};
use tokio_tungstenite::tungstenite::Message as Frame;

const PATIENCE: Duration = Duration::from_secs(20);

/// One test at a time: `SSL_CERT_FILE` is the process's.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A tool this test needs is not here: fails under `CI=true`, else skips loudly.
fn missing(what: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{what} is required under CI; run the suite with scripts/test");
    }
    eprintln!("skipped: {what} is not available; run the suite with scripts/test");
}

fn openssl(dir: &Path, fixed: &str, args: &[&str]) -> bool {
    match Command::new("openssl").current_dir(dir).args(fixed.split_whitespace()).args(args).output() {
        Ok(out) if out.status.success() => true,
        Ok(out) => panic!("openssl {fixed} {args:?}: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => false,
    }
}

/// A certificate authority of the test's own, in `dir`.
struct Authority {
    dir: PathBuf,
    name: String,
}

impl Authority {
    /// `<dir>/<name>.pem` and `.key`; none when there is no `openssl`.
    fn new(dir: &Path, name: &str) -> Option<Self> {
        let (subject, key, pem) = (format!("/CN=Athlos test {name}"), format!("{name}.key"), format!("{name}.pem"));
        let made = openssl(
            dir,
            "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
             -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign",
            &["-subj", &subject, "-keyout", &key, "-out", &pem],
        );
        if !made {
            missing("openssl (to make the test's certificates)");
            return None;
        }
        Some(Self { dir: dir.to_path_buf(), name: name.into() })
    }

    fn pem(&self) -> PathBuf {
        self.dir.join(format!("{}.pem", self.name))
    }

    /// A server certificate for 127.0.0.1 and localhost signed by this
    /// authority: its certificate and key files.
    fn issue(&self, server: &str) -> (PathBuf, PathBuf) {
        let ext = self.dir.join(format!("{server}.ext"));
        std::fs::write(
            &ext,
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\n\
             keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        let (key, csr, pem) = (format!("{server}.key"), format!("{server}.csr"), format!("{server}.pem"));
        let new = "req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost";
        assert!(openssl(&self.dir, new, &["-keyout", &key, "-out", &csr]));
        let (ca, ca_key, serial) = (self.pem(), format!("{}.key", self.name), format!("{}.srl", self.name));
        let (ca, ext) = (ca.to_str().unwrap(), ext.to_str().unwrap());
        let sign = ["-in", &csr, "-CA", ca, "-CAkey", &ca_key, "-CAserial", &serial, "-extfile", ext, "-out", &pem];
        assert!(openssl(&self.dir, "x509 -req -days 2 -CAcreateserial", &sign));
        (self.dir.join(pem), self.dir.join(key))
    }

    /// Makes this authority the only one the process's clients trust by
    /// default (rustls-native-certs reads `SSL_CERT_FILE`). Callers hold [`SERIAL`].
    fn trust_process_wide(&self) {
        std::env::set_var("SSL_CERT_FILE", self.pem());
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A child process that is killed when the test lets go of it.
struct Process {
    child: Child,
    log: PathBuf,
}

impl Process {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Fails the test with the process's log if it has ended.
    fn assert_running(&mut self, what: &str) {
        if let Some(status) = self.child.try_wait().unwrap() {
            panic!("{what} ended ({status}):\n{}", self.log());
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // SIGQUIT: PostgreSQL's immediate shutdown (it takes its backends and
        // shared memory with it); Redis ends on it too. SIGKILL if it lingers.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGQUIT) };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// --- PostgreSQL --------------------------------------------------------------

/// The newest PostgreSQL server binaries on the machine (Debian's layout, or PATH).
fn postgres_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin): &(u32, PathBuf)| bin.join("initdb").is_file() && bin.join("postgres").is_file())
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find(|dir| dir.join("initdb").is_file() && dir.join("postgres").is_file())
}

/// PostgreSQL will not run as root: then it runs as the `postgres` user.
fn postgres_user() -> Option<Option<(u32, u32)>> {
    if unsafe { libc::geteuid() } != 0 {
        return Some(None);
    }
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, "postgres"]).output().ok()?;
        String::from_utf8(out.stdout).ok()?.trim().parse().ok()
    };
    Some(Some((id("-u")?, id("-g")?)))
}

/// A private PostgreSQL that takes TLS connections from 127.0.0.1 only.
struct PrivatePostgres {
    port: u16,
    _process: Process,
    _dir: tempfile::TempDir,
}

impl PrivatePostgres {
    async fn start(authority: &Authority) -> Option<Self> {
        let Some(bin) = postgres_bin() else {
            missing("PostgreSQL's server binaries (initdb, postgres)");
            return None;
        };
        let Some(user) = postgres_user() else {
            missing("the `postgres` OS user (PostgreSQL does not run as root)");
            return None;
        };
        use std::os::unix::process::CommandExt;
        let as_user = |command: &mut Command| {
            if let Some((uid, gid)) = user {
                command.uid(uid).gid(gid);
            }
        };
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = authority.issue("postgres");
        let data = dir.path().join("data");
        let (server_cert, server_key) = (dir.path().join("server.crt"), dir.path().join("server.key"));
        std::fs::copy(&cert, &server_cert).unwrap();
        std::fs::copy(&key, &server_key).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&server_key, std::fs::Permissions::from_mode(0o600)).unwrap();
        if let Some((uid, gid)) = user {
            for path in [dir.path(), &server_cert, &server_key] {
                std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
            }
        }

        let mut initdb = Command::new(bin.join("initdb"));
        initdb.arg("-D").arg(&data).args(["-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
        initdb.current_dir(dir.path()).env("LC_ALL", "C");
        as_user(&mut initdb);
        let out = initdb.output().expect("initdb runs");
        assert!(
            out.status.success(),
            "initdb: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        // TLS or nothing: no `host` line, no `local` line.
        std::fs::write(data.join("pg_hba.conf"), "hostssl all all 127.0.0.1/32 trust\n").unwrap();

        let port = free_port();
        let log = dir.path().join("postgres.log");
        let mut postgres = Command::new(bin.join("postgres"));
        postgres.arg("-D").arg(&data).args(["-p", &port.to_string()]);
        for setting in [
            "listen_addresses=127.0.0.1".to_string(),
            format!("unix_socket_directories={}", dir.path().display()),
            "ssl=on".into(),
            format!("ssl_cert_file={}", server_cert.display()),
            format!("ssl_key_file={}", server_key.display()),
            "fsync=off".into(),
            "full_page_writes=off".into(),
        ] {
            postgres.args(["-c", &setting]);
        }
        postgres.current_dir(dir.path()).env("LC_ALL", "C").stdin(Stdio::null());
        postgres.stdout(std::fs::File::create(&log).unwrap()).stderr(std::fs::File::create(&log).unwrap());
        as_user(&mut postgres);
        let child = postgres.spawn().expect("postgres starts");
        let mut process = Process { child, log };

        // Ready when it answers a TLS connection (unverified: only a probe).
        let probe = format!("postgres://postgres@127.0.0.1:{port}/postgres?sslmode=require");
        let started = Instant::now();
        loop {
            process.assert_running("the private PostgreSQL");
            use sqlx::Connection;
            if let Ok(conn) = sqlx::PgConnection::connect(&probe).await {
                let _ = conn.close().await;
                break;
            }
            assert!(started.elapsed() < PATIENCE, "the private PostgreSQL did not come up:\n{}", process.log());
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        Some(Self { port, _process: process, _dir: dir })
    }

    fn url(&self, query: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres?{query}", self.port)
    }
}

/// What `athlos::server::start` says about `database_url` when it fails.
async fn start_fails_on(database_url: String) -> String {
    let env = TestEnv::new(Backend::Sqlite).await;
    let mut config = env.config();
    config.database_url = Some(database_url);
    config.database_connect_timeout_secs = 1;
    let failed = athlos::server::start(config, &Default::default()).await.err().expect("the start fails");
    format!("{failed:#}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_verify_full_carries_a_real_round_trip_over_tls() {
    let _turn = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let Some(database_ca) = Authority::new(dir.path(), "database-ca") else { return };
    // The process trusts another authority: only `sslrootcert` vouches for the server.
    let elsewhere = Authority::new(dir.path(), "elsewhere-ca").unwrap();
    elsewhere.trust_process_wide();
    let Some(postgres) = PrivatePostgres::start(&database_ca).await else { return };

    let url = postgres.url(&format!("sslmode=verify-full&sslrootcert={}", database_ca.pem().display()));
    let app = TestApp::spawn_with(Backend::Sqlite, move |config| config.database_url = Some(url)).await;
    let (token, _) = app.someone("tls").await;
    let body =
        json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "duration_s": 1800, "distance_m": 5000.0 });
    let logged = app.post_as(&token, "/api/v1/workouts", body).await;
    assert_eq!(logged.status(), 201, "{}", logged.text().await.unwrap());
    let id = logged.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let read: Value = app.get_as(&token, &format!("/api/v1/workouts/{id}")).await.json().await.unwrap();
    assert_eq!(read["distance_m"], 5000.0, "{read}");

    // The server's own word: every connection of the app's pool is TLS.
    let pool = app.server.platform.db.pool();
    let (ssl, version): (bool, String) =
        sqlx::query_as("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(pool)
            .await
            .unwrap();
    assert!(ssl, "the app's connection is not encrypted");
    let plain: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
         WHERE a.backend_type = 'client backend' AND NOT s.ssl",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(plain, 0, "a client connection without TLS");
    let workouts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM workouts").fetch_one(pool).await.unwrap();
    assert_eq!(workouts, 1, "the workout is in the private PostgreSQL");
    eprintln!("PostgreSQL over {version}: registered, logged in, logged and read a workout");
    drop(app);
    drop(postgres);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_refuses_plain_and_athlos_refuses_a_server_its_ca_did_not_sign() {
    let _turn = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let Some(database_ca) = Authority::new(dir.path(), "database-ca") else { return };
    let elsewhere = Authority::new(dir.path(), "elsewhere-ca").unwrap();
    let stranger = Authority::new(dir.path(), "stranger-ca").unwrap();
    elsewhere.trust_process_wide();
    let Some(postgres) = PrivatePostgres::start(&database_ca).await else { return };

    // Without TLS the server (hostssl only) turns the connection away.
    let plain = start_fails_on(postgres.url("sslmode=disable")).await;
    eprintln!("sslmode=disable: {plain}");
    assert!(plain.contains("no encryption"), "{plain}");
    assert!(plain.contains("ATHLOS_DATABASE_URL"), "{plain}");

    // With TLS but a CA that did not sign the server's certificate: no start.
    let url = postgres.url(&format!("sslmode=verify-full&sslrootcert={}", stranger.pem().display()));
    let untrusted = start_fails_on(url).await;
    eprintln!("verify-full with a stranger CA: {untrusted}");
    assert!(untrusted.contains("certificate"), "{untrusted}");
    assert!(untrusted.contains("UnknownIssuer") || untrusted.contains("unknown issuer"), "{untrusted}");
    assert!(untrusted.contains("ATHLOS_DATABASE_URL"), "{untrusted}");
    drop(postgres);
}

// --- Redis and RabbitMQ ------------------------------------------------------

/// A private `redis-server` listening with TLS only (`--port 0`).
struct PrivateRedis {
    port: u16,
    _process: Process,
    _dir: tempfile::TempDir,
}

impl PrivateRedis {
    async fn start(authority: &Authority) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = authority.issue("redis");
        let port = free_port();
        let log = dir.path().join("redis.log");
        let mut redis = Command::new("redis-server");
        redis.args(["--port", "0", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        redis.args(["--tls-port", &port.to_string(), "--tls-auth-clients", "no"]);
        redis.arg("--tls-cert-file").arg(&cert).arg("--tls-key-file").arg(&key);
        redis.arg("--tls-ca-cert-file").arg(authority.pem()).arg("--dir").arg(dir.path());
        redis
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::fs::File::create(&log).unwrap());
        let Ok(child) = redis.spawn() else {
            missing("redis-server (for a private Redis with TLS)");
            return None;
        };
        let mut process = Process { child, log };
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            process.assert_running("the private redis-server (built without TLS?)");
            assert!(started.elapsed() < PATIENCE, "the private redis-server did not come up:\n{}", process.log());
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        Some(Self { port, _process: process, _dir: dir })
    }

    fn url(&self) -> String {
        format!("rediss://127.0.0.1:{}/", self.port)
    }
}

/// TLS in front of the shared RabbitMQ: terminates with the product's own
/// listener ([`platform::http::tls::TlsListener`]) and forwards the bytes.
/// Only a completed handshake reaches the broker.
struct TlsProxy {
    addr: SocketAddr,
    handshakes: Arc<AtomicUsize>,
    stop: tokio_util::sync::CancellationToken,
    accept: tokio::task::AbortHandle,
}

impl TlsProxy {
    async fn start(authority: &Authority, target: String) -> Self {
        use axum::serve::Listener;
        use platform::http::tls::{TlsFiles, TlsListener};
        let (cert, key) = authority.issue("amqp");
        let files = TlsFiles { cert, key };
        let first = files.load().expect("the proxy's certificate");
        let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = tcp.local_addr().unwrap();
        let stop = tokio_util::sync::CancellationToken::new();
        let mut listener = TlsListener::start(tcp, files, first, stop.clone());
        let handshakes = Arc::new(AtomicUsize::new(0));
        let counted = handshakes.clone();
        let accept = tokio::spawn(async move {
            loop {
                let (mut inbound, _) = listener.accept().await;
                counted.fetch_add(1, Ordering::SeqCst);
                let target = target.clone();
                tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        })
        .abort_handle();
        Self { addr, handshakes, stop, accept }
    }
}

impl Drop for TlsProxy {
    fn drop(&mut self) {
        self.stop.cancel();
        self.accept.abort();
    }
}

/// The shared RabbitMQ's URL, as `amqps://` through `proxy`.
fn amqps_through(proxy: &TlsProxy) -> String {
    let plain = Bus::RabbitMq.url_through(proxy.addr).expect("a broker URL");
    plain.replacen("amqp://", "amqps://", 1)
}

/// An app whose event bus is `bus_url` and realtime fan-out `realtime_url`.
async fn app_on(bus_url: String, realtime_url: String, namespace: String) -> TestApp {
    TestApp::spawn_with(Backend::Sqlite, move |config| {
        config.bus_url = Some(bus_url);
        config.realtime_url = Some(realtime_url);
        config.bus_namespace = namespace;
        config.relay_poll_ms = 20;
        config.event_retry_base_ms = 10;
    })
    .await
}

/// A workout with shoes: the shoes' usage grows only when the workout's
/// event has gone through the bus to the inventory's consumer.
async fn an_event_reaches_its_consumer_over_the_bus(app: &TestApp) {
    let (token, _) = app.someone("tls").await;
    let shoes = app.post_as(&token, "/api/v1/equipment", json!({ "kind": "shoes", "nickname": "Daily" })).await;
    assert_eq!(shoes.status(), 201, "{}", shoes.text().await.unwrap());
    let shoes = shoes.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let body = json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "duration_s": 1800,
        "distance_m": 5000.0, "equipment_ids": [shoes] });
    let logged = app.post_as(&token, "/api/v1/workouts", body).await;
    assert_eq!(logged.status(), 201, "{}", logged.text().await.unwrap());
    eventually("the workout's event reaches the inventory over the bus", PATIENCE, || async {
        let items: Value = app.get_as(&token, "/api/v1/equipment?state=all").await.json().await.unwrap();
        items.as_array().unwrap().iter().any(|i| i["id"] == shoes.as_str() && i["usage"]["distance_m"] == 5000.0)
    })
    .await;
    // The relay counts a batch after marking it published, which can be
    // after the consumer has handled it.
    eventually("the relay counts what it published", PATIENCE, || async {
        support::bus::published(&app.server.platform) > 0
    })
    .await;
}

/// A second replica on the same fan-out: a message published on `a`
/// reaches a socket open on the other.
async fn a_message_crosses_replicas(a: &TestApp, realtime_url: String, namespace: String) {
    let mut config = a.env.config();
    config.public_url = Some(a.server.url());
    config.realtime_url = Some(realtime_url);
    config.bus_namespace = namespace;
    let b =
        athlos::server::start(config, &athlos::cli::ServeArgs { no_worker: true, ..Default::default() }).await.unwrap();
    let (token, id) = a.someone("live").await;
    let issued = a.client.post(format!("http://{}/api/v1/realtime/ticket", b.addr)).bearer_auth(&token).send().await;
    let issued: Value = issued.unwrap().json().await.unwrap();
    let url = format!("ws://{}/api/v1/realtime?ticket={}", b.addr, issued["ticket"].as_str().unwrap());
    let (mut on_b, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    assert_eq!(next_message(&mut on_b).await["type"], "ready");
    let topic = format!("user:{id}");
    on_b.send(Frame::text(json!({ "type": "subscribe", "topic": topic }).to_string())).await.unwrap();
    assert_eq!(next_message(&mut on_b).await["type"], "subscribed");
    // B's fan-out listener may still be connecting: publish until one arrives.
    let arrived = async {
        loop {
            a.server.platform.realtime.publish(&topic, "Tick", json!("over TLS")).await;
            if let Ok(message) = tokio::time::timeout(Duration::from_millis(200), next_message(&mut on_b)).await {
                return message;
            }
        }
    };
    let message = tokio::time::timeout(PATIENCE, arrived).await.expect("a message across replicas");
    assert_eq!(message["data"], "over TLS");
    b.stop().await.unwrap();
}

fn namespace() -> String {
    format!("test-{}", uuid::Uuid::now_v7().simple())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bus_on_amqps_and_realtime_on_rediss() {
    let _turn = SERIAL.lock().await;
    let Some(amqp) = Bus::RabbitMq.address() else { return };
    let dir = tempfile::tempdir().unwrap();
    let Some(ca) = Authority::new(dir.path(), "broker-ca") else { return };
    ca.trust_process_wide();
    let Some(redis) = PrivateRedis::start(&ca).await else { return };
    let proxy = TlsProxy::start(&ca, amqp).await;

    let ns = namespace();
    let app = app_on(amqps_through(&proxy), redis.url(), ns.clone()).await;
    an_event_reaches_its_consumer_over_the_bus(&app).await;
    a_message_crosses_replicas(&app, redis.url(), ns).await;
    let handshakes = proxy.handshakes.load(Ordering::SeqCst);
    eprintln!("amqps bus: {handshakes} TLS connections through the proxy; rediss realtime on a TLS-only redis-server");
    assert!(handshakes >= 1, "the bus never connected through TLS");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bus_on_rediss_and_realtime_on_amqps() {
    let _turn = SERIAL.lock().await;
    let Some(amqp) = Bus::RabbitMq.address() else { return };
    let dir = tempfile::tempdir().unwrap();
    let Some(ca) = Authority::new(dir.path(), "broker-ca") else { return };
    ca.trust_process_wide();
    let Some(redis) = PrivateRedis::start(&ca).await else { return };
    let proxy = TlsProxy::start(&ca, amqp).await;

    let ns = namespace();
    let app = app_on(redis.url(), amqps_through(&proxy), ns.clone()).await;
    an_event_reaches_its_consumer_over_the_bus(&app).await;
    a_message_crosses_replicas(&app, amqps_through(&proxy), ns).await;
    let handshakes = proxy.handshakes.load(Ordering::SeqCst);
    eprintln!("rediss bus on a TLS-only redis-server; amqps realtime: {handshakes} TLS connections through the proxy");
    assert!(handshakes >= 2, "both replicas' fan-out connect through TLS, saw {handshakes}");
}
