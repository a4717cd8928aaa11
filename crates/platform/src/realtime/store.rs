//! The tickets a browser opens its socket with: single use, short-lived,
//! kept in the database so that any replica can take them.

use sqlx::Row;

use crate::db::{now_ms, Database};
use crate::http::Caller;
use crate::people::Role;

pub async fn issue(db: &Database, digest: &str, caller: &Caller, ttl_ms: i64) -> Result<(), sqlx::Error> {
    let now = now_ms();
    sqlx::query("DELETE FROM realtime_tickets WHERE expires_at < $1").bind(now).execute(db.pool()).await?;
    sqlx::query(
        "INSERT INTO realtime_tickets (digest, user_id, session_id, role, email_verified, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(digest)
    .bind(&caller.id)
    .bind(&caller.session_id)
    .bind(caller.role.as_str())
    .bind(i64::from(caller.email_verified))
    .bind(now + ttl_ms)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The caller a ticket was issued to, once: the ticket is gone after.
pub async fn redeem(db: &Database, digest: &str) -> Result<Option<Caller>, sqlx::Error> {
    let row = sqlx::query(
        "DELETE FROM realtime_tickets WHERE digest = $1 AND expires_at >= $2 \
         RETURNING user_id, session_id, role, email_verified",
    )
    .bind(digest)
    .bind(now_ms())
    .fetch_optional(db.pool())
    .await?;
    row.map(|row| {
        let role: String = row.try_get("role")?;
        Ok(Caller {
            id: row.try_get("user_id")?,
            session_id: row.try_get("session_id")?,
            role: Role::parse(&role),
            email_verified: row.try_get::<i64, _>("email_verified")? != 0,
        })
    })
    .transpose()
}
