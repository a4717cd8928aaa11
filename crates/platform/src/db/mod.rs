//! One database layer for SQLite and PostgreSQL: sqlx's `Any` driver with one
//! text per query. Queries use `$1` placeholders, which both backends accept,
//! and keep to types both share (TEXT ids, BIGINT epoch milliseconds, INTEGER,
//! DOUBLE PRECISION), which CockroachDB accepts too.

use std::borrow::Cow;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, Migrator};
use sqlx::{AnyConnection, AnyPool, ConnectOptions, Connection};
use tokio::sync::{Mutex, Notify, OwnedMutexGuard};

use crate::config::mask_url_password;

mod aside;
mod local;
mod reads;

use aside::Aside;
pub use aside::AsideConnection;
pub use local::LocalConnection;
use local::LocalReads;
pub use reads::{Query, ReadConnection, Reads};

/// A transaction that may write: the connection it runs on, and on SQLite
/// this process's turn to write, held until it ends.
pub struct Transaction {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<OwnedMutexGuard<()>>,
    committed: Vec<Arc<Notify>>,
}

impl Transaction {
    fn new(tx: sqlx::Transaction<'static, sqlx::Any>, turn: Option<OwnedMutexGuard<()>>) -> Self {
        Self { tx, _turn: turn, committed: Vec::new() }
    }

    /// Wakes `waiter` once the transaction has committed (never if it rolls
    /// back): what it waits for is then visible to every connection. Woken
    /// earlier, a reader on PostgreSQL would find nothing yet.
    pub fn notify_on_commit(&mut self, waiter: &Arc<Notify>) {
        if !self.committed.iter().any(|known| Arc::ptr_eq(known, waiter)) {
            self.committed.push(waiter.clone());
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await?;
        for waiter in self.committed {
            waiter.notify_one();
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl Deref for Transaction {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for Transaction {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

/// The few places where SQL differs between the backends ask this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// The connection pool's size and how long a request waits for a connection.
#[derive(Clone, Copy, Debug)]
pub struct PoolSettings {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
    /// How long a PostgreSQL connection may sit idle before it is pinged
    /// as it is handed out; [`PoolSettings::PING_IDLE_AFTER`] but in tests.
    pub ping_idle_after: Duration,
}

impl PoolSettings {
    /// Half a second, as HikariCP does: a busy server's connections never
    /// sit that long, and one that did is worth a round trip to check.
    pub const PING_IDLE_AFTER: Duration = Duration::from_millis(500);
}

#[derive(Clone, Debug)]
pub struct Database {
    pool: AnyPool,
    dialect: Dialect,
    /// SQLite's writers, one at a time and first come first served. SQLite
    /// lets one writer in and has the others poll with growing sleeps (up
    /// to 100 ms), so under a crowd of writers the lock sat idle between
    /// them and some waited past `busy_timeout`. Queued here, each starts
    /// the moment the one before ends. Other processes (the CLI) still meet
    /// `busy_timeout`.
    writers: Option<Arc<Mutex<()>>>,
    aside: Arc<Aside>,
    /// Reads on the calling thread, for a SQLite file (see `local`).
    local: Option<Arc<LocalReads>>,
}

#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error("cannot reach the database at {url} (tried for {}s): {cause}. Is it running? Check ATHLOS_DATABASE_URL", waited.as_secs())]
    Unreachable { url: String, waited: Duration, cause: sqlx::Error },
    #[error("cannot create the folder for the SQLite database {path}: {source}")]
    Folder { path: String, source: std::io::Error },
    #[error("migrating the database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}

/// The platform's own tables (the job queue); contexts bring theirs.
pub static PLATFORM_MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

impl Database {
    /// Connects, retrying with backoff for up to `patience` so that a server
    /// started together with a database that is still booting does not fail.
    pub async fn connect(url: &str, pool: PoolSettings, patience: Duration) -> Result<Self, DatabaseError> {
        sqlx::any::install_default_drivers();
        let dialect = if url.starts_with("sqlite:") { Dialect::Sqlite } else { Dialect::Postgres };
        if dialect == Dialect::Sqlite {
            create_sqlite_folder(url)?;
        }
        let options: AnyConnectOptions = url.parse()?;
        let options = options.disable_statement_logging();
        wait_until_reachable(&options, url, patience).await?;
        let (ping_idle_after, acquire_timeout) = (pool.ping_idle_after, pool.acquire_timeout);
        let pool = AnyPoolOptions::new()
            .max_connections(pool.max_connections)
            .acquire_timeout(pool.acquire_timeout)
            // sqlx pings every connection as it goes back to the pool, so
            // one handed out again at once is known to be alive; pinging it
            // again as it is handed out cost PostgreSQL a round trip per
            // request. See `ping_due` for the ones that are pinged.
            .test_before_acquire(false)
            .before_acquire(move |conn, meta| {
                Box::pin(async move {
                    if ping_due(dialect, meta.idle_for, ping_idle_after) {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
            .after_connect(move |conn, _| Box::pin(prepare(conn, dialect)))
            .connect_with(options.clone())
            .await?;
        let writers = (dialect == Dialect::Sqlite).then(|| Arc::new(Mutex::new(())));
        let aside = Arc::new(Aside::new(options, dialect, ping_idle_after, acquire_timeout));
        let local = (dialect == Dialect::Sqlite).then(|| LocalReads::for_url(url)).flatten().map(Arc::new);
        Ok(Self { pool, dialect, writers, aside, local })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// A connection for short reads outside a transaction: on a SQLite
    /// file one that reads on the calling thread, else one from the pool.
    pub async fn read(&self) -> Result<ReadConnection, sqlx::Error> {
        match &self.local {
            Some(local) => Ok(ReadConnection::Local(local.acquire()?)),
            None => Ok(ReadConnection::Pooled(self.pool.acquire().await?)),
        }
    }

    /// A connection for the read every authenticated request makes: on a
    /// SQLite file as [`Database::read`], else one of the few kept aside
    /// for it; see [`ReadConnection::keep`]. Nothing else should take one:
    /// a long query there holds up every request.
    pub async fn aside(&self) -> Result<ReadConnection, sqlx::Error> {
        if self.local.is_some() {
            return self.read().await;
        }
        Ok(ReadConnection::Aside(self.aside.acquire().await?))
    }

    /// A transaction that may write. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`): a plain `BEGIN` that reads and then writes
    /// cannot wait for the lock when another writer got there first, and
    /// fails with SQLITE_BUSY instead. Waiting for the lock happens inside
    /// `busy_timeout`, so writers queue rather than fail.
    ///
    /// The turn to write is taken before a connection, so that writers
    /// waiting their turn hold none of the pool's connections.
    pub async fn begin(&self) -> Result<Transaction, sqlx::Error> {
        match &self.writers {
            Some(writers) => {
                let turn = writers.clone().lock_owned().await;
                let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(Transaction::new(tx, Some(turn)))
            }
            None => Ok(Transaction::new(self.pool.begin().await?, None)),
        }
    }

    /// Applies every context's migrations in version order, as one history.
    pub async fn migrate(&self, migrators: &[&Migrator]) -> Result<(), DatabaseError> {
        let mut migrations: Vec<Migration> = migrators.iter().flat_map(|m| m.migrations.iter().cloned()).collect();
        migrations.sort_by_key(|m| m.version);
        let migrator = Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// Whether the database answers a trivial query now (readiness).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        if let Some(local) = &self.local {
            local.close();
        }
        self.aside.close().await;
        self.pool.close().await;
    }
}

/// Whether a connection that sat idle for `idle_for` is pinged before it is
/// lent, and replaced if it does not answer: a PostgreSQL one idle `after`
/// or longer may have been cut meanwhile (a restart, a proxy). A connection
/// to a local SQLite file cannot drop.
fn ping_due(dialect: Dialect, idle_for: Duration, after: Duration) -> bool {
    dialect == Dialect::Postgres && idle_for >= after
}

/// Readies a new connection. SQLite: WAL lets readers go on while one
/// writer writes; NORMAL is durable in WAL mode except on power loss.
async fn prepare(conn: &mut AnyConnection, dialect: Dialect) -> Result<(), sqlx::Error> {
    if dialect == Dialect::Sqlite {
        for pragma in [
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 10000",
        ] {
            sqlx::query(pragma).execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// Tries single connections with a growing pause, so that the error at the
/// end is the real one (connection refused, bad password), not a pool timeout.
async fn wait_until_reachable(options: &AnyConnectOptions, url: &str, patience: Duration) -> Result<(), DatabaseError> {
    let started = Instant::now();
    let mut wait = Duration::from_millis(250);
    loop {
        match options.connect().await {
            Ok(conn) => {
                let _ = conn.close().await;
                return Ok(());
            }
            Err(cause) if started.elapsed() + wait > patience => {
                return Err(DatabaseError::Unreachable {
                    url: mask_url_password(url),
                    waited: started.elapsed(),
                    cause,
                });
            }
            Err(e) => {
                tracing::warn!(error = %e, retry_in_ms = wait.as_millis() as u64, "database not reachable yet");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
            }
        }
    }
}

fn create_sqlite_folder(url: &str) -> Result<(), DatabaseError> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|source| DatabaseError::Folder { path: parent.display().to_string(), source })?;
    }
    Ok(())
}

/// Milliseconds since the Unix epoch: how every timestamp is stored.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock after 1970").as_millis() as i64
}

/// Seconds since the Unix epoch, as JWT claims count time.
pub fn now_secs() -> i64 {
    now_ms() / 1000
}

/// Epoch milliseconds as UTC RFC 3339, as the API shows times.
pub fn rfc3339(ms: i64) -> String {
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_millis(at).to_string()
}

/// A nullable DOUBLE PRECISION to bind. sqlx 0.8's `Any` driver binds a
/// `None::<f64>` to PostgreSQL as a FLOAT4 null (its Real and Double arms
/// are swapped), so a statement first prepared with a null refuses a number
/// later on the same connection ("incorrect binary data format"). This
/// binds a null as the FLOAT8 one it should be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NullableDouble(pub Option<f64>);

impl sqlx::Type<sqlx::Any> for NullableDouble {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <f64 as sqlx::Type<sqlx::Any>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Any> for NullableDouble {
    fn encode_by_ref(
        &self,
        buf: &mut sqlx_core::any::AnyArgumentBuffer<'q>,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        use sqlx_core::any::{AnyTypeInfoKind, AnyValueKind};
        match self.0 {
            Some(value) => {
                buf.0.push(AnyValueKind::Double(value));
                Ok(sqlx::encode::IsNull::No)
            }
            None => {
                // `Real` is the arm that becomes a FLOAT8 null in sqlx 0.8.
                buf.0.push(AnyValueKind::Null(AnyTypeInfoKind::Real));
                Ok(sqlx::encode::IsNull::Yes)
            }
        }
    }
}
