//! The SQL of the OAuth provider.

use platform::db::now_ms;
use sqlx::{AnyConnection, Row};

use crate::error::Result;
use crate::secrets;

#[derive(Clone, Debug)]
pub struct Client {
    pub id: String,
    pub secret_hash: Option<String>,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
    pub owner_id: String,
    pub created_at: i64,
}

impl Client {
    pub fn is_public(&self) -> bool {
        self.secret_hash.is_none()
    }
}

fn client_from(row: &sqlx::any::AnyRow) -> Result<Client> {
    let uris: String = row.try_get("redirect_uris")?;
    let scopes: String = row.try_get("scopes")?;
    Ok(Client {
        id: row.try_get("id")?,
        secret_hash: row.try_get("secret_hash")?,
        name: row.try_get("name")?,
        redirect_uris: serde_json::from_str(&uris).unwrap_or_default(),
        scopes: super::split_scopes(&scopes),
        owner_id: row.try_get("owner_id")?,
        created_at: row.try_get("created_at")?,
    })
}

const CLIENT_COLUMNS: &str = "id, secret_hash, name, redirect_uris, scopes, owner_id, created_at";

pub async fn insert_client(conn: &mut AnyConnection, client: &Client) -> Result<()> {
    sqlx::query(
        "INSERT INTO oauth_clients (id, secret_hash, name, redirect_uris, scopes, owner_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&client.id)
    .bind(&client.secret_hash)
    .bind(&client.name)
    .bind(serde_json::to_string(&client.redirect_uris).expect("strings serialize"))
    .bind(client.scopes.join(" "))
    .bind(&client.owner_id)
    .bind(client.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn client(conn: &mut AnyConnection, id: &str) -> Result<Option<Client>> {
    let row = sqlx::query(&format!("SELECT {CLIENT_COLUMNS} FROM oauth_clients WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(client_from).transpose()
}

pub async fn clients_of(conn: &mut AnyConnection, owner_id: &str) -> Result<Vec<Client>> {
    let rows =
        sqlx::query(&format!("SELECT {CLIENT_COLUMNS} FROM oauth_clients WHERE owner_id = $1 ORDER BY created_at"))
            .bind(owner_id)
            .fetch_all(conn)
            .await?;
    rows.iter().map(client_from).collect()
}

pub async fn delete_client(conn: &mut AnyConnection, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM oauth_codes WHERE client_id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM oauth_grants WHERE client_id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query("UPDATE sessions SET revoked_at = $1, revoked_reason = 'application deleted' WHERE client_id = $2 AND revoked_at IS NULL")
        .bind(now_ms())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM oauth_clients WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// The scopes a user already allowed a client, if any.
pub async fn granted_scope(conn: &mut AnyConnection, user_id: &str, client_id: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT scope FROM oauth_grants WHERE user_id = $1 AND client_id = $2")
        .bind(user_id)
        .bind(client_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.try_get("scope")).transpose()?)
}

pub async fn save_grant(conn: &mut AnyConnection, user_id: &str, client_id: &str, scope: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO oauth_grants (user_id, client_id, scope, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, client_id) DO UPDATE SET scope = excluded.scope",
    )
    .bind(user_id)
    .bind(client_id)
    .bind(scope)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

pub struct Grant {
    pub client_id: String,
    pub client_name: String,
    pub scope: String,
    pub created_at: i64,
}

pub async fn grants_of(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<Grant>> {
    let rows = sqlx::query(
        "SELECT g.client_id, c.name, g.scope, g.created_at FROM oauth_grants g
         JOIN oauth_clients c ON c.id = g.client_id WHERE g.user_id = $1 ORDER BY g.created_at",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Grant {
                client_id: r.try_get("client_id")?,
                client_name: r.try_get("name")?,
                scope: r.try_get("scope")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Withdraws what a user allowed a client and ends the client's sessions for them.
pub async fn revoke_grant(conn: &mut AnyConnection, user_id: &str, client_id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM oauth_grants WHERE user_id = $1 AND client_id = $2")
        .bind(user_id)
        .bind(client_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE sessions SET revoked_at = $1, revoked_reason = 'access withdrawn'
         WHERE user_id = $2 AND client_id = $3 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(user_id)
    .bind(client_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct Code {
    pub client_id: String,
    pub user_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub code_challenge: Option<String>,
    pub nonce: Option<String>,
}

pub async fn insert_code(conn: &mut AnyConnection, code: &Code, ttl_ms: i64) -> Result<String> {
    let value = secrets::new_token();
    sqlx::query(
        "INSERT INTO oauth_codes (code_hash, client_id, user_id, redirect_uri, scope, code_challenge, nonce, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(secrets::hash(&value))
    .bind(&code.client_id)
    .bind(&code.user_id)
    .bind(&code.redirect_uri)
    .bind(&code.scope)
    .bind(&code.code_challenge)
    .bind(&code.nonce)
    .bind(now_ms() + ttl_ms)
    .execute(conn)
    .await?;
    Ok(value)
}

/// Spends a live code; only one of two racing redemptions gets it.
pub async fn spend_code(conn: &mut AnyConnection, value: &str) -> Result<Option<Code>> {
    let hash = secrets::hash(value);
    let done =
        sqlx::query("UPDATE oauth_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1")
            .bind(now_ms())
            .bind(&hash)
            .execute(&mut *conn)
            .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT client_id, user_id, redirect_uri, scope, code_challenge, nonce FROM oauth_codes WHERE code_hash = $1",
    )
    .bind(&hash)
    .fetch_one(conn)
    .await?;
    Ok(Some(Code {
        client_id: row.try_get("client_id")?,
        user_id: row.try_get("user_id")?,
        redirect_uri: row.try_get("redirect_uri")?,
        scope: row.try_get("scope")?,
        code_challenge: row.try_get("code_challenge")?,
        nonce: row.try_get("nonce")?,
    }))
}
