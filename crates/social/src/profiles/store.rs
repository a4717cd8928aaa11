//! Profiles' SQL.

use sqlx::{AnyConnection, Row};

use super::StoredProfile;
use crate::error::Result;

pub async fn get(conn: &mut AnyConnection, user_id: &str) -> Result<StoredProfile> {
    let row = sqlx::query("SELECT bio, sports, home_area, private FROM social_profiles WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    let Some(row) = row else { return Ok(StoredProfile::default()) };
    Ok(StoredProfile {
        bio: row.try_get("bio")?,
        sports: serde_json::from_str(&row.try_get::<String, _>("sports")?).unwrap_or_default(),
        home_area: row.try_get("home_area")?,
        private: row.try_get::<i64, _>("private")? != 0,
    })
}

pub async fn is_private(conn: &mut AnyConnection, user_id: &str) -> Result<bool> {
    Ok(get(conn, user_id).await?.private)
}

pub async fn put(conn: &mut AnyConnection, user_id: &str, profile: &StoredProfile, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO social_profiles (user_id, bio, sports, home_area, private, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (user_id) DO UPDATE SET bio = excluded.bio, sports = excluded.sports,
            home_area = excluded.home_area, private = excluded.private, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(&profile.bio)
    .bind(serde_json::to_string(&profile.sports).unwrap_or_else(|_| "[]".into()))
    .bind(&profile.home_area)
    .bind(i64::from(profile.private))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn erase_user(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM social_profiles WHERE user_id = $1").bind(user_id).execute(conn).await?;
    Ok(())
}
