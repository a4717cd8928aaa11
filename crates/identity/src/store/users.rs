//! Accounts: who they are, their preferences and picture, and erasing them.

use platform::db::{now_ms, NullableDouble, Reads};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

pub use platform::people::Role;

use crate::athlete::{Athlete, Sex};
use crate::error::Result;
use crate::preferences::{CheckedChange, Language, Preferences, Privacy, Units};

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
    pub athlete: Athlete,
}

pub(super) const USER_COLUMNS: &str = "id, email, email_verified_at, display_name, password_hash, role, status, totp_secret, \
                            totp_pending, totp_last_step, created_at, units, default_privacy, language, avatar_updated_at, \
                            sex, birth_year, weight_kg";

/// Stored preferences; a value this build does not know reads as the default.
fn preferences_from(row: &AnyRow) -> Result<Preferences> {
    Ok(Preferences {
        units: Units::parse(&row.try_get::<String, _>("units")?).unwrap_or_default(),
        default_privacy: Privacy::parse(&row.try_get::<String, _>("default_privacy")?).unwrap_or_default(),
        language: Language::parse(&row.try_get::<String, _>("language")?).unwrap_or_default(),
    })
}

/// Stored facts; a sex this build does not know reads as not said.
fn athlete_from(row: &AnyRow) -> Result<Athlete> {
    Ok(Athlete {
        sex: row.try_get::<Option<String>, _>("sex")?.as_deref().and_then(Sex::parse),
        birth_year: row.try_get("birth_year")?,
        weight_kg: row.try_get("weight_kg")?,
    })
}

pub(super) fn user_from(row: &AnyRow) -> Result<User> {
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
        athlete: athlete_from(row)?,
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

pub async fn user_by_id(conn: &mut impl Reads, id: &str) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    let row = conn.fetch_optional(sqlx::query(&sql).bind(id)).await?;
    row.as_ref().map(user_from).transpose()
}

/// The users among `ids` (at most a few hundred: one statement's parameters).
pub async fn users_by_ids(conn: &mut impl Reads, ids: &[String]) -> Result<Vec<User>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = (1..=ids.len()).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ");
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id IN ({marks})");
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(id);
    }
    conn.fetch_all(query).await?.iter().map(user_from).collect()
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

/// Active people whose name contains `words` (any case), by name then id, after `after`.
pub async fn search(conn: &mut AnyConnection, words: &str, after: (&str, &str), limit: i64) -> Result<Vec<User>> {
    // `%` and `_` typed by the person are letters, not patterns.
    let escaped = words.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users WHERE status = 'active' AND LOWER(display_name) LIKE $1 ESCAPE '\\'
         AND (display_name > $2 OR (display_name = $2 AND id > $3)) ORDER BY display_name, id LIMIT $4"
    );
    let rows =
        sqlx::query(&sql).bind(format!("%{escaped}%")).bind(after.0).bind(after.1).bind(limit).fetch_all(conn).await?;
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
/// (even when another change of other fields lands meanwhile). The facts
/// may be cleared, so a null cannot mean "unchanged" for them: each comes
/// with a flag saying whether it is set.
pub async fn change_profile(conn: &mut AnyConnection, user_id: &str, change: &CheckedChange) -> Result<()> {
    let athlete = &change.athlete;
    sqlx::query(
        "UPDATE users SET display_name = COALESCE($1, display_name), units = COALESCE($2, units),
            default_privacy = COALESCE($3, default_privacy), language = COALESCE($4, language),
            sex = CASE WHEN $5 THEN $6 ELSE sex END, birth_year = CASE WHEN $7 THEN $8 ELSE birth_year END,
            weight_kg = CASE WHEN $9 THEN $10 ELSE weight_kg END, updated_at = $11
         WHERE id = $12",
    )
    .bind(change.display_name.as_deref())
    .bind(change.units.map(Units::as_str))
    .bind(change.default_privacy.map(Privacy::as_str))
    .bind(change.language.map(Language::as_str))
    .bind(athlete.sex.is_some())
    .bind(athlete.sex.flatten().map(Sex::as_str))
    .bind(athlete.birth_year.is_some())
    .bind(athlete.birth_year.flatten())
    .bind(athlete.weight_kg.is_some())
    .bind(NullableDouble(athlete.weight_kg.flatten()))
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

pub async fn set_role(conn: &mut AnyConnection, user_id: &str, role: Role) -> Result<bool> {
    let done = sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(role.as_str())
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
