//! What training asks about the equipment its workouts name. Equipment is
//! the inventory context's to know; it answers through [`Equipment`], which
//! the binary wires in. Taking an item off workouts when it is deleted is
//! handled here, from inventory's `EquipmentDeleted`.

use futures::future::BoxFuture;
use platform::events::{EventHandlers, HandlerError};
use serde::Deserialize;

use crate::error::{Result, TrainingError};
use crate::people::PeopleError;
use crate::workouts::model::check_equipment;
use crate::{Training, CONTEXT};

pub trait Equipment: Send + Sync {
    /// Which of `ids` are not the person's items (someone else's, deleted, made up).
    fn not_owned<'a>(&'a self, user_id: &'a str, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<String>, PeopleError>>;

    /// The items a new training of `sport` gets when the person does not choose.
    fn defaults<'a>(&'a self, user_id: &'a str, sport: &'a str) -> BoxFuture<'a, Result<Vec<String>, PeopleError>>;

    /// The person's item called `name`, made if there is none (gear named in an import).
    fn named<'a>(
        &'a self,
        user_id: &'a str,
        name: &'a str,
        sport: &'a str,
    ) -> BoxFuture<'a, Result<String, PeopleError>>;
}

/// For a training without inventory: nobody has equipment.
pub struct NoEquipment;

impl Equipment for NoEquipment {
    fn not_owned<'a>(&'a self, _: &'a str, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<String>, PeopleError>> {
        Box::pin(async move { Ok(ids.to_vec()) })
    }

    fn defaults<'a>(&'a self, _: &'a str, _: &'a str) -> BoxFuture<'a, Result<Vec<String>, PeopleError>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn named<'a>(&'a self, _: &'a str, _: &'a str, _: &'a str) -> BoxFuture<'a, Result<String, PeopleError>> {
        Box::pin(async { Err(PeopleError::Other("this server keeps no equipment".into())) })
    }
}

pub const EQUIPMENT_DELETED: &str = "EquipmentDeleted";

impl Training {
    /// The workout's equipment, checked to be the person's own. Asked
    /// before a connection is taken: inventory takes one of its own.
    pub(crate) async fn own_equipment(&self, user_id: &str, ids: &[String]) -> Result<Vec<String>> {
        let ids = check_equipment(ids)?;
        if ids.is_empty() {
            return Ok(ids);
        }
        if let Some(id) = self.equipment.not_owned(user_id, &ids).await?.first() {
            // The same answer whether it exists or not: nobody learns of others' items.
            return Err(TrainingError::invalid(
                "equipment_ids",
                format!("`{id}` is not one of your items of equipment (see /api/v1/equipment)"),
            ));
        }
        Ok(ids)
    }

    /// What the person chose, or the defaults of the sport when they did not.
    pub(crate) async fn equipment_for(
        &self,
        user_id: &str,
        chosen: Option<&[String]>,
        sport: &str,
    ) -> Result<Vec<String>> {
        match chosen {
            Some(ids) => self.own_equipment(user_id, ids).await,
            None => Ok(self.equipment.defaults(user_id, sport).await?),
        }
    }
}

#[derive(Deserialize)]
struct Deleted {
    equipment_id: String,
    user_id: String,
}

/// A deleted item leaves the person's workouts.
pub fn register_events(_training: &Training, handlers: &mut EventHandlers) {
    handlers.on(CONTEXT, EQUIPMENT_DELETED, move |event, mut tx| async move {
        let deleted: Deleted = event.payload()?;
        crate::workouts::store::drop_equipment(&mut tx, &deleted.user_id, &deleted.equipment_id)
            .await
            .map_err(HandlerError::new)?;
        Ok(tx)
    });
}

impl Training {
    /// The ids of the sports in the catalogue, for inventory's checks.
    pub async fn sport_ids(&self) -> Result<Vec<String>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        Ok(crate::sports::store::all(&mut conn).await?.into_iter().map(|s| s.id).collect())
    }

    /// What each of the person's read workouts did and with which equipment,
    /// for inventory to count usage again from scratch.
    pub async fn equipment_use_of(&self, user_id: &str) -> Result<Vec<crate::workouts::EquipmentUse>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        crate::workouts::store::equipment_use_of(&mut conn, user_id).await
    }
}
