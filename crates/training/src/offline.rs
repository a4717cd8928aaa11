//! What the sync protocol (the `sync` context, through the binary) does with
//! workouts: each step runs in the transaction the protocol holds, so that
//! merging a change and writing it take turns with every other write to the
//! same workout. Checks that ask other contexts come first, before any
//! connection is taken ([`Training::prepare_offline`]).

use platform::device_fields;
use serde_json::{Map, Value};
use sqlx::AnyConnection;

use crate::error::{Result, TrainingError};
use crate::events::{self, DELETED, RECORDED};
use crate::people::Preferences;
use crate::workouts::model::{Idempotency, NewWorkout, Workout, WorkoutChanges};
use crate::workouts::{self, store, FileDetails};
use crate::{photos, uploads, Training};
use platform::change_log::Operation;

/// The fields of a workout a device may change, each merged on its own.
pub const FIELDS: &[&str] = &[
    "sport",
    "title",
    "notes",
    "privacy",
    "equipment_ids",
    "started_at",
    "duration_s",
    "distance_m",
    "elevation_gain_m",
];

/// What was asked of other contexts before the transaction.
pub struct Prepared {
    preferences: Option<Preferences>,
    equipment: Option<Vec<String>>,
}

impl Training {
    /// Checks the equipment a change names and, for a new workout, asks the
    /// owner's defaults: both ask other contexts, so before any connection.
    pub async fn prepare_offline(&self, user_id: &str, fields: &Map<String, Value>, create: bool) -> Result<Prepared> {
        let changes: WorkoutChanges = from_fields(fields)?;
        let mut equipment = self.changed_equipment(user_id, &changes).await?;
        let preferences = match create {
            true => Some(self.people.preferences(user_id).await?),
            false => None,
        };
        if create && equipment.is_none() {
            let sport = changes.sport.as_deref().unwrap_or_default();
            equipment = Some(self.equipment_for(user_id, None, sport).await?);
        }
        Ok(Prepared { preferences, equipment })
    }
}

impl Training {
    /// Records a workout from a file a device made offline and uploaded in
    /// parts, under the id the device chose, as an upload through the
    /// regular route would. Made already (a finish tried again), it answers
    /// the workout made then.
    pub async fn record_offline_file<S, E>(&self, user_id: &str, id: &str, name: &str, file: S) -> Result<Workout>
    where
        S: futures::Stream<Item = std::result::Result<bytes::Bytes, E>> + Unpin + Send,
        E: std::fmt::Display,
    {
        let file = self.store_activity_file(user_id, id.to_string(), name.to_string(), file).await?;
        let key = Idempotency::new(format!("offline-file:{id}"), &[file.sha256.as_bytes()]);
        let (workout, _) = self.record_file(user_id, file, FileDetails::default(), Some(&key)).await?;
        Ok(workout)
    }
}

impl Training {
    /// Adds a photo a device took offline and uploaded in parts, under the
    /// id the device chose, as the regular photo route would; added already
    /// (a finish tried again), it answers that photo.
    pub async fn record_offline_photo<S, E>(
        &self,
        user_id: &str,
        workout_id: &str,
        photo_id: &str,
        file: S,
    ) -> Result<photos::Photo>
    where
        S: futures::Stream<Item = std::result::Result<bytes::Bytes, E>> + Unpin + Send,
        E: std::fmt::Display,
    {
        if let Ok(photo) = self.photo(Some(user_id), workout_id, photo_id).await {
            return Ok(photo);
        }
        self.may_add_photo(user_id, workout_id).await?;
        let max = self.platform.config.max_upload_bytes;
        let limits =
            uploads::Limits { max_bytes: max, setting: "ATHLOS_MAX_UPLOAD_BYTES", what: "the photo", keep_up_to: max };
        let received = uploads::receive(&self.platform.blobs, file, limits, |head| {
            let (_, extension) = photos::recognise(head)
                .ok_or_else(|| TrainingError::invalid("file", "the photo must be a JPEG, PNG or WebP image"))?;
            Ok(photos::photo_key(user_id, workout_id, photo_id, extension))
        })
        .await?;
        self.add_photo(user_id, workout_id, photo_id, received).await
    }
}

/// The person's workout, locked for the rest of the transaction.
pub async fn lock(conn: &mut AnyConnection, user_id: &str, id: &str) -> Result<Option<Workout>> {
    if !store::lock_own(conn, user_id, id).await? {
        return Ok(None);
    }
    store::get(conn, id).await
}

/// Logs a workout by hand under the id the device chose.
pub async fn create(
    conn: &mut AnyConnection,
    user_id: &str,
    id: &str,
    fields: &Map<String, Value>,
    prepared: Prepared,
) -> Result<Workout> {
    let input: NewWorkout = from_fields(fields)?;
    let preferences = prepared.preferences.ok_or_else(|| TrainingError::Internal("not prepared to create".into()))?;
    let equipment = prepared.equipment.unwrap_or_default();
    let workout = workouts::logged(conn, id.to_string(), user_id, input, &preferences, equipment).await?;
    store::insert(conn, store::Stored { workout: &workout, analysis: None, client_key: None }).await?;
    events::log_change(conn, &workout, Operation::Created).await?;
    events::publish(conn, RECORDED, &workout, &[], None).await?;
    Ok(workout)
}

/// Changes the fields given, as `PATCH /api/v1/workouts/{id}` would.
pub async fn update(
    conn: &mut AnyConnection,
    user_id: &str,
    id: &str,
    fields: &Map<String, Value>,
    prepared: Prepared,
) -> Result<Workout> {
    let changes: WorkoutChanges = from_fields(fields)?;
    // A create sent again lands here, prepared with the sport's defaults:
    // only equipment the change itself names replaces the workout's.
    let equipment = prepared.equipment.filter(|_| changes.equipment_ids.is_some());
    workouts::change_in(conn, user_id, id, &changes, equipment).await
}

/// Deletes the workout with its efforts and photos; its files go with the
/// next sweep of files nothing refers to.
pub async fn delete(conn: &mut AnyConnection, user_id: &str, id: &str) -> Result<()> {
    let workout = lock(conn, user_id, id).await?.ok_or(TrainingError::NotFound)?;
    store::delete(conn, id).await?;
    events::log_change(conn, &workout, Operation::Deleted).await?;
    events::publish(conn, DELETED, &workout, &[], None).await?;
    Ok(())
}

/// The person's workouts among `ids`, as records for devices.
pub async fn records(conn: &mut AnyConnection, user_id: &str, ids: &[String]) -> Result<Vec<(String, Value)>> {
    let workouts = store::own_many(conn, user_id, ids).await?;
    workouts.into_iter().map(|w| Ok((w.id.clone(), serde_json::to_value(&w)?))).collect()
}

/// The person's photos among `ids`, as records for devices.
pub async fn photo_records(conn: &mut AnyConnection, user_id: &str, ids: &[String]) -> Result<Vec<(String, Value)>> {
    let photos = photos::own_in(conn, user_id, ids).await?;
    photos.into_iter().map(|p| Ok((p.id.clone(), serde_json::to_value(&p)?))).collect()
}

/// The fields a device may change, as the record has them now.
pub fn fields_of(record: &Value) -> Map<String, Value> {
    device_fields::of(record, FIELDS)
}

/// A device's fields read as the regular routes read their bodies.
fn from_fields<T: serde::de::DeserializeOwned>(fields: &Map<String, Value>) -> Result<T> {
    device_fields::read(fields, FIELDS).map_err(|e| TrainingError::invalid(e.field, e.detail))
}
