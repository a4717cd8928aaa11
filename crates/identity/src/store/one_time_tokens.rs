//! Single-use tokens sent by mail or held between login steps; only their hashes are kept.

use platform::db::now_ms;
use sqlx::{AnyConnection, Row};

use crate::error::Result;
use crate::secrets;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    SecondFactor,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify-email",
            Purpose::ResetPassword => "reset-password",
            Purpose::SecondFactor => "second-factor",
        }
    }
}

/// Creates a token for `purpose`; returns the token itself (only its hash is kept).
pub async fn issue_token(conn: &mut AnyConnection, purpose: Purpose, user_id: &str, ttl_ms: i64) -> Result<String> {
    let token = secrets::new_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO one_time_tokens (token_hash, purpose, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(secrets::hash(&token))
    .bind(purpose.as_str())
    .bind(user_id)
    .bind(now)
    .bind(now + ttl_ms)
    .execute(conn)
    .await?;
    Ok(token)
}

/// The user a live token of `purpose` belongs to, without spending it.
pub async fn peek_token(conn: &mut AnyConnection, purpose: Purpose, token: &str) -> Result<Option<String>> {
    let row = sqlx::query(
        "SELECT user_id FROM one_time_tokens
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(secrets::hash(token))
    .bind(purpose.as_str())
    .bind(now_ms())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.try_get("user_id")).transpose()?)
}

/// Spends a live token; returns its user, or `None` if it was not live. Only
/// one of two racing requests can spend it.
pub async fn spend_token(conn: &mut AnyConnection, purpose: Purpose, token: &str) -> Result<Option<String>> {
    let Some(user_id) = peek_token(&mut *conn, purpose, token).await? else { return Ok(None) };
    let done = sqlx::query("UPDATE one_time_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
        .bind(now_ms())
        .bind(secrets::hash(token))
        .execute(conn)
        .await?;
    Ok((done.rows_affected() == 1).then_some(user_id))
}

/// Spends every live token of `purpose` a user has (a new reset link voids the old).
pub async fn spend_all_tokens(conn: &mut AnyConnection, purpose: Purpose, user_id: &str) -> Result<()> {
    sqlx::query("UPDATE one_time_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(now_ms())
        .bind(user_id)
        .bind(purpose.as_str())
        .execute(conn)
        .await?;
    Ok(())
}
