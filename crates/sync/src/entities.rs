//! What sync asks of the contexts that own the records (training's
//! workouts and photos, inventory's equipment), answered by the binary.
//! Every step but [`Entities::prepare`] runs on the connection of the
//! transaction sync holds, so that a merge and its write are one.

use bytes::Bytes;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sqlx::AnyConnection;
use utoipa::ToSchema;

/// A kind of record that devices keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Workout,
    Equipment,
    Photo,
}

impl Entity {
    pub const ALL: [Entity; 3] = [Entity::Workout, Entity::Equipment, Entity::Photo];

    /// Its name in the change log.
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Workout => "workout",
            Entity::Equipment => "equipment",
            Entity::Photo => "photo",
        }
    }

    pub fn parse(name: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.as_str() == name)
    }
}

/// A record's fields that devices may change.
pub type Fields = Map<String, Value>;

/// A record as devices get it, and its fields that devices may change.
#[derive(Clone, Debug)]
pub struct Current {
    pub record: Value,
    pub fields: Fields,
}

/// Why a change cannot be applied.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("{detail}")]
    Invalid { field: String, detail: String },
    #[error("nothing found here")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("this was deleted before the change arrived; a delete is final")]
    Gone,
    #[error("the change's clock is more than 5 minutes ahead of the server's; set the device's clock to the `clock` of an answer and make the change again")]
    ClockAhead,
    /// The server's failure, not the change's: the push fails and is retried.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Other(String),
}

/// What was asked of other contexts before the transaction, for the write.
pub type Prepared = Box<dyn std::any::Any + Send>;

pub trait Entities: Send + Sync {
    /// The fields of `entity` a device may change; an entity with none is
    /// only pulled.
    fn fields(&self, entity: Entity) -> &'static [&'static str];

    /// Checks that ask other contexts (whose items these are, which sports
    /// exist, a person's defaults), before any connection is taken.
    fn prepare<'a>(
        &'a self,
        user_id: &'a str,
        entity: Entity,
        fields: &'a Fields,
        create: bool,
    ) -> BoxFuture<'a, Result<Prepared, Refusal>>;

    /// The person's record, locked until the transaction ends; `None` when
    /// there is no such record of theirs.
    fn lock<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        user_id: &'a str,
        entity: Entity,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Option<Current>, Refusal>>;

    fn create<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        user_id: &'a str,
        entity: Entity,
        id: &'a str,
        fields: &'a Fields,
        prepared: Prepared,
    ) -> BoxFuture<'a, Result<(), Refusal>>;

    fn update<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        user_id: &'a str,
        entity: Entity,
        id: &'a str,
        fields: &'a Fields,
        prepared: Prepared,
    ) -> BoxFuture<'a, Result<(), Refusal>>;

    /// Deletes the record; answers keys on the file store to delete once
    /// the transaction has committed.
    fn delete<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        user_id: &'a str,
        entity: Entity,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, Refusal>>;

    /// Makes the person's training `workout_id` from a whole file uploaded
    /// offline, as an upload through the regular route would; made already
    /// (a finish tried again), it answers the training made then.
    fn record_file<'a>(
        &'a self,
        user_id: &'a str,
        workout_id: &'a str,
        name: &'a str,
        file: BoxStream<'a, Result<Bytes, std::io::Error>>,
    ) -> BoxFuture<'a, Result<Value, Refusal>>;

    /// Adds photo `photo_id` to the person's training `workout_id` from a
    /// whole file uploaded offline; added already, it answers that photo.
    fn record_photo<'a>(
        &'a self,
        user_id: &'a str,
        workout_id: &'a str,
        photo_id: &'a str,
        file: BoxStream<'a, Result<Bytes, std::io::Error>>,
    ) -> BoxFuture<'a, Result<Value, Refusal>>;

    /// The person's records of `entity` among `ids`, by id; missing ones
    /// (deleted, or not theirs) are left out.
    fn records<'a>(
        &'a self,
        conn: &'a mut AnyConnection,
        user_id: &'a str,
        entity: Entity,
        ids: &'a [String],
    ) -> BoxFuture<'a, Result<Vec<(String, Value)>, Refusal>>;
}
