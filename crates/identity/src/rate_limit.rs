//! Attempt limits, counted in the database so every replica sees the same
//! numbers: a window per bucket (`login:account:<email>`, …) that opens with
//! the bucket's first attempt.

use platform::db::{now_ms, Database};
use sqlx::Row;

use crate::error::{IdentityError, Result};

#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub name: &'static str,
    pub max: i64,
    pub window_secs: i64,
}

pub const LOGIN_PER_ACCOUNT: Limit = Limit { name: "login:account", max: 10, window_secs: 15 * 60 };
pub const LOGIN_PER_ADDRESS: Limit = Limit { name: "login:address", max: 50, window_secs: 15 * 60 };
pub const SECOND_FACTOR_PER_ACCOUNT: Limit = Limit { name: "2fa:account", max: 5, window_secs: 15 * 60 };
pub const REGISTER_PER_ADDRESS: Limit = Limit { name: "register:address", max: 10, window_secs: 3600 };
pub const RESET_PER_ACCOUNT: Limit = Limit { name: "reset:account", max: 3, window_secs: 3600 };
pub const RESET_PER_ADDRESS: Limit = Limit { name: "reset:address", max: 20, window_secs: 3600 };
pub const EXPORT_PER_ACCOUNT: Limit = Limit { name: "export:account", max: 3, window_secs: 24 * 3600 };
pub const MAIL_PER_ACCOUNT: Limit = Limit { name: "mail:account", max: 5, window_secs: 3600 };

/// Counts one attempt against `limit` for `key`; refuses it past the limit.
/// A window opens at a bucket's first attempt and lasts `window_secs`.
pub async fn hit(db: &Database, limit: Limit, key: &str) -> Result<()> {
    let now = now_ms();
    let window = limit.window_secs * 1000;
    let row = sqlx::query(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
         ON CONFLICT (bucket) DO UPDATE SET
             hits = CASE WHEN rate_limits.window_start > $2 - $3 THEN rate_limits.hits + 1 ELSE 1 END,
             window_start = CASE WHEN rate_limits.window_start > $2 - $3 THEN rate_limits.window_start ELSE $2 END
         RETURNING hits, window_start",
    )
    .bind(format!("{}:{key}", limit.name))
    .bind(now)
    .bind(window)
    .fetch_one(db.pool())
    .await?;
    let hits: i64 = row.try_get("hits")?;
    let window_start: i64 = row.try_get("window_start")?;
    if hits > limit.max {
        let retry_after_secs = ((window_start + window - now) / 1000).max(1) as u64;
        tracing::warn!(limit = limit.name, "rate limit reached");
        return Err(IdentityError::RateLimited { retry_after_secs });
    }
    Ok(())
}
