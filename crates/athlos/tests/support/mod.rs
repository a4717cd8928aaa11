//! What the integration tests share: a fresh database per test on either
//! backend, a server started in-process on it, and the real S3 and SMTP
//! servers that `scripts/test` starts.
#![allow(dead_code)]

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
        let env = TestEnv::new(backend).await;
        let mut config = env.config();
        adjust(&mut config);
        let server = athlos::server::start(config, &ServeArgs::default()).await.expect("server starts");
        let client = reqwest::Client::builder().no_gzip().build().unwrap();
        Self { env, server, client }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }
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
