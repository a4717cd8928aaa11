//! Components' SQL.

use std::collections::HashMap;

use platform::db::{NullableDouble, Reads};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::StoredComponent;
use crate::equipment::store::usage_from_row;
use crate::error::Result;
use crate::model::{ComponentKind, Usage};

const COLUMNS: &str = "id, equipment_id, user_id, kind, name, installed_at, removed_at, replaced_by, threshold_m, \
    alerted_threshold_m, created_at";

fn from_row(row: &AnyRow) -> Result<StoredComponent> {
    Ok(StoredComponent {
        id: row.try_get("id")?,
        equipment_id: row.try_get("equipment_id")?,
        user_id: row.try_get("user_id")?,
        kind: ComponentKind::parse(&row.try_get::<String, _>("kind")?),
        name: row.try_get("name")?,
        installed_at: row.try_get("installed_at")?,
        removed_at: row.try_get("removed_at")?,
        replaced_by: row.try_get("replaced_by")?,
        threshold_m: row.try_get("threshold_m")?,
        alerted_threshold_m: row.try_get("alerted_threshold_m")?,
        created_at: row.try_get("created_at")?,
    })
}

pub async fn insert(conn: &mut AnyConnection, part: &StoredComponent) -> Result<()> {
    let sql =
        format!("INSERT INTO equipment_components ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
    sqlx::query(&sql)
        .bind(&part.id)
        .bind(&part.equipment_id)
        .bind(&part.user_id)
        .bind(part.kind.as_str())
        .bind(&part.name)
        .bind(part.installed_at)
        .bind(part.removed_at)
        .bind(&part.replaced_by)
        .bind(NullableDouble(part.threshold_m))
        .bind(NullableDouble(part.alerted_threshold_m))
        .bind(part.created_at)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn update(conn: &mut AnyConnection, part: &StoredComponent) -> Result<()> {
    sqlx::query(
        "UPDATE equipment_components SET name = $1, removed_at = $2, replaced_by = $3, threshold_m = $4,
            alerted_threshold_m = $5 WHERE id = $6 AND user_id = $7",
    )
    .bind(&part.name)
    .bind(part.removed_at)
    .bind(&part.replaced_by)
    .bind(NullableDouble(part.threshold_m))
    .bind(NullableDouble(part.alerted_threshold_m))
    .bind(&part.id)
    .bind(&part.user_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete(conn: &mut AnyConnection, part: &StoredComponent) -> Result<()> {
    sqlx::query("DELETE FROM equipment_components WHERE id = $1 AND user_id = $2")
        .bind(&part.id)
        .bind(&part.user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn owned(
    conn: &mut AnyConnection,
    user_id: &str,
    equipment_id: &str,
    id: &str,
) -> Result<Option<StoredComponent>> {
    let sql =
        format!("SELECT {COLUMNS} FROM equipment_components WHERE id = $1 AND equipment_id = $2 AND user_id = $3");
    sqlx::query(&sql)
        .bind(id)
        .bind(equipment_id)
        .bind(user_id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The person's parts, each with its usage, fitted ones first, then newest first.
pub async fn of_user(conn: &mut impl Reads, user_id: &str) -> Result<Vec<(StoredComponent, Usage)>> {
    let parts: Vec<StoredComponent> = {
        let sql = format!(
            "SELECT {COLUMNS} FROM equipment_components WHERE user_id = $1
             ORDER BY CASE WHEN removed_at IS NULL THEN 0 ELSE 1 END, installed_at DESC, id DESC"
        );
        conn.fetch_all(sqlx::query(&sql).bind(user_id)).await?.iter().map(from_row).collect::<Result<_>>()?
    };
    let usage = usage_of_user(conn, user_id).await?;
    Ok(parts
        .into_iter()
        .map(|p| {
            let used = usage.get(&p.id).cloned().unwrap_or_default();
            (p, used)
        })
        .collect())
}

/// Usage per part: its item's trainings within the part's fitted period.
async fn usage_of_user(conn: &mut impl Reads, user_id: &str) -> Result<HashMap<String, Usage>> {
    let query = sqlx::query(
        "SELECT c.id AS component_id, COALESCE(SUM(u.distance_m), 0.0) AS distance_m,
                COALESCE(SUM(u.moving_s), 0.0) AS moving_s, COALESCE(SUM(u.elevation_m), 0.0) AS elevation_m,
                COUNT(u.workout_id) AS trainings, MIN(u.started_at) AS first_at, MAX(u.started_at) AS last_at
         FROM equipment_components c
         JOIN equipment_usage u ON u.equipment_id = c.equipment_id AND u.started_at >= c.installed_at
              AND (c.removed_at IS NULL OR u.started_at < c.removed_at)
         WHERE c.user_id = $1 GROUP BY c.id",
    )
    .bind(user_id);
    let rows = conn.fetch_all(query).await?;
    rows.iter().map(|row| Ok((row.try_get("component_id")?, usage_from_row(row)?))).collect()
}

/// The item's parts fitted now.
pub async fn fitted(conn: &mut AnyConnection, user_id: &str, equipment_id: &str) -> Result<Vec<StoredComponent>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM equipment_components WHERE equipment_id = $1 AND user_id = $2 AND removed_at IS NULL"
    );
    sqlx::query(&sql).bind(equipment_id).bind(user_id).fetch_all(conn).await?.iter().map(from_row).collect()
}
