//! Mail settings' SQL.

use sqlx::{AnyConnection, Row};

use super::PartnerSettings;
use crate::error::Result;

pub async fn get(conn: &mut AnyConnection, user_id: &str) -> Result<PartnerSettings> {
    let row = sqlx::query("SELECT mail_matches, mail_unread FROM partner_settings WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    let Some(row) = row else { return Ok(PartnerSettings::default()) };
    Ok(PartnerSettings {
        mail_matches: row.try_get::<i64, _>("mail_matches")? != 0,
        mail_unread: row.try_get::<i64, _>("mail_unread")? != 0,
    })
}

pub async fn put(conn: &mut AnyConnection, user_id: &str, s: PartnerSettings) -> Result<()> {
    sqlx::query(
        "INSERT INTO partner_settings (user_id, mail_matches, mail_unread) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET mail_matches = excluded.mail_matches, mail_unread = excluded.mail_unread",
    )
    .bind(user_id)
    .bind(s.mail_matches as i64)
    .bind(s.mail_unread as i64)
    .execute(conn)
    .await?;
    Ok(())
}
