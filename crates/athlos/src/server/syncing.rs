//! Sync's questions answered by the contexts that own the records:
//! training's workouts and photos, inventory's equipment. The seam between
//! them, here so that sync depends on neither.

use bytes::Bytes;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use inventory::{Inventory, InventoryError};
use serde_json::Value;
use sqlx::AnyConnection;
use sync::{Current, Entities, Entity, Fields, Prepared, Refusal};
use training::{Training, TrainingError};

pub struct Records {
    pub training: Training,
    pub inventory: Inventory,
}

impl Entities for Records {
    fn fields(&self, entity: Entity) -> &'static [&'static str] {
        match entity {
            Entity::Workout => training::offline::FIELDS,
            Entity::Equipment => inventory::offline::FIELDS,
            Entity::Photo => &[],
        }
    }

    fn prepare<'a>(
        &'a self,
        user_id: &'a str,
        entity: Entity,
        fields: &'a Fields,
        create: bool,
    ) -> BoxFuture<'a, Result<Prepared, Refusal>> {
        Box::pin(async move {
            match entity {
                Entity::Workout => {
                    let prepared = self.training.prepare_offline(user_id, fields, create).await.map_err(trained)?;
                    Ok(Box::new(prepared) as Prepared)
                }
                Entity::Equipment => {
                    self.inventory.prepare_offline(fields).await.map_err(stocked)?;
                    Ok(Box::new(()) as Prepared)
                }
                Entity::Photo => Err(Refusal::NotFound),
            }
        })
    }

    fn lock<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        user_id: &'a str,
        entity: Entity,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Option<Current>, Refusal>> {
        Box::pin(async move {
            let record = match entity {
                Entity::Workout => training::offline::lock(conn, user_id, id)
                    .await
                    .map_err(trained)?
                    .map(|w| serde_json::to_value(&w).map_err(|e| Refusal::Other(e.to_string())))
                    .transpose()?,
                Entity::Equipment => inventory::offline::lock(conn, user_id, id).await.map_err(stocked)?,
                Entity::Photo => None,
            };
            Ok(record.map(|record| Current { fields: fields_of(entity, &record), record }))
        })
    }

    fn create<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        user_id: &'a str,
        entity: Entity,
        id: &'a str,
        fields: &'a Fields,
        prepared: Prepared,
    ) -> BoxFuture<'a, Result<(), Refusal>> {
        Box::pin(async move {
            match entity {
                Entity::Workout => {
                    let prepared = unpack(prepared)?;
                    training::offline::create(conn, user_id, id, fields, prepared).await.map_err(trained)?;
                }
                Entity::Equipment => inventory::offline::create(conn, user_id, id, fields).await.map_err(stocked)?,
                Entity::Photo => return Err(Refusal::NotFound),
            }
            Ok(())
        })
    }

    fn update<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        user_id: &'a str,
        entity: Entity,
        id: &'a str,
        fields: &'a Fields,
        prepared: Prepared,
    ) -> BoxFuture<'a, Result<(), Refusal>> {
        Box::pin(async move {
            match entity {
                Entity::Workout => {
                    let prepared = unpack(prepared)?;
                    training::offline::update(conn, user_id, id, fields, prepared).await.map_err(trained)?;
                }
                Entity::Equipment => self.inventory.update_offline(conn, user_id, id, fields).await.map_err(stocked)?,
                Entity::Photo => return Err(Refusal::NotFound),
            }
            Ok(())
        })
    }

    fn delete<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        user_id: &'a str,
        entity: Entity,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, Refusal>> {
        Box::pin(async move {
            match entity {
                // A workout's files go with the next sweep of files nothing refers to.
                Entity::Workout => training::offline::delete(conn, user_id, id).await.map_err(trained).map(|_| vec![]),
                Entity::Equipment => {
                    let photo = inventory::offline::delete(conn, user_id, id).await.map_err(stocked)?;
                    Ok(photo.into_iter().collect())
                }
                Entity::Photo => Err(Refusal::NotFound),
            }
        })
    }

    fn record_file<'a>(
        &'a self,
        user_id: &'a str,
        workout_id: &'a str,
        name: &'a str,
        file: BoxStream<'a, Result<Bytes, std::io::Error>>,
    ) -> BoxFuture<'a, Result<Value, Refusal>> {
        Box::pin(async move {
            let workout = self.training.record_offline_file(user_id, workout_id, name, file).await.map_err(trained)?;
            serde_json::to_value(&workout).map_err(|e| Refusal::Other(e.to_string()))
        })
    }

    fn record_photo<'a>(
        &'a self,
        user_id: &'a str,
        workout_id: &'a str,
        photo_id: &'a str,
        file: BoxStream<'a, Result<Bytes, std::io::Error>>,
    ) -> BoxFuture<'a, Result<Value, Refusal>> {
        Box::pin(async move {
            let photo =
                self.training.record_offline_photo(user_id, workout_id, photo_id, file).await.map_err(trained)?;
            serde_json::to_value(&photo).map_err(|e| Refusal::Other(e.to_string()))
        })
    }

    fn records<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        user_id: &'a str,
        entity: Entity,
        ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<(String, Value)>, Refusal>> {
        Box::pin(async move {
            match entity {
                Entity::Workout => training::offline::records(conn, user_id, ids).await.map_err(trained),
                Entity::Photo => training::offline::photo_records(conn, user_id, ids).await.map_err(trained),
                Entity::Equipment => inventory::offline::records(conn, user_id, ids).await.map_err(stocked),
            }
        })
    }
}

fn fields_of(entity: Entity, record: &Value) -> Fields {
    match entity {
        Entity::Workout => training::offline::fields_of(record),
        Entity::Equipment => inventory::offline::fields_of(record),
        Entity::Photo => Fields::new(),
    }
}

fn unpack(prepared: Prepared) -> Result<training::offline::Prepared, Refusal> {
    prepared.downcast().map(|p| *p).map_err(|_| Refusal::Other("a workout change was not prepared".into()))
}

fn trained(e: TrainingError) -> Refusal {
    match e {
        TrainingError::Invalid { field, detail } => Refusal::Invalid { field: field.into(), detail },
        TrainingError::NotFound => Refusal::NotFound,
        TrainingError::Conflict(detail) => Refusal::Conflict(detail),
        TrainingError::UnreadableFile { file, detail } => {
            Refusal::Invalid { field: "file".into(), detail: format!("{file}: {detail}") }
        }
        TrainingError::TooLarge { .. } => Refusal::Invalid { field: "file".into(), detail: e.to_string() },
        e @ TrainingError::Duplicate { .. } => Refusal::Conflict(e.to_string()),
        TrainingError::Sql(e) => database(e),
        other => Refusal::Other(other.to_string()),
    }
}

fn stocked(e: InventoryError) -> Refusal {
    match e {
        InventoryError::Invalid { field, detail } => Refusal::Invalid { field: field.into(), detail },
        InventoryError::NotFound => Refusal::NotFound,
        InventoryError::Conflict(detail) => Refusal::Conflict(detail),
        InventoryError::Sql(e) => database(e),
        other => Refusal::Other(other.to_string()),
    }
}

/// An id someone else's record already has is the device's conflict, not
/// the server's failure.
fn database(e: sqlx::Error) -> Refusal {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            Refusal::Conflict("this id is taken; choose another UUID for a new record".into())
        }
        _ => Refusal::Database(e),
    }
}
