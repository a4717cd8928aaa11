//! What the sync protocol (the `sync` context, through the binary) does with
//! equipment: each step runs in the transaction the protocol holds, so that
//! merging a change and writing it take turns with every other write to the
//! same item. The sports a change names are checked first, before any
//! connection is taken ([`Inventory::prepare_offline`]).

use platform::db::now_ms;
use platform::device_fields;
use serde_json::{Map, Value};
use sqlx::AnyConnection;

use crate::equipment::{self, store, EquipmentChanges, NewEquipment};
use crate::error::{InventoryError, Result};
use crate::model::check_id;
use crate::Inventory;

/// The fields of an item a device may change, each merged on its own.
pub const FIELDS: &[&str] = &[
    "kind",
    "brand",
    "model",
    "nickname",
    "purchased_on",
    "price",
    "currency",
    "notes",
    "sports",
    "default_for",
    "threshold_m",
];

impl Inventory {
    /// Checks the sports a change names against training's catalogue.
    pub async fn prepare_offline(&self, fields: &Map<String, Value>) -> Result<()> {
        let list = |name: &str| -> Vec<String> {
            fields.get(name).and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default()
        };
        self.check_sports(&list("sports"), &list("default_for")).await
    }

    /// Changes the fields given, as `PATCH /api/v1/equipment/{id}` would.
    pub async fn update_offline(
        &self,
        conn: &mut AnyConnection,
        user_id: &str,
        id: &str,
        fields: &Map<String, Value>,
    ) -> Result<()> {
        let changes: EquipmentChanges = from_fields(fields)?;
        self.change_in(conn, user_id, id, changes).await
    }
}

/// The person's item, locked for the rest of the transaction, as a record.
pub async fn lock(conn: &mut AnyConnection, user_id: &str, id: &str) -> Result<Option<Value>> {
    if store::owned(conn, user_id, id, true).await?.is_none() {
        return Ok(None);
    }
    Ok(records(conn, user_id, &[id.to_string()]).await?.pop().map(|(_, record)| record))
}

/// Adds an item under the id the device chose; an id taken by anyone
/// else's item is a conflict.
pub async fn create(conn: &mut AnyConnection, user_id: &str, id: &str, fields: &Map<String, Value>) -> Result<()> {
    let mut new: NewEquipment = from_fields(fields)?;
    new.id = None;
    let id = check_id("id", id)?;
    let (item, defaults) = new.into_stored(user_id, id, now_ms())?;
    if !equipment::add_in(conn, &item, &defaults).await? {
        return Err(InventoryError::Conflict("this id is taken; choose another UUID for a new item".into()));
    }
    Ok(())
}

/// Deletes the item; answers its photo's key, to delete after the commit.
pub async fn delete(conn: &mut AnyConnection, user_id: &str, id: &str) -> Result<Option<String>> {
    equipment::delete_in(conn, user_id, id).await
}

/// The person's items among `ids`, as records for devices.
pub async fn records(conn: &mut AnyConnection, user_id: &str, ids: &[String]) -> Result<Vec<(String, Value)>> {
    let items = equipment::own_in(conn, user_id, ids).await?;
    items.into_iter().map(|item| Ok((item.id.clone(), serde_json::to_value(&item)?))).collect()
}

/// The fields a device may change, as the record has them now.
pub fn fields_of(record: &Value) -> Map<String, Value> {
    device_fields::of(record, FIELDS)
}

/// A device's fields read as the regular routes read their bodies.
fn from_fields<T: serde::de::DeserializeOwned>(fields: &Map<String, Value>) -> Result<T> {
    device_fields::read(fields, FIELDS).map_err(|e| InventoryError::invalid(e.field, e.detail))
}
