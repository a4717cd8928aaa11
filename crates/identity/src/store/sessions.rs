//! Sessions, their refresh tokens, and the check every authenticated request makes.

use platform::db::{now_ms, Reads};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use super::Role;
use crate::error::Result;
use crate::secrets;

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Session {
    pub id: String,
    /// The browser or app, from its User-Agent.
    pub device: String,
    /// The network address last seen.
    pub address: String,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    pub last_used_at: i64,
    /// Whether this is the session making the request.
    pub current: bool,
}

/// The application a session belongs to, and what it may do; `None` for Athlos's own apps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppAccess {
    pub client_id: String,
    pub scope: String,
}

/// Whether one of the account's own sessions (not an application's, whose
/// refreshes come from the application's server), live or ended, was last
/// used from `address`.
pub async fn has_logged_in_from(conn: &mut AnyConnection, user_id: &str, address: &str) -> Result<bool> {
    let found = sqlx::query("SELECT 1 FROM sessions WHERE user_id = $1 AND address = $2 AND client_id IS NULL LIMIT 1")
        .bind(user_id)
        .bind(address)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

pub async fn insert_session(
    conn: &mut AnyConnection,
    user_id: &str,
    device: &str,
    address: &str,
    app: Option<&AppAccess>,
) -> Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO sessions (id, user_id, device, address, created_at, last_used_at, client_id, scope)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7)",
    )
    .bind(&id)
    .bind(user_id)
    .bind(device)
    .bind(address)
    .bind(now)
    .bind(app.map(|a| a.client_id.clone()))
    .bind(app.map(|a| a.scope.clone()))
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn insert_refresh_token(conn: &mut AnyConnection, session_id: &str, ttl_ms: i64) -> Result<String> {
    let token = secrets::new_token();
    let now = now_ms();
    sqlx::query("INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(secrets::hash(&token))
        .bind(session_id)
        .bind(now)
        .bind(now + ttl_ms)
        .execute(conn)
        .await?;
    Ok(token)
}

pub struct RefreshTokenState {
    pub session_id: String,
    pub user_id: String,
    pub app: Option<AppAccess>,
    /// When it was traded (milliseconds since the epoch), if it was.
    pub used_at: Option<i64>,
    /// The hash of the token it was traded for.
    pub replaced_by: Option<String>,
    pub expired: bool,
    pub session_revoked: bool,
    /// Where the session's last refresh came from.
    pub session_address: String,
}

/// Makes trades of `token` take turns until the transaction ends: a write
/// that changes nothing still locks the row on PostgreSQL (SQLite's writers
/// take turns anyway), so the state read next is the one the trade acts on.
pub async fn lock_refresh_token(conn: &mut AnyConnection, token: &str) -> Result<()> {
    sqlx::query("UPDATE refresh_tokens SET used_at = used_at WHERE token_hash = $1")
        .bind(secrets::hash(token))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn refresh_token_state(conn: &mut AnyConnection, token: &str) -> Result<Option<RefreshTokenState>> {
    let row = sqlx::query(
        "SELECT r.session_id, r.used_at, r.replaced_by, r.expires_at, s.user_id, s.revoked_at, s.client_id, s.scope,
                s.address
         FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE r.token_hash = $1",
    )
    .bind(secrets::hash(token))
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let client_id: Option<String> = row.try_get("client_id")?;
    let scope: Option<String> = row.try_get("scope")?;
    Ok(Some(RefreshTokenState {
        session_id: row.try_get("session_id")?,
        user_id: row.try_get("user_id")?,
        app: client_id.map(|client_id| AppAccess { client_id, scope: scope.unwrap_or_default() }),
        used_at: row.try_get("used_at")?,
        replaced_by: row.try_get("replaced_by")?,
        expired: row.try_get::<i64, _>("expires_at")? <= now_ms(),
        session_revoked: row.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
        session_address: row.try_get("address")?,
    }))
}

/// Spends a refresh token for `next`; false if it was spent meanwhile.
pub async fn spend_refresh_token(conn: &mut AnyConnection, token: &str, next: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE refresh_tokens SET used_at = $1, replaced_by = $2 WHERE token_hash = $3 AND used_at IS NULL",
    )
    .bind(now_ms())
    .bind(secrets::hash(next))
    .bind(secrets::hash(token))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Trades a spent `token` again: its successor (`replaced_by`, a hash) is
/// withdrawn and `next` takes its place. False, changing nothing, if that
/// successor was used or another trade got there first.
pub async fn replace_unused_successor(
    conn: &mut AnyConnection,
    token: &str,
    replaced_by: &str,
    next: &str,
) -> Result<bool> {
    let withdrawn = sqlx::query("DELETE FROM refresh_tokens WHERE token_hash = $1 AND used_at IS NULL")
        .bind(replaced_by)
        .execute(&mut *conn)
        .await?;
    if withdrawn.rows_affected() != 1 {
        return Ok(false);
    }
    let relinked = sqlx::query("UPDATE refresh_tokens SET replaced_by = $1 WHERE token_hash = $2 AND replaced_by = $3")
        .bind(secrets::hash(next))
        .bind(secrets::hash(token))
        .bind(replaced_by)
        .execute(conn)
        .await?;
    Ok(relinked.rows_affected() == 1)
}

pub async fn touch_session(conn: &mut AnyConnection, session_id: &str, address: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_used_at = $1, address = $2 WHERE id = $3")
        .bind(now_ms())
        .bind(address)
        .bind(session_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends a session of `user_id`; false if there is no such live session.
pub async fn revoke_session(conn: &mut AnyConnection, user_id: &str, session_id: &str, reason: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE sessions SET revoked_at = $1, revoked_reason = $2 WHERE id = $3 AND user_id = $4 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(reason)
    .bind(session_id)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends every live session of a user but `keep`.
pub async fn revoke_sessions(conn: &mut AnyConnection, user_id: &str, keep: Option<&str>, reason: &str) -> Result<()> {
    sqlx::query(
        "UPDATE sessions SET revoked_at = $1, revoked_reason = $2
         WHERE user_id = $3 AND revoked_at IS NULL AND id <> $4",
    )
    .bind(now_ms())
    .bind(reason)
    .bind(user_id)
    .bind(keep.unwrap_or(""))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn live_sessions(conn: &mut AnyConnection, user_id: &str, current: &str) -> Result<Vec<Session>> {
    let rows = sqlx::query(
        "SELECT id, device, address, created_at, last_used_at FROM sessions
         WHERE user_id = $1 AND revoked_at IS NULL ORDER BY last_used_at DESC",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let id: String = row.try_get("id")?;
            Ok(Session {
                current: id == current,
                id,
                device: row.try_get("device")?,
                address: row.try_get("address")?,
                created_at: row.try_get("created_at")?,
                last_used_at: row.try_get("last_used_at")?,
            })
        })
        .collect()
}

/// What each authenticated request checks: the session lives and the account is usable.
pub struct SessionCheck {
    pub revoked: bool,
    pub suspended: bool,
    pub role: Role,
    pub email_verified: bool,
}

pub async fn check_session(conn: &mut impl Reads, session_id: &str, user_id: &str) -> Result<Option<SessionCheck>> {
    let query = sqlx::query(
        "SELECT s.revoked_at, u.status, u.role, u.email_verified_at
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND u.id = $2",
    )
    .bind(session_id)
    .bind(user_id);
    let Some(row) = conn.fetch_optional(query).await? else { return Ok(None) };
    Ok(Some(SessionCheck {
        revoked: row.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
        suspended: row.try_get::<String, _>("status")? == "suspended",
        role: Role::parse(&row.try_get::<String, _>("role")?),
        email_verified: row.try_get::<Option<i64>, _>("email_verified_at")?.is_some(),
    }))
}
