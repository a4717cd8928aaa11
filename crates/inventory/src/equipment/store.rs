//! Equipment's SQL: items, their defaults per sport, and their usage totals.

use std::collections::HashMap;

use platform::db::{rfc3339, NullableDouble, Reads};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::model::Stored;
use crate::error::Result;
use crate::model::{Kind, Usage};

const COLUMNS: &str = "id, user_id, kind, brand, model, nickname, purchased_on, price, currency, notes, sports, \
    photo_key, threshold_m, alerted_threshold_m, retired_on, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<Stored> {
    Ok(Stored {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        kind: Kind::parse(&row.try_get::<String, _>("kind")?),
        brand: row.try_get("brand")?,
        model: row.try_get("model")?,
        nickname: row.try_get("nickname")?,
        purchased_on: row.try_get("purchased_on")?,
        price: row.try_get("price")?,
        currency: row.try_get("currency")?,
        notes: row.try_get("notes")?,
        sports: serde_json::from_str(&row.try_get::<String, _>("sports")?)?,
        photo_key: row.try_get("photo_key")?,
        threshold_m: row.try_get("threshold_m")?,
        alerted_threshold_m: row.try_get("alerted_threshold_m")?,
        retired_on: row.try_get("retired_on")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Adds the item unless its id is taken; false when it was.
pub async fn insert(conn: &mut AnyConnection, item: &Stored) -> Result<bool> {
    let sql = format!(
        "INSERT INTO equipment ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (id) DO NOTHING"
    );
    let done = sqlx::query(&sql)
        .bind(&item.id)
        .bind(&item.user_id)
        .bind(item.kind.as_str())
        .bind(&item.brand)
        .bind(&item.model)
        .bind(&item.nickname)
        .bind(&item.purchased_on)
        .bind(NullableDouble(item.price))
        .bind(&item.currency)
        .bind(&item.notes)
        .bind(serde_json::to_string(&item.sports)?)
        .bind(&item.photo_key)
        .bind(NullableDouble(item.threshold_m))
        .bind(NullableDouble(item.alerted_threshold_m))
        .bind(&item.retired_on)
        .bind(item.created_at)
        .bind(item.updated_at)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn update(conn: &mut AnyConnection, item: &Stored) -> Result<()> {
    sqlx::query(
        "UPDATE equipment SET kind = $1, brand = $2, model = $3, nickname = $4, purchased_on = $5, price = $6,
            currency = $7, notes = $8, sports = $9, photo_key = $10, threshold_m = $11, alerted_threshold_m = $12,
            retired_on = $13, updated_at = $14
         WHERE id = $15 AND user_id = $16",
    )
    .bind(item.kind.as_str())
    .bind(&item.brand)
    .bind(&item.model)
    .bind(&item.nickname)
    .bind(&item.purchased_on)
    .bind(NullableDouble(item.price))
    .bind(&item.currency)
    .bind(&item.notes)
    .bind(serde_json::to_string(&item.sports)?)
    .bind(&item.photo_key)
    .bind(NullableDouble(item.threshold_m))
    .bind(NullableDouble(item.alerted_threshold_m))
    .bind(&item.retired_on)
    .bind(item.updated_at)
    .bind(&item.id)
    .bind(&item.user_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// One of the person's items, locked for a change where the database can.
pub async fn owned(conn: &mut AnyConnection, user_id: &str, id: &str, for_update: bool) -> Result<Option<Stored>> {
    let lock = if for_update && !is_sqlite(conn) { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT {COLUMNS} FROM equipment WHERE id = $1 AND user_id = $2{lock}");
    sqlx::query(&sql).bind(id).bind(user_id).fetch_optional(conn).await?.as_ref().map(from_row).transpose()
}

fn is_sqlite(conn: &AnyConnection) -> bool {
    conn.backend_name().eq_ignore_ascii_case("sqlite")
}

/// The person's items, newest first.
pub async fn of_user(conn: &mut impl Reads, user_id: &str) -> Result<Vec<Stored>> {
    let sql = format!("SELECT {COLUMNS} FROM equipment WHERE user_id = $1 ORDER BY created_at DESC, id DESC");
    conn.fetch_all(sqlx::query(&sql).bind(user_id)).await?.iter().map(from_row).collect()
}

/// Which of `ids` are the person's.
pub async fn owned_ids(conn: &mut AnyConnection, user_id: &str, ids: &[String]) -> Result<Vec<String>> {
    let mut owned = Vec::new();
    for id in ids {
        let found = sqlx::query("SELECT id FROM equipment WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_some() {
            owned.push(id.clone());
        }
    }
    Ok(owned)
}

/// The person's item of `name` (as pickers show it), compared without case.
pub async fn named(conn: &mut AnyConnection, user_id: &str, name: &str) -> Result<Option<Stored>> {
    let wanted = name.to_lowercase();
    Ok(of_user(conn, user_id).await?.into_iter().find(|item| item.name().to_lowercase() == wanted))
}

pub async fn delete(conn: &mut AnyConnection, user_id: &str, id: &str) -> Result<()> {
    for sql in [
        "DELETE FROM equipment_defaults WHERE equipment_id = $1 AND user_id = $2",
        "DELETE FROM equipment_components WHERE equipment_id = $1 AND user_id = $2",
        "DELETE FROM equipment_usage WHERE equipment_id = $1 AND user_id = $2",
        "DELETE FROM equipment WHERE id = $1 AND user_id = $2",
    ] {
        sqlx::query(sql).bind(id).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Makes the item the default of its kind for `sports`, and of nothing else.
pub async fn set_defaults(conn: &mut AnyConnection, item: &Stored, sports: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM equipment_defaults WHERE equipment_id = $1 AND user_id = $2")
        .bind(&item.id)
        .bind(&item.user_id)
        .execute(&mut *conn)
        .await?;
    for sport in sports {
        sqlx::query(
            "INSERT INTO equipment_defaults (user_id, sport, equipment_id, kind) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id, sport, kind) DO UPDATE SET equipment_id = excluded.equipment_id",
        )
        .bind(&item.user_id)
        .bind(sport)
        .bind(&item.id)
        .bind(item.kind.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The sports each of the person's items is the default for.
pub async fn defaults_of_user(conn: &mut impl Reads, user_id: &str) -> Result<HashMap<String, Vec<String>>> {
    let query = sqlx::query("SELECT equipment_id, sport FROM equipment_defaults WHERE user_id = $1 ORDER BY sport")
        .bind(user_id);
    let rows = conn.fetch_all(query).await?;
    let mut defaults: HashMap<String, Vec<String>> = HashMap::new();
    for row in rows {
        defaults.entry(row.try_get("equipment_id")?).or_default().push(row.try_get("sport")?);
    }
    Ok(defaults)
}

/// The items a new training of `sport` gets.
pub async fn defaults_for(conn: &mut AnyConnection, user_id: &str, sport: &str) -> Result<Vec<String>> {
    let rows =
        sqlx::query("SELECT equipment_id FROM equipment_defaults WHERE user_id = $1 AND sport = $2 ORDER BY kind")
            .bind(user_id)
            .bind(sport)
            .fetch_all(conn)
            .await?;
    rows.iter().map(|r| Ok(r.try_get("equipment_id")?)).collect()
}

/// Usage totals per item of the person.
pub async fn usage_of_user(conn: &mut impl Reads, user_id: &str) -> Result<HashMap<String, Usage>> {
    let query = sqlx::query(
        "SELECT equipment_id, COALESCE(SUM(distance_m), 0.0) AS distance_m, COALESCE(SUM(moving_s), 0.0) AS moving_s,
                COALESCE(SUM(elevation_m), 0.0) AS elevation_m, COUNT(*) AS trainings,
                MIN(started_at) AS first_at, MAX(started_at) AS last_at
         FROM equipment_usage WHERE user_id = $1 GROUP BY equipment_id",
    )
    .bind(user_id);
    let rows = conn.fetch_all(query).await?;
    rows.iter().map(|row| Ok((row.try_get("equipment_id")?, usage_from_row(row)?))).collect()
}

/// The columns `distance_m`, `moving_s`, `elevation_m`, `trainings`,
/// `first_at` and `last_at` of a sum over usage rows.
pub fn usage_from_row(row: &AnyRow) -> Result<Usage> {
    let trainings: i64 = row.try_get("trainings")?;
    let at = |column: &str| -> Result<Option<String>> {
        let ms: Option<i64> = row.try_get(column)?;
        Ok(ms.filter(|_| trainings > 0).map(rfc3339))
    };
    Ok(Usage {
        distance_m: row.try_get("distance_m")?,
        moving_s: row.try_get("moving_s")?,
        elevation_m: row.try_get("elevation_m")?,
        trainings,
        first_used_at: at("first_at")?,
        last_used_at: at("last_at")?,
    })
}

/// Every item of the person, with its parts and defaults.
pub async fn erase_user(conn: &mut AnyConnection, user_id: &str) -> Result<()> {
    for sql in [
        "DELETE FROM equipment_defaults WHERE user_id = $1",
        "DELETE FROM equipment_components WHERE user_id = $1",
        "DELETE FROM equipment WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}
