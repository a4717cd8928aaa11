//! The tickets a browser opens its socket with: single use, short-lived,
//! kept in the database so that any replica can take them.

use sqlx::Row;

use crate::db::{now_ms, Database};
use crate::http::{Bearer, Caller};
use crate::people::Role;

/// Who a ticket opens a socket for, and until when their token lasts.
pub struct Holder {
    pub caller: Caller,
    pub token_expires: i64,
}

pub async fn issue(db: &Database, digest: &str, bearer: &Bearer, ttl_ms: i64) -> Result<(), sqlx::Error> {
    let caller = &bearer.caller;
    let now = now_ms();
    sqlx::query("DELETE FROM realtime_tickets WHERE expires_at < $1").bind(now).execute(db.pool()).await?;
    sqlx::query(
        "INSERT INTO realtime_tickets (digest, user_id, session_id, role, email_verified, token_expires, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(digest)
    .bind(&caller.id)
    .bind(&caller.session_id)
    .bind(caller.role.as_str())
    .bind(i64::from(caller.email_verified))
    .bind(bearer.expires_at)
    .bind(now + ttl_ms)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Whom a ticket was issued to, once: the ticket is gone after.
pub async fn redeem(db: &Database, digest: &str) -> Result<Option<Holder>, sqlx::Error> {
    let row = sqlx::query(
        "DELETE FROM realtime_tickets WHERE digest = $1 AND expires_at >= $2 \
         RETURNING user_id, session_id, role, email_verified, token_expires",
    )
    .bind(digest)
    .bind(now_ms())
    .fetch_optional(db.pool())
    .await?;
    row.map(|row| {
        let role: String = row.try_get("role")?;
        let caller = Caller {
            id: row.try_get("user_id")?,
            session_id: row.try_get("session_id")?,
            role: Role::parse(&role),
            email_verified: row.try_get::<i64, _>("email_verified")? != 0,
        };
        Ok(Holder { caller, token_expires: row.try_get("token_expires")? })
    })
    .transpose()
}
