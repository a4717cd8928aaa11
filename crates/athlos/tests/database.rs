//! The database layer's own promises, on both backends.

mod support;

use std::time::Duration;

use platform::db::{Database, NullableDouble, PoolSettings};
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

/// The connections kept aside for session checks: one whose query answered
/// is lent again as it is (a TEMP table, which lives as long as its
/// connection, is still there); one dropped without saying so (an error, a
/// cancelled request) is closed and replaced; no more than two are lent at once.
async fn an_aside_connection_is_reused_only_when_kept(backend: Backend) {
    let env = TestEnv::new(backend).await;
    let settings = PoolSettings {
        max_connections: 2,
        acquire_timeout: Duration::from_millis(300),
        ping_idle_after: Duration::ZERO,
    };
    let db = Database::connect(&env.db.url, settings, Duration::from_secs(10)).await.unwrap();
    let mut conn = db.aside().await.unwrap();
    sqlx::query("CREATE TEMP TABLE marker (id BIGINT)").execute(&mut *conn).await.unwrap();
    conn.keep();
    let mut conn = db.aside().await.unwrap();
    assert!(has_marker(&mut conn).await, "a kept connection is lent again");
    drop(conn);

    let mut conn = db.aside().await.unwrap();
    assert!(!has_marker(&mut conn).await, "a connection dropped without keep() is not lent again");
    sqlx::query("CREATE TEMP TABLE marker (id BIGINT)").execute(&mut *conn).await.unwrap();
    let other = db.aside().await.unwrap();
    let third = db.aside().await;
    assert!(matches!(third, Err(sqlx::Error::PoolTimedOut)), "a third waits for one of two");
    conn.keep();
    other.keep();
    db.close().await;
}

async fn has_marker(conn: &mut sqlx::AnyConnection) -> bool {
    sqlx::query("SELECT COUNT(*) FROM marker").fetch_one(conn).await.is_ok()
}

on_every_database!(a_missing_number_then_a_number_bind_to_one_statement, an_aside_connection_is_reused_only_when_kept);

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
        let mut conn = db.aside().await.unwrap();
        sqlx::query("SELECT 1").execute(&mut *conn).await.unwrap();
        conn.keep();
        proxy.cut();
        let mut conn = db.aside().await.unwrap();
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
