//! What the integration tests share: a fresh database per test on either
//! backend, a server started in-process on it, and the real S3 and SMTP
//! servers that `scripts/test` starts.
#![allow(dead_code)]

pub mod authenticator;
pub mod bus;
pub mod proxy;
pub mod socket;

use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use athlos::cli::ServeArgs;
use athlos::server::RunningServer;
use platform::config::Config;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each named `async fn(Backend)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_every_database {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::support::Backend::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if $crate::support::service("TEST_POSTGRES_URL", "PostgreSQL").is_none() { return; }
                super::$name($crate::support::Backend::Postgres).await
            })*
        }
    };
}

/// The address of a service `scripts/test` started. Outside CI a missing one
/// skips the test with a note; under `CI=true` it fails it.
pub fn service(var: &str, what: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(value) if !value.is_empty() => Some(value),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{what} is required under CI but {var} is not set; run the suite with scripts/test")
        }
        _ => {
            eprintln!("skipped: {what} is not available ({var} unset); run the suite with scripts/test");
            None
        }
    }
}

/// A database of its own for one test, dropped when the test ends.
pub struct TestDatabase {
    pub url: String,
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    pub async fn new(backend: Backend, dir: &std::path::Path) -> Self {
        match backend {
            Backend::Sqlite => {
                Self { url: format!("sqlite://{}?mode=rwc", dir.join("test.db").display()), postgres: None }
            }
            Backend::Postgres => {
                let admin = service("TEST_POSTGRES_URL", "PostgreSQL").expect("PostgreSQL");
                let name = format!("athlos_t_{}", uuid::Uuid::now_v7().simple());
                run_sql(&admin, &format!("CREATE DATABASE {name}")).await;
                let mut url = url::Url::parse(&admin).expect("TEST_POSTGRES_URL is a URL");
                url.set_path(&name);
                Self { url: url.to_string(), postgres: Some((admin, name)) }
            }
        }
    }
}

async fn run_sql(url: &str, sql: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await.expect("connect to the test PostgreSQL");
    sqlx::query(sql).execute(&mut conn).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = conn.close().await;
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.postgres.take() {
            // Drop runs outside async; a thread with its own runtime does the I/O.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(run_sql(&admin, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")));
            })
            .join();
        }
    }
}

/// A configuration for a test: its own data folder and database, quick job
/// retries, everything else at the defaults.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
    pub db: TestDatabase,
    pub backend: Backend,
}

impl TestEnv {
    pub async fn new(backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = TestDatabase::new(backend, dir.path()).await;
        Self { dir, db, backend }
    }

    pub fn config(&self) -> Config {
        Config {
            data_dir: self.dir.path().join("data"),
            listen: "127.0.0.1:0".parse().unwrap(),
            database_url: Some(self.db.url.clone()),
            database_connect_timeout_secs: 5,
            job_retry_base_ms: 10,
            job_poll_ms: 20,
            log: "warn".into(),
            ..Config::default()
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The environment that makes a child `athlos` process use this test's data.
    pub fn child_env(&self) -> Vec<(String, String)> {
        vec![
            ("ATHLOS_DATA_DIR".into(), self.data_dir().display().to_string()),
            ("ATHLOS_DATABASE_URL".into(), self.db.url.clone()),
            ("ATHLOS_JOB_POLL_MS".into(), "20".into()),
            ("ATHLOS_LOG".into(), "warn".into()),
        ]
    }
}

/// A running server on a test's own database, talking HTTP on a free port.
pub struct TestApp {
    pub env: TestEnv,
    pub server: RunningServer,
    pub client: reqwest::Client,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Self {
        Self::spawn_with_args(backend, adjust, ServeArgs::default()).await
    }

    /// A server whose files go to a fresh bucket of the test S3 server;
    /// none when there is no such server (outside CI).
    pub async fn spawn_on_s3(backend: Backend) -> Option<Self> {
        let mut s3 = Config::default();
        if !use_s3(&mut s3).await {
            return None;
        }
        let app = Self::spawn_with(backend, move |config| {
            config.s3_endpoint = s3.s3_endpoint;
            config.s3_bucket = s3.s3_bucket;
            config.s3_access_key_id = s3.s3_access_key_id;
            config.s3_secret_access_key = s3.s3_secret_access_key;
        });
        Some(app.await)
    }

    /// A server that runs no jobs until the test starts a worker with [`TestApp::start_worker`].
    pub async fn spawn_without_worker(backend: Backend) -> Self {
        Self::spawn_with_args(backend, |_| {}, ServeArgs { no_worker: true, ..ServeArgs::default() }).await
    }

    pub async fn spawn_with_args(backend: Backend, adjust: impl FnOnce(&mut Config), args: ServeArgs) -> Self {
        let env = TestEnv::new(backend).await;
        let mut config = env.config();
        adjust(&mut config);
        let server = athlos::server::start(config, &args).await.expect("server starts");
        let client = reqwest::Client::builder().no_gzip().build().unwrap();
        Self { env, server, client }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    /// Starts a worker running every job of this build until the test ends.
    pub fn start_worker(&self) {
        let handlers = self.server.contexts.job_handlers(&self.server.platform);
        let worker = self.server.platform.worker(handlers);
        tokio::spawn(worker.run(tokio_util::sync::CancellationToken::new()));
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }
}

/// Points `config` at a fresh bucket of the test S3 server; false when
/// there is none (outside CI).
pub async fn use_s3(config: &mut Config) -> bool {
    let Some(endpoint) = service("TEST_S3_ENDPOINT", "the test S3 server") else { return false };
    let bucket = format!("athlos-{}", uuid::Uuid::now_v7().simple());
    // moto creates buckets on an unsigned PUT.
    let created = reqwest::Client::new().put(format!("{endpoint}/{bucket}")).send().await.unwrap();
    assert!(created.status().is_success(), "creating bucket: {}", created.status());
    config.s3_endpoint = Some(endpoint);
    config.s3_bucket = Some(bucket);
    config.s3_access_key_id = Some("test".into());
    config.s3_secret_access_key = Some("test".into());
    true
}

/// Waits until `check` holds, polling, or fails the test after `limit`.
pub async fn eventually<F, Fut>(what: &str, limit: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < limit, "{what} did not happen within {limit:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until every notice asked for the person so far has been handled
/// (kept, or dropped): a person's notices are handled in the order they were
/// asked, so once a marker asked now is in their list, nothing asked before
/// it is still on its way. Lets a test count notices, or their absence.
pub async fn notices_settled(app: &TestApp, token: &str, user_id: &str) {
    let marker = uuid::Uuid::now_v7().to_string();
    let notice = platform::notify::Notice {
        user_id,
        kind: "test_marker",
        subject_id: None,
        actor_id: None,
        title: &marker,
        data: serde_json::json!({}),
    };
    ask_notice(app, &notice).await;
    eventually("the notices asked so far are handled", Duration::from_secs(60), || async {
        let page: serde_json::Value = app.get_as(token, "/api/v1/notifications?limit=20").await.json().await.unwrap();
        page["items"].as_array().unwrap().iter().any(|n| n["title"] == marker.as_str())
    })
    .await;
}

/// Asks for a notice in a transaction of its own, as any context would.
pub async fn ask_notice(app: &TestApp, notice: &platform::notify::Notice<'_>) {
    let mut tx = app.server.platform.db.begin().await.unwrap();
    platform::notify::request(&mut tx, notice).await.unwrap();
    tx.commit().await.unwrap();
}

/// The mails in `folder` sent to `to`, decoded from quoted-printable.
pub fn mails_to(folder: &std::path::Path, to: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut found: Vec<(std::time::SystemTime, String)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, std::fs::read_to_string(e.path()).ok()?)))
        .map(|(at, raw)| (at, decode_quoted_printable(&raw)))
        .filter(|(_, text)| text.lines().any(|l| l.starts_with("To: ") && l.contains(to)))
        .collect();
    found.sort();
    found.into_iter().map(|(_, text)| text).collect()
}

fn decode_quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The token in a link `…?token=<43 characters>` of a mail.
pub fn token_in(mail: &str) -> String {
    let start = mail.find("token=").expect("a link with a token") + "token=".len();
    mail[start..start + 43].to_string()
}

/// Waits for the `n`-th mail to `to` in `folder` and returns it.
/// The newest mail to `to` whose text contains `about` (a subject line),
/// whatever order the worker delivered the mails in.
pub async fn wait_for_mail_about(folder: &std::path::Path, to: &str, about: &str) -> String {
    let started = Instant::now();
    loop {
        if let Some(mail) = mails_to(folder, to).into_iter().rev().find(|mail| mail.contains(about)) {
            return mail;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "no mail to {to} about {about:?} arrived");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

pub async fn wait_for_mail(folder: &std::path::Path, to: &str, n: usize) -> String {
    let started = Instant::now();
    loop {
        let mails = mails_to(folder, to);
        if mails.len() >= n {
            return mails[n - 1].clone();
        }
        assert!(started.elapsed() < Duration::from_secs(30), "mail {n} to {to} did not arrive");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

impl TestApp {
    pub fn outbox(&self) -> PathBuf {
        self.env.data_dir().join("outbox")
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.client.post(self.url(path)).json(&body).send().await.expect("request")
    }

    pub async fn post_as(&self, token: &str, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.client.post(self.url(path)).bearer_auth(token).json(&body).send().await.expect("request")
    }

    pub async fn get_as(&self, token: &str, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).bearer_auth(token).send().await.expect("request")
    }

    pub async fn delete_as(&self, token: &str, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.client.delete(self.url(path)).bearer_auth(token).json(&body).send().await.expect("request")
    }

    /// Registers `email` with `password` and returns its first login's tokens.
    pub async fn signed_up(&self, email: &str, password: &str) -> serde_json::Value {
        let registered = self
            .post(
                "/api/v1/auth/register",
                serde_json::json!({ "email": email, "password": password, "display_name": "Runner" }),
            )
            .await;
        assert_eq!(registered.status(), 202);
        self.logged_in(email, password).await
    }

    /// A login sent from `address` (`X-Forwarded-For`: the server must trust it).
    pub async fn login_from(&self, address: &str, email: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .header("x-forwarded-for", address)
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("request")
    }

    pub async fn logged_in(&self, email: &str, password: &str) -> serde_json::Value {
        let login = self.post("/api/v1/auth/login", serde_json::json!({ "email": email, "password": password })).await;
        assert_eq!(login.status(), 200, "{}", login.text().await.unwrap());
        login.json().await.unwrap()
    }
}

/// A fresh address starting with `prefix`, so tests sharing a database never collide.
pub fn unique_email(prefix: &str) -> String {
    format!("{prefix}-{}@example.org", uuid::Uuid::now_v7().simple())
}

/// The access token of the tokens a login answered.
pub fn access(tokens: &serde_json::Value) -> String {
    tokens["access_token"].as_str().expect("an access token").to_string()
}

/// Asserts a problem+json answer of `status` and `type`, returning its body.
pub async fn expect_problem(response: reqwest::Response, status: u16, kind: &str) -> serde_json::Value {
    assert_eq!(response.status().as_u16(), status, "expected {kind}");
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["type"], format!("/problems/{kind}"), "{body}");
    body
}

/// A file of the shared corpus (`TEST_CORPUS_DIR`, which `scripts/test` sets,
/// or `../shared/corpus` beside the repository).
pub fn corpus_file(relative: &str) -> Vec<u8> {
    let dir = std::env::var("TEST_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    let path = dir.join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("the corpus file {} cannot be read: {e}", path.display()))
}

/// The domain events the outbox holds about `subject`, oldest first.
pub async fn events_about(app: &TestApp, subject: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT kind FROM outbox_events WHERE subject_id = $1 ORDER BY id")
        .bind(subject)
        .fetch_all(app.server.platform.db.pool())
        .await
        .unwrap()
}

/// How many domain events the outbox holds.
/// How many events training wrote (identity's about accounts aside).
pub async fn event_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox_events WHERE kind LIKE 'Workout%'")
        .fetch_one(app.server.platform.db.pool())
        .await
        .unwrap()
}

/// The change-log operations on `entity_id`, oldest first.
pub async fn changes_to(app: &TestApp, entity_id: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT operation FROM change_log WHERE entity_id = $1 ORDER BY id")
        .bind(entity_id)
        .fetch_all(app.server.platform.db.pool())
        .await
        .unwrap()
}

impl TestApp {
    pub async fn patch_as(&self, token: &str, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.client.patch(self.url(path)).bearer_auth(token).json(&body).send().await.expect("request")
    }

    /// Uploads `bytes` as the activity file `name`, with extra form fields.
    pub async fn upload_as(
        &self,
        token: &str,
        name: &str,
        bytes: Vec<u8>,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new();
        for (field, value) in fields {
            form = form.text(field.to_string(), value.to_string());
        }
        form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
        self.client.post(self.url("/api/v1/workouts")).bearer_auth(token).multipart(form).send().await.expect("request")
    }

    /// The keys of the files stored under `prefix`.
    pub async fn stored_files(&self, prefix: &str) -> Vec<String> {
        self.server.platform.blobs.list(prefix).await.unwrap()
    }

    /// A new account's access token and user id.
    pub async fn someone(&self, prefix: &str) -> (String, String) {
        let tokens = self.signed_up(&unique_email(prefix), "correct horse battery staple").await;
        let token = access(&tokens);
        let me: serde_json::Value = self.get_as(&token, "/api/v1/account").await.json().await.unwrap();
        (token, me["id"].as_str().expect("an id").to_string())
    }
}

/// A PNG of `width`×`height` in broad stripes, which compresses well.
pub fn striped_png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, _| {
        if (x / 16) % 2 == 0 {
            image::Rgb([200, 40, 40])
        } else {
            image::Rgb([40, 40, 200])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

impl TestApp {
    /// Sends `bytes` as the profile picture, as the form field `file`.
    pub async fn put_avatar_as(&self, token: &str, bytes: Vec<u8>) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("me.png");
        let form = reqwest::multipart::Form::new().part("file", part);
        self.client.put(self.url("/api/v1/account/avatar")).bearer_auth(token).multipart(form).send().await.unwrap()
    }
}

impl TestApp {
    pub async fn put_as(&self, token: &str, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.client.put(self.url(path)).bearer_auth(token).json(&body).send().await.expect("request")
    }

    /// Sends `bytes` as the whole body, as `content_type` (pictures of equipment and offers).
    pub async fn put_bytes_as(&self, token: &str, path: &str, content_type: &str, bytes: Vec<u8>) -> reqwest::Response {
        let request = self.client.put(self.url(path)).bearer_auth(token).header("content-type", content_type);
        request.body(bytes).send().await.expect("request")
    }

    /// A new administrator's access token and user id.
    pub async fn administrator(&self) -> (String, String) {
        let email = unique_email("admin");
        let identity = &self.server.contexts.identity;
        let password = "correct horse battery staple";
        let id = identity.create_user(&email, "Admin", password, identity::Role::Admin).await.unwrap();
        (access(&self.logged_in(&email, password).await), id)
    }

    /// Imports an archive shaped like Strava's export through the API and
    /// waits for its job to finish; the import's final status.
    pub async fn import_archive(&self, token: &str, archive: Vec<u8>) -> serde_json::Value {
        let part = reqwest::multipart::Part::bytes(archive).file_name("export.zip");
        let form = reqwest::multipart::Form::new().part("archive", part);
        let url = self.url("/api/v1/workouts/imports");
        let started = self.client.post(url).bearer_auth(token).multipart(form).send().await.unwrap();
        assert_eq!(started.status(), 202, "{}", started.text().await.unwrap());
        let path = started.headers()["location"].to_str().unwrap().to_string();
        eventually("the import finishes", Duration::from_secs(60), || async {
            let status: serde_json::Value = self.get_as(token, &path).await.json().await.unwrap();
            status["state"] == "done"
        })
        .await;
        self.get_as(token, &path).await.json().await.unwrap()
    }
}
