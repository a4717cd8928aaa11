//! Attempt limits, counted in the database so every replica sees the same
//! numbers: a window per bucket (`login:pair:<email> <address>`, …) that opens
//! with the bucket's first attempt.
//!
//! Logins count failures only. An attempt is counted before the password is
//! checked, so that a burst of guesses sent at once cannot all slip past a
//! count of zero, and a success takes its own count back again.

use platform::db::{now_ms, Database};

use crate::error::{IdentityError, Result};
use crate::store::{self, User};

#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub name: &'static str,
    pub max: i64,
    pub window_secs: i64,
}

const LOGIN_WINDOW_SECS: i64 = 15 * 60;
/// Failed logins to one account from one address: the owner typing badly, or
/// someone guessing from there. Other addresses are not held up by it.
pub const LOGIN_FAILURES_PER_PAIR: Limit = Limit { name: "login:pair", max: 10, window_secs: LOGIN_WINDOW_SECS };
/// The same bucket, allowing fewer failures: for an address the account never
/// logged in from while the account is under attack from many addresses.
pub const LOGIN_FAILURES_PER_NEW_PAIR_UNDER_ATTACK: Limit = Limit { max: 3, ..LOGIN_FAILURES_PER_PAIR };
/// Failed logins from one address to any accounts: password spraying.
pub const LOGIN_FAILURES_PER_ADDRESS: Limit = Limit { name: "login:address", max: 50, window_secs: LOGIN_WINDOW_SECS };
/// Failed logins to one account from every address. Not a wall, which would
/// let anyone lock the owner out: past it, the account is under attack and
/// new addresses get [`LOGIN_FAILURES_PER_NEW_PAIR_UNDER_ATTACK`].
pub const LOGIN_FAILURES_PER_ACCOUNT: Limit = Limit { name: "login:account", max: 20, window_secs: LOGIN_WINDOW_SECS };
/// Wrong second steps to one account (the password was right to get here).
pub const SECOND_FACTOR_PER_ACCOUNT: Limit = Limit { name: "2fa:account", max: 5, window_secs: 15 * 60 };
pub const REGISTER_PER_ADDRESS: Limit = Limit { name: "register:address", max: 10, window_secs: 3600 };
pub const RESET_PER_ACCOUNT: Limit = Limit { name: "reset:account", max: 3, window_secs: 3600 };
pub const RESET_PER_ADDRESS: Limit = Limit { name: "reset:address", max: 20, window_secs: 3600 };
pub const EXPORT_PER_ACCOUNT: Limit = Limit { name: "export:account", max: 3, window_secs: 24 * 3600 };
pub const MAIL_PER_ACCOUNT: Limit = Limit { name: "mail:account", max: 5, window_secs: 3600 };

/// The longest key kept: a login's e-mail is whatever was typed (up to the
/// body limit), and a bucket name as long as that would fill the table. Keys
/// that share their first 256 characters share a bucket, which only holds
/// back whoever sends such addresses.
const MAX_KEY_CHARS: usize = 256;

/// The longest window of any limit: a bucket older than this counts nothing.
const LONGEST_WINDOW_MS: i64 = 24 * 3600 * 1000;

pub const PRUNE_JOB: &str = "identity.prune_rate_limits";

fn bucket(limit: Limit, key: &str) -> String {
    let key: String = key.chars().take(MAX_KEY_CHARS).collect();
    format!("{}:{key}", limit.name)
}

/// Deletes the buckets whose windows ended before `now` (epoch ms) by more
/// than the longest window: every address that ever tried would otherwise
/// stay a row for good. Returns how many went.
pub async fn prune(db: &Database, now: i64) -> Result<u64> {
    let mut conn = db.pool().acquire().await?;
    store::delete_buckets_before(&mut conn, now - LONGEST_WINDOW_MS).await
}

/// The key of a (account, address) pair's bucket.
fn pair(email: &str, address: &str) -> String {
    format!("{email} {address}")
}

/// What a bucket holds after counting one more attempt.
pub struct Count {
    hits: i64,
    retry_after_secs: u64,
}

impl Count {
    /// Refuses the attempt if it is past `limit`'s allowance.
    pub fn within(&self, limit: Limit) -> Result<()> {
        if self.hits > limit.max {
            tracing::warn!(limit = limit.name, "rate limit reached");
            return Err(IdentityError::RateLimited { retry_after_secs: self.retry_after_secs });
        }
        Ok(())
    }
}

/// Counts one attempt against `limit` for `key`; refuses it past the limit.
/// A window opens at a bucket's first attempt and lasts `window_secs`.
pub async fn hit(db: &Database, limit: Limit, key: &str) -> Result<()> {
    count(db, limit, key).await?.within(limit)
}

/// Counts one attempt for `key` and answers the bucket's count, refusing nothing.
pub async fn count(db: &Database, limit: Limit, key: &str) -> Result<Count> {
    let now = now_ms();
    let window = limit.window_secs * 1000;
    let mut conn = db.pool().acquire().await?;
    let counted = store::count_attempt(&mut conn, &bucket(limit, key), now, window).await?;
    let retry_after_secs = ((counted.window_start + window - now) / 1000).max(1) as u64;
    Ok(Count { hits: counted.hits, retry_after_secs })
}

/// Takes back one counted attempt that turned out to succeed.
pub async fn forgive(db: &Database, limit: Limit, key: &str) -> Result<()> {
    let mut conn = db.pool().acquire().await?;
    store::forgive_attempt(&mut conn, &bucket(limit, key)).await
}

/// Empties a bucket: a success wipes the failures before it.
pub async fn clear(db: &Database, limit: Limit, key: &str) -> Result<()> {
    let mut conn = db.pool().acquire().await?;
    store::empty_bucket(&mut conn, &bucket(limit, key)).await
}

/// One login attempt, counted against the login limits until it is known
/// whether the password was right.
pub struct LoginAttempt {
    email: String,
    address: String,
}

impl LoginAttempt {
    /// Counts an attempt on `email` from `address`, and refuses it when that
    /// address has failed too often, on this account or on any.
    pub async fn count(db: &Database, email: &str, account: Option<&User>, address: &str) -> Result<Self> {
        let attempt = Self { email: email.to_string(), address: address.to_string() };
        let from_address = count(db, LOGIN_FAILURES_PER_ADDRESS, address).await?;
        let on_account = count(db, LOGIN_FAILURES_PER_ACCOUNT, email).await?;
        let on_pair = count(db, LOGIN_FAILURES_PER_PAIR, &pair(email, address)).await?;
        let allowance =
            if on_account.hits > LOGIN_FAILURES_PER_ACCOUNT.max && !Self::known(db, account, address).await? {
                LOGIN_FAILURES_PER_NEW_PAIR_UNDER_ATTACK
            } else {
                LOGIN_FAILURES_PER_PAIR
            };
        if let Err(refused) = from_address.within(LOGIN_FAILURES_PER_ADDRESS).and_then(|_| on_pair.within(allowance)) {
            // A refused attempt tried no password: it is no failure.
            attempt.withdraw(db).await?;
            return Err(refused);
        }
        Ok(attempt)
    }

    /// Whether the account has logged in from this address before: its owner
    /// is likely there, so an attack elsewhere does not make it wait.
    async fn known(db: &Database, account: Option<&User>, address: &str) -> Result<bool> {
        // The same query for an address without an account, so that timing
        // does not tell whether it has one.
        let user_id = account.map(|a| a.id.as_str()).unwrap_or_default();
        let mut conn = db.pool().acquire().await?;
        store::has_logged_in_from(&mut conn, user_id, address).await
    }

    /// The password was right: the pair's failures are forgotten, and the
    /// attempt is taken back from the address's and the account's counts.
    pub async fn succeeded(self, db: &Database) -> Result<()> {
        clear(db, LOGIN_FAILURES_PER_PAIR, &pair(&self.email, &self.address)).await?;
        forgive(db, LOGIN_FAILURES_PER_ADDRESS, &self.address).await?;
        forgive(db, LOGIN_FAILURES_PER_ACCOUNT, &self.email).await
    }

    /// No password was checked (refused, or the server was busy): nothing counts.
    pub async fn withdraw(self, db: &Database) -> Result<()> {
        forgive(db, LOGIN_FAILURES_PER_PAIR, &pair(&self.email, &self.address)).await?;
        forgive(db, LOGIN_FAILURES_PER_ADDRESS, &self.address).await?;
        forgive(db, LOGIN_FAILURES_PER_ACCOUNT, &self.email).await
    }
}
