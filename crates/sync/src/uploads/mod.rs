//! Files made offline (a GPX recorded on the phone, a photo of a training),
//! uploaded in parts that each say where they start, so that an upload cut
//! off resumes where it stopped. The parts wait on the file store; the
//! training (or the photo) is made from the whole file, under the id the
//! device chose, only once every byte is there, so a half-sent file never
//! shows as a broken training.

pub(crate) mod store;

use axum::body::Body;
use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use platform::db::now_ms;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::entities::Refusal;
use crate::error::{Result, SyncError};
use crate::Sync;

/// The most one part may carry.
pub const MAX_PART: u64 = 8 * 1024 * 1024;
const MAX_NAME: usize = 200;

/// `POST /api/v1/sync/uploads`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUpload {
    /// The id the device chose for the training the file makes, or, with
    /// `photo_id`, the training the photo belongs to (push its create first).
    #[schema(value_type = uuid::Uuid)]
    pub workout_id: String,
    /// Set for a photo (JPEG, PNG or WebP): the id the device chose for it.
    #[serde(default)]
    #[schema(value_type = Option<uuid::Uuid>)]
    pub photo_id: Option<String>,
    /// The file's name on the device, such as `morning.gpx`.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// The whole file's size in bytes (at most `ATHLOS_MAX_UPLOAD_BYTES`).
    #[schema(minimum = 1)]
    pub size: i64,
}

/// Where an upload stands.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Upload {
    pub id: String,
    #[serde(skip)]
    pub user_id: String,
    #[schema(value_type = uuid::Uuid)]
    pub workout_id: String,
    /// Set when the file is a photo of the training.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<uuid::Uuid>)]
    pub photo_id: Option<String>,
    pub name: String,
    pub size: i64,
    /// Bytes received so far: where the next part starts.
    pub offset: i64,
    /// Whether the training was made from the whole file.
    pub done: bool,
    /// The training, once made (an upload of a training's file).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub workout: Option<Value>,
    /// The photo, once added (an upload of a photo).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub photo: Option<Value>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PartQuery {
    /// Where the part starts: the upload's `offset`.
    #[param(minimum = 0)]
    pub offset: i64,
}

impl Sync {
    /// Starts an upload, or answers the one under way for the same training.
    pub async fn start_upload(&self, user_id: &str, new: NewUpload) -> Result<Upload> {
        if uuid::Uuid::parse_str(&new.workout_id).is_err() {
            return Err(SyncError::invalid("workout_id", "a UUID, chosen by the device for the training"));
        }
        if new.photo_id.as_deref().is_some_and(|id| uuid::Uuid::parse_str(id).is_err()) {
            return Err(SyncError::invalid("photo_id", "a UUID, chosen by the device for the photo"));
        }
        let name = new.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(SyncError::invalid("name", format!("1 to {MAX_NAME} characters")));
        }
        let limit = self.platform.config.max_upload_bytes as i64;
        if !(1..=limit).contains(&new.size) {
            return Err(SyncError::invalid(
                "size",
                format!("1 to {limit} bytes (ATHLOS_MAX_UPLOAD_BYTES on this server)"),
            ));
        }
        let mut tx = self.platform.db.begin().await?;
        let fresh = Upload {
            id: uuid::Uuid::now_v7().to_string(),
            user_id: user_id.to_string(),
            workout_id: new.workout_id.clone(),
            photo_id: new.photo_id.clone(),
            name: name.to_string(),
            size: new.size,
            offset: 0,
            done: false,
            workout: None,
            photo: None,
        };
        store::open(&mut tx, &fresh, now_ms()).await?;
        let upload = store::of_target(&mut tx, user_id, &new.workout_id, new.photo_id.as_deref())
            .await?
            .ok_or(SyncError::NotFound)?;
        tx.commit().await?;
        if upload.size != fresh.size || upload.name != fresh.name {
            return Err(SyncError::Conflict(format!(
                "an upload of another file ({}, {} bytes) is under way for this training",
                upload.name, upload.size
            )));
        }
        self.shown(upload).await
    }

    /// Where the person's upload stands.
    pub async fn upload(&self, user_id: &str, id: &str) -> Result<Upload> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let upload = store::own(&mut conn, user_id, id).await?.ok_or(SyncError::NotFound)?;
        drop(conn);
        self.shown(upload).await
    }

    /// Stores the part starting at `offset`; the last part makes the training.
    pub async fn upload_part(&self, user_id: &str, id: &str, offset: i64, body: Body) -> Result<Upload> {
        let mut upload = self.upload(user_id, id).await?;
        if upload.done {
            return Ok(upload);
        }
        if offset != upload.offset {
            return Err(SyncError::Conflict(format!(
                "this upload continues at byte {}; send from there",
                upload.offset
            )));
        }
        if offset < upload.size {
            let len = self.store_part(&upload, body).await?;
            upload.offset += len;
        }
        match upload.offset == upload.size {
            true => self.finish(upload).await,
            false => Ok(upload),
        }
    }

    /// Streams the part to the file store and counts it, unless another
    /// part took its place first (then it is deleted again).
    async fn store_part(&self, upload: &Upload, body: Body) -> Result<i64> {
        let room = (upload.size - upload.offset) as u64;
        let limit = room.min(MAX_PART);
        let key = format!("{}/{:020}-{}", self.upload_folder(upload), upload.offset, uuid::Uuid::now_v7().simple());
        let mut total = 0u64;
        let counted = body.into_data_stream().map(|chunk| {
            let chunk = chunk.map_err(|e| std::io::Error::other(e.to_string()))?;
            total += chunk.len() as u64;
            match total > limit {
                true => Err(std::io::Error::new(std::io::ErrorKind::FileTooLarge, "past the part's room")),
                false => Ok(chunk),
            }
        });
        let stored = match self.platform.blobs.put_stream(&key, Box::pin(counted)).await {
            Ok(size) => size as i64,
            Err(platform::blob::BlobError::Source(e)) if e.kind() == std::io::ErrorKind::FileTooLarge => {
                return Err(SyncError::invalid(
                    "body",
                    format!("a part carries at most {limit} bytes here: {MAX_PART} a part, and no more than the file has left"),
                ));
            }
            Err(e) => return Err(SyncError::Internal(e.to_string())),
        };
        if stored == 0 {
            self.forget_blob(&key).await;
            return Err(SyncError::invalid("body", "the part is empty"));
        }
        let mut tx = self.platform.db.begin().await?;
        if !store::add_part(&mut tx, &upload.id, upload.offset, stored, &key).await? {
            drop(tx);
            self.forget_blob(&key).await;
            let now = self.upload(&upload.user_id, &upload.id).await?;
            return Err(SyncError::Conflict(format!("this upload continues at byte {}; send from there", now.offset)));
        }
        tx.commit().await?;
        Ok(stored)
    }

    /// Makes the training from the whole file. A refused file ends the
    /// upload, so that the device may start over with another.
    async fn finish(&self, mut upload: Upload) -> Result<Upload> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let keys = store::parts(&mut conn, &upload.id).await?;
        drop(conn);
        let blobs = self.platform.blobs.clone();
        let file = futures::stream::iter(keys)
            .then(move |key| {
                let blobs = blobs.clone();
                async move { blobs.get_stream(&key).await }
            })
            .try_flatten()
            .map_err(|e| std::io::Error::other(e.to_string()))
            .map_ok(Bytes::from)
            .boxed();
        let made = match &upload.photo_id {
            Some(photo_id) => self.entities.record_photo(&upload.user_id, &upload.workout_id, photo_id, file).await,
            None => self.entities.record_file(&upload.user_id, &upload.workout_id, &upload.name, file).await,
        };
        let folder = self.upload_folder(&upload);
        let mut tx = self.platform.db.begin().await?;
        let result = match made {
            Ok(made) => {
                store::complete(&mut tx, &upload.id, now_ms()).await?;
                upload.done = true;
                match upload.photo_id {
                    Some(_) => upload.photo = Some(made),
                    None => upload.workout = Some(made),
                }
                Ok(upload)
            }
            Err(Refusal::Database(e)) => return Err(e.into()),
            Err(Refusal::Other(e)) => return Err(SyncError::Internal(e)),
            Err(Refusal::Invalid { field, detail }) => {
                store::drop_upload(&mut tx, &upload.id).await?;
                Err(SyncError::Invalid { field: if field == "fields" { "file".into() } else { field }, detail })
            }
            Err(Refusal::NotFound) => {
                store::drop_upload(&mut tx, &upload.id).await?;
                Err(SyncError::NotFound)
            }
            Err(refusal) => {
                store::drop_upload(&mut tx, &upload.id).await?;
                Err(SyncError::Conflict(refusal.to_string()))
            }
        };
        tx.commit().await?;
        if let Err(e) = self.platform.blobs.delete_prefix(&folder).await {
            tracing::warn!(error = %e, folder, "an upload's parts were left behind; compaction takes them");
        }
        result
    }

    /// The upload, with its training (or photo) once made.
    async fn shown(&self, mut upload: Upload) -> Result<Upload> {
        if upload.done && upload.photo_id.is_some() {
            let mut conn = self.platform.db.pool().acquire().await?;
            let ids = [upload.photo_id.clone().unwrap_or_default()];
            let found = self.entities.records(&mut conn, &upload.user_id, crate::Entity::Photo, &ids).await;
            upload.photo = found.map_err(|e| SyncError::Internal(e.to_string()))?.pop().map(|(_, p)| p);
        } else if upload.done {
            let mut conn = self.platform.db.pool().acquire().await?;
            let ids = [upload.workout_id.clone()];
            let found = self.entities.records(&mut conn, &upload.user_id, crate::Entity::Workout, &ids).await;
            upload.workout = found.map_err(|e| SyncError::Internal(e.to_string()))?.pop().map(|(_, w)| w);
        }
        Ok(upload)
    }

    fn upload_folder(&self, upload: &Upload) -> String {
        format!("{}/sync/{}", platform::personal_data::user_folder(&upload.user_id), upload.id)
    }

    async fn forget_blob(&self, key: &str) {
        if let Err(e) = self.platform.blobs.delete(key).await {
            tracing::warn!(error = %e, key, "a refused part was left behind; compaction takes it");
        }
    }

    /// Ends uploads started before `before`, with their parts.
    pub(crate) async fn forget_uploads(&self, before: i64) -> Result<u64> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let old = store::older_than(&mut conn, before).await?;
        drop(conn);
        for (id, user_id) in &old {
            let mut tx = self.platform.db.begin().await?;
            store::drop_upload(&mut tx, id).await?;
            tx.commit().await?;
            let folder = format!("{}/sync/{id}", platform::personal_data::user_folder(user_id));
            if let Err(e) = self.platform.blobs.delete_prefix(&folder).await {
                tracing::warn!(error = %e, folder, "an old upload's parts were left behind");
            }
        }
        Ok(old.len() as u64)
    }
}
