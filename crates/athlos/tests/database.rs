//! The database layer's own promises, on both backends.

mod support;

use platform::db::NullableDouble;
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

on_every_database!(a_missing_number_then_a_number_bind_to_one_statement);
