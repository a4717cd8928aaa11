//! A person's equipment: added (offline too, with a client-chosen id),
//! changed, retired, deleted, photographed, and chosen by default for a
//! sport's new trainings.

pub mod model;
pub mod photo;
pub(crate) mod store;

use std::collections::HashMap;

use platform::change_log::Operation;
use platform::db::{now_ms, rfc3339, Reads};
use platform::outbox::{self, DomainEvent};
use serde::Deserialize;
use sqlx::AnyConnection;
use utoipa::IntoParams;

use crate::error::{InventoryError, Result};
use crate::model::{check_date, check_id, new_id, today, worn, Usage};
use crate::{components, Inventory};
pub use model::{Equipment, EquipmentChanges, NewEquipment, Retirement, Stored};

/// What inventory tells training when an item is deleted.
pub const DELETED: &str = "EquipmentDeleted";

/// Which items a list shows.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum State {
    #[default]
    Active,
    Retired,
    All,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// `active` (the default), `retired` or `all`.
    #[param(inline)]
    pub state: Option<State>,
}

impl Inventory {
    /// The person's items, newest first.
    pub async fn list_equipment(&self, user_id: &str, state: State) -> Result<Vec<Equipment>> {
        let mut conn = self.platform.db.read().await?;
        let items = whole(&mut conn, user_id).await?;
        Ok(items
            .into_iter()
            .filter(|item| match state {
                State::Active => item.retired_on.is_none(),
                State::Retired => item.retired_on.is_some(),
                State::All => true,
            })
            .collect())
    }

    /// One of the person's items; anyone else's is not found.
    pub async fn equipment(&self, user_id: &str, id: &str) -> Result<Equipment> {
        let mut conn = self.platform.db.read().await?;
        whole(&mut conn, user_id).await?.into_iter().find(|item| item.id == id).ok_or(InventoryError::NotFound)
    }

    /// Adds an item; `false` when a retried create found the one it made before.
    pub async fn add_equipment(&self, user_id: &str, new: NewEquipment) -> Result<(Equipment, bool)> {
        let id = new.id.as_deref().map(|id| check_id("id", id)).transpose()?.unwrap_or_else(new_id);
        let (item, defaults) = new.into_stored(user_id, id, now_ms())?;
        self.check_sports(&item.sports, &defaults).await?;
        let mut tx = self.platform.db.begin().await?;
        if !add_in(&mut tx, &item, &defaults).await? {
            drop(tx);
            return match self.equipment(user_id, &item.id).await {
                Ok(existing) => Ok((existing, false)),
                Err(InventoryError::NotFound) => {
                    Err(InventoryError::Conflict("this id is taken; choose another UUID for a new item".into()))
                }
                Err(e) => Err(e),
            };
        }
        tx.commit().await?;
        Ok((self.equipment(user_id, &item.id).await?, true))
    }

    pub async fn change_equipment(&self, user_id: &str, id: &str, changes: EquipmentChanges) -> Result<Equipment> {
        let sports = changes.sports.clone().unwrap_or_default();
        self.check_sports(&sports, changes.default_for.as_deref().unwrap_or_default()).await?;
        let mut tx = self.platform.db.begin().await?;
        self.change_in(&mut tx, user_id, id, changes).await?;
        tx.commit().await?;
        self.equipment(user_id, id).await
    }

    /// Changes an item within the caller's transaction, its row locked
    /// first; its sports must have been checked ([`Self::check_sports`]).
    pub async fn change_in(
        &self,
        conn: &mut AnyConnection,
        user_id: &str,
        id: &str,
        changes: EquipmentChanges,
    ) -> Result<()> {
        let mut item = store::owned(conn, user_id, id, true).await?.ok_or(InventoryError::NotFound)?;
        let kind = item.kind;
        let defaults = changes.apply(&mut item)?;
        item.updated_at = now_ms();
        store::update(conn, &item).await?;
        if let Some(defaults) = defaults {
            if item.retired_on.is_some() && !defaults.is_empty() {
                return Err(InventoryError::invalid("default_for", "a retired item is nobody's default"));
            }
            store::set_defaults(conn, &item, &defaults).await?;
        } else if kind != item.kind {
            // Defaults are one per kind: keep the sports, under the new kind.
            let defaults = store::defaults_of_user(conn, user_id).await?.remove(&item.id).unwrap_or_default();
            store::set_defaults(conn, &item, &defaults).await?;
        }
        log_change(conn, &item, Operation::Updated).await?;
        self.check_alerts(conn, user_id, std::slice::from_ref(&item.id)).await?;
        Ok(())
    }

    /// Retires the item: it keeps its history and leaves pickers and defaults.
    pub async fn retire(&self, user_id: &str, id: &str, retirement: Retirement) -> Result<Equipment> {
        let on = match retirement.retired_on {
            Some(date) => check_date("retired_on", &date)?,
            None => today(),
        };
        self.set_retired(user_id, id, Some(on)).await
    }

    pub async fn reinstate(&self, user_id: &str, id: &str) -> Result<Equipment> {
        self.set_retired(user_id, id, None).await
    }

    async fn set_retired(&self, user_id: &str, id: &str, on: Option<String>) -> Result<Equipment> {
        let mut tx = self.platform.db.begin().await?;
        let mut item = store::owned(&mut tx, user_id, id, true).await?.ok_or(InventoryError::NotFound)?;
        // Both are YYYY-MM-DD, which sort as the days do.
        if let (Some(on), Some(bought)) = (&on, &item.purchased_on) {
            if on < bought {
                return Err(InventoryError::invalid(
                    "retired_on",
                    "an item is retired on or after the day it was bought",
                ));
            }
        }
        if on.is_some() {
            store::set_defaults(&mut tx, &item, &[]).await?;
        }
        item.retired_on = on;
        item.updated_at = now_ms();
        store::update(&mut tx, &item).await?;
        log_change(&mut tx, &item, Operation::Updated).await?;
        tx.commit().await?;
        self.equipment(user_id, id).await
    }

    /// Deletes the item with its parts, usage and photo; training takes it
    /// off the trainings it was on when it hears `EquipmentDeleted`.
    pub async fn delete_equipment(&self, user_id: &str, id: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        let photo = delete_in(&mut tx, user_id, id).await?;
        tx.commit().await?;
        if let Some(key) = photo {
            if let Err(e) = self.platform.blobs.delete(&key).await {
                tracing::warn!(error = %e, key, "a deleted item's photo could not be deleted; the sweep of erased accounts will");
            }
        }
        Ok(())
    }

    /// Training's question: which of `ids` are not the person's items.
    pub async fn not_owned(&self, user_id: &str, ids: &[String]) -> Result<Vec<String>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let owned = store::owned_ids(&mut conn, user_id, ids).await?;
        Ok(ids.iter().filter(|id| !owned.contains(id)).cloned().collect())
    }

    /// Training's question: what a new training of `sport` gets by default.
    pub async fn defaults_for(&self, user_id: &str, sport: &str) -> Result<Vec<String>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::defaults_for(&mut conn, user_id, sport).await
    }

    /// The person's item called `name`, made if there is none: how an
    /// imported activity's gear becomes equipment.
    pub async fn gear_named(&self, user_id: &str, name: &str, sport: &str) -> Result<String> {
        let name: String = name.chars().filter(|c| platform::http::text::allowed(*c)).take(100).collect();
        let name = name.trim();
        let mut tx = self.platform.db.begin().await?;
        if let Some(item) = store::named(&mut tx, user_id, name).await? {
            return Ok(item.id);
        }
        let kind = crate::model::Kind::for_sport(sport);
        let new = NewEquipment {
            kind,
            nickname: Some(name.to_string()),
            sports: Some(vec![sport.to_string()]),
            ..NewEquipment::default()
        };
        let (item, _) = new.into_stored(user_id, new_id(), now_ms())?;
        store::insert(&mut tx, &item).await?;
        log_change(&mut tx, &item, Operation::Created).await?;
        tx.commit().await?;
        Ok(item.id)
    }

    /// Sports must be in training's catalogue; asked before any connection is taken.
    pub async fn check_sports(&self, sports: &[String], defaults: &[String]) -> Result<()> {
        if sports.is_empty() && defaults.is_empty() {
            return Ok(());
        }
        let known = self.trainings.sports().await.map_err(InventoryError::Internal)?;
        for (field, list) in [("sports", sports), ("default_for", defaults)] {
            if let Some(unknown) = list.iter().find(|s| !known.contains(s)) {
                return Err(InventoryError::invalid(
                    field,
                    format!("`{unknown}` is not a sport; the sports are listed at /api/v1/sports"),
                ));
            }
        }
        Ok(())
    }
}

/// The person's items as the API shows them, with usage, parts and defaults.
pub(crate) async fn whole(conn: &mut impl Reads, user_id: &str) -> Result<Vec<Equipment>> {
    let items = store::of_user(&mut *conn, user_id).await?;
    let mut usage = store::usage_of_user(&mut *conn, user_id).await?;
    let mut defaults = store::defaults_of_user(&mut *conn, user_id).await?;
    let mut parts: HashMap<String, Vec<components::Component>> = HashMap::new();
    for (part, used) in components::store::of_user(conn, user_id).await? {
        parts.entry(part.equipment_id.clone()).or_default().push(part.shown(used));
    }
    Ok(items
        .into_iter()
        .map(|item| {
            let usage: Usage = usage.remove(&item.id).unwrap_or_default();
            Equipment {
                name: item.name(),
                worn: worn(&usage, item.threshold_m),
                default_for: defaults.remove(&item.id).unwrap_or_default(),
                components: parts.remove(&item.id).unwrap_or_default(),
                photo: item.photo_key.is_some(),
                created_at: rfc3339(item.created_at),
                updated_at: rfc3339(item.updated_at),
                usage,
                id: item.id,
                kind: item.kind,
                brand: item.brand,
                model: item.model,
                nickname: item.nickname,
                purchased_on: item.purchased_on,
                price: item.price,
                currency: item.currency,
                notes: item.notes,
                sports: item.sports,
                threshold_m: item.threshold_m,
                retired_on: item.retired_on,
            }
        })
        .collect())
}

/// Deletes an item within the caller's transaction; answers the key of
/// its photo, for the caller to delete from the file store after the commit.
pub async fn delete_in(conn: &mut AnyConnection, user_id: &str, id: &str) -> Result<Option<String>> {
    let item = store::owned(conn, user_id, id, true).await?.ok_or(InventoryError::NotFound)?;
    store::delete(conn, user_id, id).await?;
    log_change(conn, &item, Operation::Deleted).await?;
    let facts = serde_json::json!({ "equipment_id": id, "user_id": user_id });
    outbox::record(conn, &DomainEvent { kind: DELETED, subject_id: id, user_id, payload: &facts }).await?;
    Ok(item.photo_key)
}

/// Adds an item within the caller's transaction; `false` when its id is
/// taken (by the person's own item made before, or by anyone else's).
pub async fn add_in(conn: &mut AnyConnection, item: &Stored, defaults: &[String]) -> Result<bool> {
    if !store::insert(conn, item).await? {
        return Ok(false);
    }
    store::set_defaults(conn, item, defaults).await?;
    log_change(conn, item, Operation::Created).await?;
    Ok(true)
}

/// The person's items among `ids`, as the API shows them.
pub async fn own_in(conn: &mut AnyConnection, user_id: &str, ids: &[String]) -> Result<Vec<Equipment>> {
    Ok(whole(conn, user_id).await?.into_iter().filter(|item| ids.contains(&item.id)).collect())
}

pub(crate) async fn log_change(conn: &mut AnyConnection, item: &Stored, operation: Operation) -> Result<()> {
    platform::change_log::record(conn, &item.user_id, "equipment", &item.id, operation).await?;
    Ok(())
}
