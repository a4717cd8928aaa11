//! Attempt counts per bucket, each in a window that opens with the bucket's
//! first attempt. The limits themselves are `rate_limit`'s.

use sqlx::{AnyConnection, Row};

use crate::error::Result;

/// A bucket after one more attempt was counted.
pub struct Bucket {
    pub hits: i64,
    /// Epoch milliseconds.
    pub window_start: i64,
}

/// Counts one attempt in `bucket` at `now` (epoch ms): a window older than
/// `window_ms` starts again at one.
pub async fn count_attempt(conn: &mut AnyConnection, bucket: &str, now: i64, window_ms: i64) -> Result<Bucket> {
    let row = sqlx::query(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
         ON CONFLICT (bucket) DO UPDATE SET
             hits = CASE WHEN rate_limits.window_start > $2 - $3 THEN rate_limits.hits + 1 ELSE 1 END,
             window_start = CASE WHEN rate_limits.window_start > $2 - $3 THEN rate_limits.window_start ELSE $2 END
         RETURNING hits, window_start",
    )
    .bind(bucket)
    .bind(now)
    .bind(window_ms)
    .fetch_one(conn)
    .await?;
    Ok(Bucket { hits: row.try_get("hits")?, window_start: row.try_get("window_start")? })
}

/// Takes one counted attempt back.
pub async fn forgive_attempt(conn: &mut AnyConnection, bucket: &str) -> Result<()> {
    sqlx::query("UPDATE rate_limits SET hits = hits - 1 WHERE bucket = $1 AND hits > 0")
        .bind(bucket)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn empty_bucket(conn: &mut AnyConnection, bucket: &str) -> Result<()> {
    sqlx::query("DELETE FROM rate_limits WHERE bucket = $1").bind(bucket).execute(conn).await?;
    Ok(())
}

/// Deletes the buckets whose windows started before `before` (epoch ms);
/// returns how many went.
pub async fn delete_buckets_before(conn: &mut AnyConnection, before: i64) -> Result<u64> {
    let pruned = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1").bind(before).execute(conn).await?;
    Ok(pruned.rows_affected())
}
