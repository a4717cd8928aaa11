//! The database layer's own promises, on both backends.

mod support;

use std::time::Duration;

use platform::db::{AsideConnection, Database, NullableDouble, PoolSettings, ReadConnection, Reads};
use sqlx::any::AnyRow;
use sqlx::Row;
use support::{Backend, TestEnv};

/// One statement, prepared once on a connection with a missing number,
/// then given a number (a walk without heart rate, then a run with it).
async fn a_missing_number_then_a_number_bind_to_one_statement(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let platform = athlos::server::connect(env.config()).await.unwrap();
    let mut conn = platform.db.pool().acquire().await.unwrap();
    sqlx::query("CREATE TABLE readings (id BIGINT, value DOUBLE PRECISION)").execute(&mut *conn).await.unwrap();
    for (id, value) in [(1, None), (2, Some(2.5)), (3, None), (4, Some(-1e-3))] {
        sqlx::query("INSERT INTO readings (id, value) VALUES ($1, $2)")
            .bind(id as i64)
            .bind(NullableDouble(value))
            .execute(&mut *conn)
            .await
            .unwrap_or_else(|e| panic!("row {id}: {e}"));
    }
    let values: Vec<Option<f64>> =
        sqlx::query_scalar("SELECT value FROM readings ORDER BY id").fetch_all(&mut *conn).await.unwrap();
    assert_eq!(values, [None, Some(2.5), None, Some(-1e-3)]);
}

/// The connections kept aside on PostgreSQL for session checks (a SQLite
/// file is read on the calling thread instead): one whose query answered
/// is lent again as it is (a TEMP table, which lives as long as its
/// connection, is still there); one dropped without saying so (an error, a
/// cancelled request) is closed and replaced; no more than two are lent at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_aside_connection_is_reused_only_when_kept() {
    if support::service("TEST_POSTGRES_URL", "PostgreSQL").is_none() {
        return;
    }
    let env = TestEnv::new(Backend::Postgres).await;
    let settings = PoolSettings {
        max_connections: 2,
        acquire_timeout: Duration::from_millis(300),
        ping_idle_after: Duration::ZERO,
    };
    let db = Database::connect(&env.db.url, settings, Duration::from_secs(10)).await.unwrap();
    let mut conn = aside(&db).await;
    sqlx::query("CREATE TEMP TABLE marker (id BIGINT)").execute(&mut *conn).await.unwrap();
    conn.keep();
    let mut conn = aside(&db).await;
    assert!(has_marker(&mut conn).await, "a kept connection is lent again");
    drop(conn);

    let mut conn = aside(&db).await;
    assert!(!has_marker(&mut conn).await, "a connection dropped without keep() is not lent again");
    sqlx::query("CREATE TEMP TABLE marker (id BIGINT)").execute(&mut *conn).await.unwrap();
    let other = aside(&db).await;
    let third = db.aside().await;
    assert!(matches!(third, Err(sqlx::Error::PoolTimedOut)), "a third waits for one of two");
    conn.keep();
    other.keep();
    db.close().await;
}

/// One of the connections PostgreSQL keeps aside.
async fn aside(db: &Database) -> AsideConnection {
    match db.aside().await.unwrap() {
        ReadConnection::Aside(conn) => conn,
        _ => panic!("PostgreSQL keeps connections aside for session checks"),
    }
}

async fn has_marker(conn: &mut sqlx::AnyConnection) -> bool {
    sqlx::query("SELECT COUNT(*) FROM marker").fetch_one(conn).await.is_ok()
}

/// What a read outside a transaction answers (on SQLite, read on the
/// calling thread by another library) decodes exactly as the same query
/// in a transaction: every kind of value, nulls, extremes, text with
/// control characters, aggregates, and parameters named out of order and
/// used twice.
async fn a_read_answers_as_a_transaction_would(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let db = Database::connect(&env.db.url, settings(), Duration::from_secs(10)).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    sqlx::query("CREATE TABLE samples (id BIGINT, word TEXT, ratio DOUBLE PRECISION, small INTEGER)")
        .execute(&mut *tx)
        .await
        .unwrap();
    let samples: [Written; 6] = [
        (1, Some("plain"), Some(0.5), Some(1)),
        (2, None, None, None),
        (i64::MAX, Some("tab\tnew line\ncarriage\r \u{1}\u{7f} ünïcødé 🏃"), Some(-1e300), Some(i32::MIN)),
        (i64::MIN, Some(""), Some(f64::MIN_POSITIVE), Some(i32::MAX)),
        (5, Some("it's \"quoted\" and 100% _wild_"), Some(3.0), Some(0)),
        (6, Some("x"), Some(1e-3), Some(-7)),
    ];
    for (id, word, ratio, small) in samples {
        sqlx::query("INSERT INTO samples (id, word, ratio, small) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(word)
            .bind(NullableDouble(ratio))
            .bind(small)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let rows = "SELECT id, word, ratio, small, CASE WHEN id = $2 THEN 1 ELSE 0 END AS picked FROM samples WHERE id <> $1 OR word = $3 ORDER BY id";
    let totals = "SELECT COUNT(*) AS n, SUM(ratio) AS total, MAX(word) AS last, MIN(small) AS least FROM samples \
        WHERE small IS NOT NULL AND small <> $1";
    let mut read = db.read().await.unwrap();
    let mut tx = db.begin().await.unwrap();
    for _ in 0..2 {
        let query = || sqlx::query(rows).bind(6_i64).bind(5_i64).bind("x");
        let (outside, inside) = (read.fetch_all(query()).await.unwrap(), tx.fetch_all(query()).await.unwrap());
        let (outside, inside) = (sample_rows(&outside), sample_rows(&inside));
        assert_eq!(outside, inside);
        assert_eq!(outside.len(), 6, "every row, the one left out named again by $3");
        let first = read.fetch_optional(query()).await.unwrap().expect("a first row");
        assert_eq!(sample_rows(&[first]), outside[..1], "fetch_optional answers the first row");
        let query = || sqlx::query(totals).bind(-7_i32);
        let (outside, inside) =
            (read.fetch_optional(query()).await.unwrap(), tx.fetch_optional(query()).await.unwrap());
        assert_eq!(totals_of(&outside.unwrap()), totals_of(&inside.unwrap()));
    }
    let none = read.fetch_optional(sqlx::query("SELECT id FROM samples WHERE id = $1").bind(404_i64)).await.unwrap();
    assert!(none.is_none());
    tx.rollback().await.unwrap();
}

fn settings() -> PoolSettings {
    PoolSettings {
        max_connections: 4,
        acquire_timeout: Duration::from_secs(10),
        ping_idle_after: PoolSettings::PING_IDLE_AFTER,
    }
}

/// A row as written: an id, a word, a ratio and a small number.
type Written = (i64, Option<&'static str>, Option<f64>, Option<i32>);

/// A row as read back: the same, and whether it was the one picked.
type Sample = (i64, Option<String>, Option<f64>, Option<i32>, i64);

fn sample_rows(rows: &[AnyRow]) -> Vec<Sample> {
    rows.iter()
        .map(|row| {
            (
                row.try_get("id").unwrap(),
                row.try_get("word").unwrap(),
                row.try_get("ratio").unwrap(),
                row.try_get("small").unwrap(),
                row.try_get("picked").unwrap(),
            )
        })
        .collect()
}

fn totals_of(row: &AnyRow) -> (i64, Option<f64>, Option<String>, Option<i32>) {
    (
        row.try_get("n").unwrap(),
        row.try_get("total").unwrap(),
        row.try_get("last").unwrap(),
        row.try_get("least").unwrap(),
    )
}

/// A read sees every write committed before it, even on a connection that
/// read the same statement before the write; a write not yet committed
/// it does not see.
async fn a_read_sees_every_commit_before_it(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let db = Database::connect(&env.db.url, settings(), Duration::from_secs(10)).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    sqlx::query("CREATE TABLE counts (n BIGINT)").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let count = || sqlx::query("SELECT COUNT(*) AS n FROM counts");
    for expected in 1..=20_i64 {
        let mut tx = db.begin().await.unwrap();
        sqlx::query("INSERT INTO counts (n) VALUES ($1)").bind(expected).execute(&mut *tx).await.unwrap();
        let mut read = db.read().await.unwrap();
        let before: i64 = read.fetch_optional(count()).await.unwrap().unwrap().get("n");
        assert_eq!(before, expected - 1, "a write not yet committed is not seen");
        drop(read);
        tx.commit().await.unwrap();
        let mut read = db.read().await.unwrap();
        let after: i64 = read.fetch_optional(count()).await.unwrap().unwrap().get("n");
        assert_eq!(after, expected, "a committed write is seen at once");
    }
}

on_every_database!(
    a_missing_number_then_a_number_bind_to_one_statement,
    a_read_answers_as_a_transaction_would,
    a_read_sees_every_commit_before_it
);

/// The file sqlx writes is the file a read opens, wherever it is (a folder
/// with a space and non-ASCII letters); an in-memory database, which no
/// second connection can open, is read through the pool (of one
/// connection: sqlx's `Any` pool gives each connection a memory of its own).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_on_sqlite_opens_the_file_written_or_the_pool() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("club data ünï");
    let on_file = format!("sqlite://{}/athlos.db?mode=rwc", folder.display());
    for (url, local) in [(on_file.as_str(), true), ("sqlite::memory:", false)] {
        let one = PoolSettings { max_connections: 1, ..settings() };
        let db = Database::connect(url, one, Duration::from_secs(10)).await.unwrap();
        let mut tx = db.begin().await.unwrap();
        sqlx::query("CREATE TABLE notes (word TEXT)").execute(&mut *tx).await.unwrap();
        sqlx::query("INSERT INTO notes (word) VALUES ($1)").bind("kept").execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        let mut read = db.read().await.unwrap();
        assert_eq!(matches!(read, ReadConnection::Local(_)), local, "{url}");
        let row = read.fetch_one(sqlx::query("SELECT word FROM notes")).await.unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(row.get::<String, _>("word"), "kept", "{url}");
        drop(read);
        db.close().await;
    }
}

/// A read outside a transaction on SQLite cannot write, whatever its text:
/// it runs on a connection of its own that no writer's turn covers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_on_sqlite_cannot_write() {
    let env = TestEnv::new(Backend::Sqlite).await;
    let db = Database::connect(&env.db.url, settings(), Duration::from_secs(10)).await.unwrap();
    let mut tx = db.begin().await.unwrap();
    sqlx::query("CREATE TABLE notes (word TEXT)").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let mut read = db.read().await.unwrap();
    assert!(matches!(read, ReadConnection::Local(_)), "a SQLite file is read on the calling thread");
    let written = read.fetch_all(sqlx::query("INSERT INTO notes (word) VALUES ($1)").bind("sneaked")).await;
    assert!(written.is_err(), "a write through a read is refused");
    let n: i64 = read.fetch_optional(sqlx::query("SELECT COUNT(*) AS n FROM notes")).await.unwrap().unwrap().get("n");
    assert_eq!(n, 0, "and changes nothing");
}

/// A PostgreSQL connection cut while it sat in the pool (a database restart,
/// a proxy's idle timeout) is pinged on its way out and replaced, so no
/// request gets a dead one. One handed out again at once is not pinged: that
/// saves a round trip on every request of a busy server, which is why the
/// wait before a ping is half a second and not zero.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_cut_while_pooled_is_replaced_before_use() {
    if support::service("TEST_POSTGRES_URL", "PostgreSQL").is_none() {
        return;
    }
    let env = TestEnv::new(Backend::Postgres).await;
    for (ping_idle_after, survives) in [(Duration::ZERO, true), (Duration::from_secs(3600), false)] {
        let (proxy, url) = proxied(&env.db.url).await;
        let settings = PoolSettings { max_connections: 1, acquire_timeout: Duration::from_secs(10), ping_idle_after };
        let db = Database::connect(&url, settings, Duration::from_secs(10)).await.unwrap();
        assert!(db.ping().await, "the database answers through the proxy");
        // The connection goes back to the pool (after sqlx's own check) in a task of its own.
        let pool = db.pool().clone();
        support::eventually("the connection is back in the pool", Duration::from_secs(10), || {
            let idle = pool.num_idle();
            async move { idle == 1 }
        })
        .await;
        assert_eq!(proxy.cut(), 1, "the pool's one connection was open");
        assert_eq!(db.ping().await, survives, "a query after the cut, pinging connections idle {ping_idle_after:?}");
        // The same for the connections kept aside for session checks.
        let mut conn = aside(&db).await;
        sqlx::query("SELECT 1").execute(&mut *conn).await.unwrap();
        conn.keep();
        proxy.cut();
        let mut conn = aside(&db).await;
        let answered = sqlx::query("SELECT 1").execute(&mut *conn).await.is_ok();
        assert_eq!(answered, survives, "a session check after the cut, pinging connections idle {ping_idle_after:?}");
        db.close().await;
    }
}

/// A proxy to the database at `url`, and the URL that goes through it.
async fn proxied(url: &str) -> (support::proxy::Proxy, String) {
    let mut url = url::Url::parse(url).unwrap();
    let target = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432));
    let proxy = support::proxy::Proxy::start(target).await;
    url.set_host(Some("127.0.0.1")).unwrap();
    url.set_port(Some(proxy.addr.port())).unwrap();
    (proxy, url.to_string())
}
