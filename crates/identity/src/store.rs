//! All SQL of the identity context.

use platform::db::now_ms;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::error::Result;
use crate::preferences::{CheckedChange, Language, Preferences, Privacy, Units};
use crate::secrets;

pub use platform::people::Role;

#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub email: String,
    pub email_verified_at: Option<i64>,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub role: Role,
    pub suspended: bool,
    pub totp_secret: Option<String>,
    pub totp_pending: Option<String>,
    pub totp_last_step: Option<i64>,
    pub created_at: i64,
    pub preferences: Preferences,
    /// When the profile picture was last set; `None` without one.
    pub avatar_updated_at: Option<i64>,
}

const USER_COLUMNS: &str = "id, email, email_verified_at, display_name, password_hash, role, status, totp_secret, \
                            totp_pending, totp_last_step, created_at, units, default_privacy, language, avatar_updated_at";

/// Stored preferences; a value this build does not know reads as the default.
fn preferences_from(row: &AnyRow) -> Result<Preferences> {
    Ok(Preferences {
        units: Units::parse(&row.try_get::<String, _>("units")?).unwrap_or_default(),
        default_privacy: Privacy::parse(&row.try_get::<String, _>("default_privacy")?).unwrap_or_default(),
        language: Language::parse(&row.try_get::<String, _>("language")?).unwrap_or_default(),
    })
}

fn user_from(row: &AnyRow) -> Result<User> {
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        email_verified_at: row.try_get("email_verified_at")?,
        display_name: row.try_get("display_name")?,
        password_hash: row.try_get("password_hash")?,
        role: Role::parse(&row.try_get::<String, _>("role")?),
        suspended: row.try_get::<String, _>("status")? == "suspended",
        totp_secret: row.try_get("totp_secret")?,
        totp_pending: row.try_get("totp_pending")?,
        totp_last_step: row.try_get("totp_last_step")?,
        created_at: row.try_get("created_at")?,
        preferences: preferences_from(row)?,
        avatar_updated_at: row.try_get("avatar_updated_at")?,
    })
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    /// `None` for an account that logs in only through an external provider.
    pub password_hash: Option<&'a str>,
    pub role: Role,
    pub verified: bool,
}

/// Inserts a user; `None` when the address is taken.
pub async fn insert_user(conn: &mut AnyConnection, new: NewUser<'_>) -> Result<Option<String>> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = now_ms();
    let inserted = sqlx::query(
        "INSERT INTO users (id, email, email_verified_at, display_name, password_hash, role, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $7)
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(&id)
    .bind(new.email)
    .bind(new.verified.then_some(now))
    .bind(new.display_name)
    .bind(new.password_hash)
    .bind(new.role.as_str())
    .bind(now)
    .execute(conn)
    .await?;
    Ok((inserted.rows_affected() == 1).then_some(id))
}

pub async fn user_by_email(conn: &mut AnyConnection, email: &str) -> Result<Option<User>> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"))
        .bind(email)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(user_from).transpose()
}

pub async fn user_by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<User>> {
    let row =
        sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")).bind(id).fetch_optional(conn).await?;
    row.as_ref().map(user_from).transpose()
}

/// Users in id order after `cursor`.
pub async fn list_users(conn: &mut AnyConnection, cursor: Option<&str>, limit: i64) -> Result<Vec<User>> {
    let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id > $1 ORDER BY id LIMIT $2"))
        .bind(cursor.unwrap_or(""))
        .bind(limit)
        .fetch_all(conn)
        .await?;
    rows.iter().map(user_from).collect()
}

pub async fn set_password(conn: &mut AnyConnection, user_id: &str, hash: &str) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now_ms())
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn clear_password(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = NULL, updated_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn mark_verified(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    let now = now_ms();
    sqlx::query("UPDATE users SET email_verified_at = $1, updated_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Changes what `change` names in one statement, leaving the rest as it is
/// (even when another change of other fields lands meanwhile).
pub async fn change_profile(conn: &mut AnyConnection, user_id: &str, change: &CheckedChange) -> Result<()> {
    sqlx::query(
        "UPDATE users SET display_name = COALESCE($1, display_name), units = COALESCE($2, units),
            default_privacy = COALESCE($3, default_privacy), language = COALESCE($4, language), updated_at = $5
         WHERE id = $6",
    )
    .bind(change.display_name.as_deref())
    .bind(change.units.map(Units::as_str))
    .bind(change.default_privacy.map(Privacy::as_str))
    .bind(change.language.map(Language::as_str))
    .bind(now_ms())
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn preferences(conn: &mut AnyConnection, user_id: &str) -> Result<Option<Preferences>> {
    let row = sqlx::query("SELECT units, default_privacy, language FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(preferences_from).transpose()
}

/// Marks the profile picture as set at `at`, or as gone; false when there is no such account.
pub async fn set_avatar(conn: &mut AnyConnection, user_id: &str, at: Option<i64>) -> Result<bool> {
    let done = sqlx::query("UPDATE users SET avatar_updated_at = $1, updated_at = $2 WHERE id = $3")
        .bind(at)
        .bind(now_ms())
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// When an account's profile picture was set; `None` without account or picture.
pub async fn avatar_updated_at(conn: &mut AnyConnection, user_id: &str) -> Result<Option<i64>> {
    let row =
        sqlx::query("SELECT avatar_updated_at FROM users WHERE id = $1").bind(user_id).fetch_optional(conn).await?;
    Ok(row.map(|r| r.try_get::<Option<i64>, _>("avatar_updated_at")).transpose()?.flatten())
}

pub async fn set_suspended(conn: &mut AnyConnection, user_id: &str, suspended: bool) -> Result<bool> {
    let done = sqlx::query("UPDATE users SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(if suspended { "suspended" } else { "active" })
        .bind(now_ms())
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn delete_user(conn: &mut AnyConnection, user_id: &str) -> Result<bool> {
    // Children first: CockroachDB and SQLite builds without foreign keys need no cascade.
    for table in ["recovery_codes", "one_time_tokens", "external_identities", "oauth_grants", "oauth_codes"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1")).bind(user_id).execute(&mut *conn).await?;
    }
    // Applications the person registered go too, and with them everyone's sessions in them.
    sqlx::query(
        "UPDATE sessions SET revoked_at = $1, revoked_reason = 'application deleted'
         WHERE revoked_at IS NULL AND client_id IN (SELECT id FROM oauth_clients WHERE owner_id = $2)",
    )
    .bind(now_ms())
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    for table in ["oauth_grants", "oauth_codes"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE client_id IN (SELECT id FROM oauth_clients WHERE owner_id = $1)"
        ))
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM oauth_clients WHERE owner_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE user_id = $1)")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    let done = sqlx::query("DELETE FROM users WHERE id = $1").bind(user_id).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

// --- second factor ----------------------------------------------------------

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

// --- one-time tokens ------------------------------------------------------------

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

// --- sessions and refresh tokens -------------------------------------------------

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
    pub used: bool,
    pub expired: bool,
    pub session_revoked: bool,
}

pub async fn refresh_token_state(conn: &mut AnyConnection, token: &str) -> Result<Option<RefreshTokenState>> {
    let row = sqlx::query(
        "SELECT r.session_id, r.used_at, r.expires_at, s.user_id, s.revoked_at, s.client_id, s.scope
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
        used: row.try_get::<Option<i64>, _>("used_at")?.is_some(),
        expired: row.try_get::<i64, _>("expires_at")? <= now_ms(),
        session_revoked: row.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
    }))
}

/// Spends a refresh token; false if it was spent meanwhile.
pub async fn spend_refresh_token(conn: &mut AnyConnection, token: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE refresh_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
        .bind(now_ms())
        .bind(secrets::hash(token))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
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

pub async fn check_session(conn: &mut AnyConnection, session_id: &str, user_id: &str) -> Result<Option<SessionCheck>> {
    let row = sqlx::query(
        "SELECT s.revoked_at, u.status, u.role, u.email_verified_at
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND u.id = $2",
    )
    .bind(session_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(SessionCheck {
        revoked: row.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
        suspended: row.try_get::<String, _>("status")? == "suspended",
        role: Role::parse(&row.try_get::<String, _>("role")?),
        email_verified: row.try_get::<Option<i64>, _>("email_verified_at")?.is_some(),
    }))
}

// --- external identities --------------------------------------------------------

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
