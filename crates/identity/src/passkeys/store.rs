//! SQL of passkeys and of the ceremonies that create and use them.

use platform::db::now_ms;
use serde::Serialize;
use sqlx::{AnyConnection, Row};
use webauthn_rs::prelude::Passkey;

use crate::error::{IdentityError, Result};
use crate::secrets;

/// A passkey as its owner sees it in their settings.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PasskeyInfo {
    pub id: String,
    pub name: String,
    /// Epoch milliseconds.
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// A stored passkey with the credential the WebAuthn library checks against.
pub struct StoredPasskey {
    pub id: String,
    pub user_id: String,
    pub passkey: Passkey,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ceremony {
    Register,
    Login,
    SecondFactor,
}

impl Ceremony {
    fn as_str(self) -> &'static str {
        match self {
            Ceremony::Register => "register",
            Ceremony::Login => "login",
            Ceremony::SecondFactor => "second-factor",
        }
    }
}

/// Keeps a ceremony's state; returns the handle the client sends back.
pub async fn begin_ceremony(
    conn: &mut AnyConnection,
    purpose: Ceremony,
    user_id: Option<&str>,
    state: &impl Serialize,
    ttl_ms: i64,
) -> Result<String> {
    let now = now_ms();
    // Abandoned ceremonies are swept here rather than by a timer.
    sqlx::query("DELETE FROM passkey_ceremonies WHERE expires_at < $1").bind(now).execute(&mut *conn).await?;
    let handle = secrets::new_token();
    let state = serde_json::to_string(state)?;
    sqlx::query("INSERT INTO passkey_ceremonies (id, purpose, user_id, state, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(secrets::hash(&handle))
        .bind(purpose.as_str())
        .bind(user_id)
        .bind(state)
        .bind(now + ttl_ms)
        .execute(conn)
        .await?;
    Ok(handle)
}

/// Takes a live ceremony out (it works once) with the user it was started for.
pub async fn take_ceremony<T: serde::de::DeserializeOwned>(
    conn: &mut AnyConnection,
    purpose: Ceremony,
    handle: &str,
) -> Result<Option<(Option<String>, T)>> {
    let row = sqlx::query(
        "DELETE FROM passkey_ceremonies WHERE id = $1 AND purpose = $2 AND expires_at > $3 RETURNING user_id, state",
    )
    .bind(secrets::hash(handle))
    .bind(purpose.as_str())
    .bind(now_ms())
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let state: String = row.try_get("state")?;
    let state = serde_json::from_str(&state)?;
    Ok(Some((row.try_get("user_id")?, state)))
}

pub async fn insert(conn: &mut AnyConnection, user_id: &str, name: &str, passkey: &Passkey) -> Result<PasskeyInfo> {
    let info = PasskeyInfo {
        id: uuid::Uuid::now_v7().to_string(),
        name: name.into(),
        created_at: now_ms(),
        last_used_at: None,
    };
    let json = serde_json::to_string(passkey)?;
    sqlx::query(
        "INSERT INTO passkeys (id, user_id, credential_id, name, passkey, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&info.id)
    .bind(user_id)
    .bind(credential_key(passkey.cred_id().as_ref()))
    .bind(name)
    .bind(json)
    .bind(info.created_at)
    .execute(conn)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            IdentityError::Conflict("this passkey is already registered")
        }
        _ => e.into(),
    })?;
    Ok(info)
}

pub async fn list(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<PasskeyInfo>> {
    let rows = sqlx::query(
        "SELECT id, name, created_at, last_used_at FROM passkeys WHERE user_id = $1 ORDER BY created_at, id",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PasskeyInfo {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                created_at: r.try_get("created_at")?,
                last_used_at: r.try_get("last_used_at")?,
            })
        })
        .collect()
}

pub async fn of_user(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<StoredPasskey>> {
    let rows = sqlx::query("SELECT id, user_id, passkey FROM passkeys WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(stored_from).collect()
}

pub async fn by_credential(conn: &mut AnyConnection, credential_id: &[u8]) -> Result<Option<StoredPasskey>> {
    let row = sqlx::query("SELECT id, user_id, passkey FROM passkeys WHERE credential_id = $1")
        .bind(credential_key(credential_id))
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(stored_from).transpose()
}

fn stored_from(row: &sqlx::any::AnyRow) -> Result<StoredPasskey> {
    let json: String = row.try_get("passkey")?;
    Ok(StoredPasskey {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        passkey: serde_json::from_str(&json)?,
    })
}

/// Records a use, with the authenticator's new signature counter.
pub async fn used(conn: &mut AnyConnection, stored: &StoredPasskey) -> Result<()> {
    let json = serde_json::to_string(&stored.passkey)?;
    sqlx::query("UPDATE passkeys SET passkey = $1, last_used_at = $2 WHERE id = $3")
        .bind(json)
        .bind(now_ms())
        .bind(&stored.id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete(conn: &mut AnyConnection, user_id: &str, id: &str) -> Result<bool> {
    let done =
        sqlx::query("DELETE FROM passkeys WHERE id = $1 AND user_id = $2").bind(id).bind(user_id).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn count(conn: &mut AnyConnection, user_id: &str) -> Result<i64> {
    let row =
        sqlx::query("SELECT COUNT(*) AS n FROM passkeys WHERE user_id = $1").bind(user_id).fetch_one(conn).await?;
    Ok(row.try_get("n")?)
}

fn credential_key(credential_id: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(credential_id)
}
