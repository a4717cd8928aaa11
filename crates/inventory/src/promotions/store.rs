//! Promotions' SQL: offers, their counters, dismissals, and people's settings.

use platform::db::NullableDouble;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::model::{Settings, StoredOffer};
use crate::error::Result;

const COLUMNS: &str = "id, owner_id, title, body, link, picture_key, starts_at, ends_at, kinds, sports, regions, \
    min_worn, views, clicks, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<StoredOffer> {
    Ok(StoredOffer {
        id: row.try_get("id")?,
        owner_id: row.try_get("owner_id")?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        link: row.try_get("link")?,
        picture_key: row.try_get("picture_key")?,
        starts_at: row.try_get("starts_at")?,
        ends_at: row.try_get("ends_at")?,
        kinds: serde_json::from_str(&row.try_get::<String, _>("kinds")?)?,
        sports: serde_json::from_str(&row.try_get::<String, _>("sports")?)?,
        regions: serde_json::from_str(&row.try_get::<String, _>("regions")?)?,
        min_worn: row.try_get("min_worn")?,
        views: row.try_get("views")?,
        clicks: row.try_get("clicks")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub async fn insert(conn: &mut AnyConnection, offer: &StoredOffer) -> Result<()> {
    let sql = format!(
        "INSERT INTO promotions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    );
    sqlx::query(&sql)
        .bind(&offer.id)
        .bind(&offer.owner_id)
        .bind(&offer.title)
        .bind(&offer.body)
        .bind(&offer.link)
        .bind(&offer.picture_key)
        .bind(offer.starts_at)
        .bind(offer.ends_at)
        .bind(serde_json::to_string(&offer.kinds)?)
        .bind(serde_json::to_string(&offer.sports)?)
        .bind(serde_json::to_string(&offer.regions)?)
        .bind(NullableDouble(offer.min_worn))
        .bind(offer.views)
        .bind(offer.clicks)
        .bind(offer.created_at)
        .bind(offer.updated_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Writes what an author may change; the counters are left alone.
pub async fn update(conn: &mut AnyConnection, offer: &StoredOffer) -> Result<()> {
    sqlx::query(
        "UPDATE promotions SET title = $1, body = $2, link = $3, picture_key = $4, starts_at = $5, ends_at = $6,
            kinds = $7, sports = $8, regions = $9, min_worn = $10, updated_at = $11 WHERE id = $12",
    )
    .bind(&offer.title)
    .bind(&offer.body)
    .bind(&offer.link)
    .bind(&offer.picture_key)
    .bind(offer.starts_at)
    .bind(offer.ends_at)
    .bind(serde_json::to_string(&offer.kinds)?)
    .bind(serde_json::to_string(&offer.sports)?)
    .bind(serde_json::to_string(&offer.regions)?)
    .bind(NullableDouble(offer.min_worn))
    .bind(offer.updated_at)
    .bind(&offer.id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<StoredOffer>> {
    let sql = format!("SELECT {COLUMNS} FROM promotions WHERE id = $1");
    sqlx::query(&sql).bind(id).fetch_optional(conn).await?.as_ref().map(from_row).transpose()
}

/// Offers by `owner_id`, or everyone's; newest first.
pub async fn by_owner(conn: &mut AnyConnection, owner_id: Option<&str>) -> Result<Vec<StoredOffer>> {
    let sql = format!("SELECT {COLUMNS} FROM promotions WHERE ($1 = '' OR owner_id = $1) ORDER BY id DESC");
    sqlx::query(&sql).bind(owner_id.unwrap_or_default()).fetch_all(conn).await?.iter().map(from_row).collect()
}

/// Offers running at `now` that the person has not dismissed.
pub async fn running_for(conn: &mut AnyConnection, user_id: &str, now: i64) -> Result<Vec<StoredOffer>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM promotions p WHERE starts_at <= $1 AND ends_at > $1
         AND NOT EXISTS (SELECT 1 FROM promotion_dismissals d WHERE d.promotion_id = p.id AND d.user_id = $2)
         ORDER BY id DESC LIMIT 500"
    );
    sqlx::query(&sql).bind(now).bind(user_id).fetch_all(conn).await?.iter().map(from_row).collect()
}

pub async fn count_view(conn: &mut AnyConnection, id: &str) -> Result<()> {
    sqlx::query("UPDATE promotions SET views = views + 1 WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// Counts a click; false when there is no such offer.
pub async fn count_click(conn: &mut AnyConnection, id: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE promotions SET clicks = clicks + 1 WHERE id = $1").bind(id).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn dismiss(conn: &mut AnyConnection, user_id: &str, id: &str, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO promotion_dismissals (user_id, promotion_id, dismissed_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, promotion_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn dismissals(conn: &mut AnyConnection, id: &str) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM promotion_dismissals WHERE promotion_id = $1")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(row.try_get("n")?)
}

/// The offers a person dismissed, for their export.
pub async fn dismissed_by(conn: &mut AnyConnection, user_id: &str) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT promotion_id FROM promotion_dismissals WHERE user_id = $1 ORDER BY promotion_id")
        .bind(user_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|r| Ok(r.try_get("promotion_id")?)).collect()
}

pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<()> {
    for sql in ["DELETE FROM promotion_dismissals WHERE promotion_id = $1", "DELETE FROM promotions WHERE id = $1"] {
        sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn settings(conn: &mut AnyConnection, user_id: &str) -> Result<Settings> {
    let row = sqlx::query("SELECT promotions, region FROM inventory_settings WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    let Some(row) = row else { return Ok(Settings::default()) };
    Ok(Settings { promotions: row.try_get::<i64, _>("promotions")? != 0, region: row.try_get("region")? })
}

pub async fn set_settings(conn: &mut AnyConnection, user_id: &str, settings: &Settings) -> Result<()> {
    sqlx::query(
        "INSERT INTO inventory_settings (user_id, promotions, region) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET promotions = excluded.promotions, region = excluded.region",
    )
    .bind(user_id)
    .bind(i64::from(settings.promotions))
    .bind(&settings.region)
    .execute(conn)
    .await?;
    Ok(())
}

/// Everything inventory keeps of a person outside their equipment: their
/// settings, dismissals and the offers they wrote.
pub async fn erase_user(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    for sql in [
        "DELETE FROM inventory_settings WHERE user_id = $1",
        "DELETE FROM promotion_dismissals WHERE user_id = $1",
        "DELETE FROM promotion_dismissals WHERE promotion_id IN (SELECT id FROM promotions WHERE owner_id = $1)",
        "DELETE FROM promotions WHERE owner_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}
