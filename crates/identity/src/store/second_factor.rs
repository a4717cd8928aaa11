//! The second factor: TOTP secrets and recovery codes.

use platform::db::now_ms;
use sqlx::{AnyConnection, Row};

use crate::error::Result;
use crate::secrets;

pub async fn set_totp_pending(conn: &mut AnyConnection, user_id: &str, secret: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE users SET totp_pending = $1, updated_at = $2 WHERE id = $3")
        .bind(secret)
        .bind(now_ms())
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Turns the pending secret on (or, with `None`, turns TOTP off).
pub async fn set_totp(conn: &mut AnyConnection, user_id: &str, secret: Option<&str>, step: Option<i64>) -> Result<()> {
    sqlx::query(
        "UPDATE users SET totp_secret = $1, totp_pending = NULL, totp_last_step = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(secret)
    .bind(step)
    .bind(now_ms())
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the step of an accepted code; false if a code of that step or a
/// later one was accepted meanwhile (a replay racing the first use).
pub async fn advance_totp_step(conn: &mut AnyConnection, user_id: &str, step: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
    )
    .bind(step)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn replace_recovery_codes(conn: &mut AnyConnection, user_id: &str, codes: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    for code in codes {
        sqlx::query("INSERT INTO recovery_codes (code_hash, user_id) VALUES ($1, $2)")
            .bind(secrets::hash(code))
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Spends a recovery code; false if it is not one of the user's unused codes.
pub async fn use_recovery_code(conn: &mut AnyConnection, user_id: &str, code: &str) -> Result<bool> {
    let done =
        sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE code_hash = $2 AND user_id = $3 AND used_at IS NULL")
            .bind(now_ms())
            .bind(secrets::hash(&secrets::normalize_recovery_code(code)))
            .bind(user_id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn unused_recovery_codes(conn: &mut AnyConnection, user_id: &str) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(conn)
        .await?;
    Ok(row.try_get("n")?)
}
