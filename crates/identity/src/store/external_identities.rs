//! Accounts at external login providers, linked to local ones.

use platform::db::now_ms;
use sqlx::{AnyConnection, Row};

use super::users::{user_from, User, USER_COLUMNS};
use crate::error::Result;

pub async fn user_by_external(conn: &mut AnyConnection, issuer: &str, subject: &str) -> Result<Option<User>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE id = (SELECT user_id FROM external_identities WHERE issuer = $1 AND subject = $2)"
    ))
    .bind(issuer)
    .bind(subject)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(user_from).transpose()
}

pub async fn link_external(conn: &mut AnyConnection, issuer: &str, subject: &str, user_id: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO external_identities (issuer, subject, user_id, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (issuer, subject) DO NOTHING",
    )
    .bind(issuer)
    .bind(subject)
    .bind(user_id)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// A provider an account logs in through.
pub struct ExternalLogin {
    pub issuer: String,
    /// Epoch milliseconds.
    pub linked_at: i64,
}

pub async fn external_logins(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<ExternalLogin>> {
    let rows = sqlx::query("SELECT issuer, created_at FROM external_identities WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| Ok(ExternalLogin { issuer: row.try_get("issuer")?, linked_at: row.try_get("created_at")? }))
        .collect()
}
