//! Parts of an item that wear on their own (a bike's chain, cassette and
//! tyres): added, renamed, replaced (the old one stays in the history with
//! its counters) and deleted when entered by mistake. A part's usage is its
//! item's trainings that started while it was fitted.

pub(crate) mod store;

use platform::change_log::Operation;
use platform::db::{now_ms, rfc3339};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{InventoryError, Result};
use crate::model::{
    check_threshold, new_id, nullable, parse_instant, short_text, worn, ComponentKind, Usage, MAX_NAME,
};
use crate::{equipment, Inventory};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Component {
    pub id: String,
    pub kind: ComponentKind,
    pub name: String,
    /// UTC, RFC 3339.
    pub installed_at: String,
    /// Null while fitted.
    pub removed_at: Option<String>,
    /// The part that replaced it.
    pub replaced_by: Option<String>,
    pub threshold_m: Option<f64>,
    pub worn: Option<f64>,
    pub usage: Usage,
}

/// A stored part, before its usage is added.
#[derive(Clone, Debug)]
pub struct StoredComponent {
    pub id: String,
    pub equipment_id: String,
    pub user_id: String,
    pub kind: ComponentKind,
    pub name: String,
    pub installed_at: i64,
    pub removed_at: Option<i64>,
    pub replaced_by: Option<String>,
    pub threshold_m: Option<f64>,
    pub alerted_threshold_m: Option<f64>,
    pub created_at: i64,
}

impl StoredComponent {
    pub fn shown(&self, usage: Usage) -> Component {
        Component {
            id: self.id.clone(),
            kind: self.kind,
            name: self.name.clone(),
            installed_at: rfc3339(self.installed_at),
            removed_at: self.removed_at.map(rfc3339),
            replaced_by: self.replaced_by.clone(),
            threshold_m: self.threshold_m,
            worn: worn(&usage, self.threshold_m),
            usage,
        }
    }

    pub fn label(&self, item_name: &str) -> String {
        let name = if self.name.is_empty() { self.kind.as_str() } else { &self.name };
        format!("{item_name}: {name}")
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComponent {
    pub kind: ComponentKind,
    /// At most 100 characters.
    #[schema(max_length = 100)]
    pub name: Option<String>,
    /// Metres; left out: the kind's default (chain 3 000 km, tyre 5 000 km, …); null: never warn.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>, nullable, exclusive_minimum = 0.0, maximum = 100000000.0)]
    pub threshold_m: Option<Option<f64>>,
    /// RFC 3339; now when left out. Trainings from then on count for it.
    #[schema(format = DateTime)]
    pub installed_at: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComponentChanges {
    #[schema(max_length = 100)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>, nullable, exclusive_minimum = 0.0, maximum = 100000000.0)]
    pub threshold_m: Option<Option<f64>>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    /// RFC 3339; now when left out: the old part counts trainings before, the new one from then.
    #[schema(format = DateTime)]
    pub installed_at: Option<String>,
}

impl Inventory {
    pub async fn add_component(&self, user_id: &str, equipment_id: &str, new: NewComponent) -> Result<Component> {
        let now = now_ms();
        let installed_at = new.installed_at.as_deref().map(|t| parse_instant("installed_at", t)).transpose()?;
        let part = StoredComponent {
            id: new_id(),
            equipment_id: equipment_id.to_string(),
            user_id: user_id.to_string(),
            kind: new.kind,
            name: short_text("name", new.name.as_deref().unwrap_or_default(), MAX_NAME)?,
            installed_at: installed_at.unwrap_or(now),
            removed_at: None,
            replaced_by: None,
            threshold_m: check_threshold("threshold_m", new.threshold_m.unwrap_or(new.kind.default_threshold_m()))?,
            alerted_threshold_m: None,
            created_at: now,
        };
        let mut tx = self.platform.db.begin().await?;
        let item =
            equipment::store::owned(&mut tx, user_id, equipment_id, true).await?.ok_or(InventoryError::NotFound)?;
        store::insert(&mut tx, &part).await?;
        log_change(&mut tx, &part, Operation::Created).await?;
        let id = part.id.clone();
        self.check_fitted_part(&mut tx, &item, part).await?;
        tx.commit().await?;
        self.component(user_id, equipment_id, &id).await
    }

    pub async fn change_component(
        &self,
        user_id: &str,
        equipment_id: &str,
        id: &str,
        changes: ComponentChanges,
    ) -> Result<Component> {
        let mut tx = self.platform.db.begin().await?;
        let (item, mut part) = owned(&mut tx, user_id, equipment_id, id).await?;
        if let Some(name) = changes.name {
            part.name = short_text("name", &name, MAX_NAME)?;
        }
        if let Some(threshold) = changes.threshold_m {
            part.threshold_m = check_threshold("threshold_m", threshold)?;
        }
        store::update(&mut tx, &part).await?;
        log_change(&mut tx, &part, Operation::Updated).await?;
        self.check_fitted_part(&mut tx, &item, part).await?;
        tx.commit().await?;
        self.component(user_id, equipment_id, id).await
    }

    /// Takes the part off and fits a new one of the same kind and threshold.
    pub async fn replace_component(
        &self,
        user_id: &str,
        equipment_id: &str,
        id: &str,
        replacement: Replacement,
    ) -> Result<Component> {
        let now = now_ms();
        let at = replacement.installed_at.as_deref().map(|t| parse_instant("installed_at", t)).transpose()?;
        let at = at.unwrap_or(now);
        let mut tx = self.platform.db.begin().await?;
        let (_, mut old) = owned(&mut tx, user_id, equipment_id, id).await?;
        if old.removed_at.is_some() {
            return Err(InventoryError::Conflict("this part was replaced already; replace the one fitted now".into()));
        }
        if at < old.installed_at {
            return Err(InventoryError::invalid("installed_at", "a replacement is fitted after the part it replaces"));
        }
        let new = StoredComponent {
            id: new_id(),
            installed_at: at,
            removed_at: None,
            replaced_by: None,
            alerted_threshold_m: None,
            created_at: now,
            ..old.clone()
        };
        old.removed_at = Some(at);
        old.replaced_by = Some(new.id.clone());
        store::update(&mut tx, &old).await?;
        store::insert(&mut tx, &new).await?;
        log_change(&mut tx, &old, Operation::Updated).await?;
        log_change(&mut tx, &new, Operation::Created).await?;
        tx.commit().await?;
        self.component(user_id, equipment_id, &new.id).await
    }

    pub async fn delete_component(&self, user_id: &str, equipment_id: &str, id: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        let (_, part) = owned(&mut tx, user_id, equipment_id, id).await?;
        store::delete(&mut tx, &part).await?;
        log_change(&mut tx, &part, Operation::Deleted).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn component(&self, user_id: &str, equipment_id: &str, id: &str) -> Result<Component> {
        let item = self.equipment(user_id, equipment_id).await?;
        item.components.into_iter().find(|c| c.id == id).ok_or(InventoryError::NotFound)
    }
}

/// The person's item, locked, and its part `id`; anything else is not found.
async fn owned(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    equipment_id: &str,
    id: &str,
) -> Result<(equipment::Stored, StoredComponent)> {
    let item = equipment::store::owned(conn, user_id, equipment_id, true).await?.ok_or(InventoryError::NotFound)?;
    let part = store::owned(conn, user_id, equipment_id, id).await?.ok_or(InventoryError::NotFound)?;
    Ok((item, part))
}

async fn log_change(conn: &mut sqlx::AnyConnection, part: &StoredComponent, operation: Operation) -> Result<()> {
    platform::change_log::record(conn, &part.user_id, "equipment_component", &part.id, operation).await?;
    Ok(())
}
