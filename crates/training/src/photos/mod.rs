//! Photos of a workout: stored on the file store beside its original file,
//! seen by whoever may see the workout, with a thumbnail made by a job.

pub(crate) mod store;

use std::io::Cursor;

use bytes::Bytes;
use futures::TryStreamExt;
use platform::jobs::{JobContext, JobFailure, JobHandlers};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{Result, TrainingError};
use crate::uploads::Received;
use crate::{workouts, Training};

pub const THUMBNAIL_JOB: &str = "training.thumbnail";
/// The longer side of a thumbnail, in pixels.
const THUMBNAIL_SIZE: u32 = 480;
const MAX_PHOTOS: i64 = 30;
/// Larger images are refused before decoding: a small file can claim a huge picture.
const MAX_PIXELS_SIDE: u32 = 12_000;
/// The most memory one picture may take once decoded: a 40-megapixel photo
/// in 8-bit RGBA. Checked against the header at upload, so that a picture
/// accepted is one whose thumbnail can be made.
const MAX_DECODED_BYTES: u64 = 160_000_000;
/// One picture decoded at a time, so that several thumbnail jobs at once
/// cannot add up to more than one picture's memory.
static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Photo {
    pub id: String,
    pub workout_id: String,
    pub content_type: String,
    pub size: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    /// Whether the thumbnail is made yet.
    pub thumbnail_ready: bool,
    pub created_at: String,
    #[serde(skip)]
    pub(crate) file_key: String,
    #[serde(skip)]
    thumbnail_key: Option<String>,
}

/// A photo's bytes and type, for the response.
pub struct Image {
    pub content_type: String,
    pub bytes: futures::stream::BoxStream<'static, std::result::Result<Bytes, std::io::Error>>,
}

/// The image type of a file, by its first bytes.
pub fn recognise(head: &[u8]) -> Option<(&'static str, &'static str)> {
    if head.starts_with(&[0xff, 0xd8, 0xff]) {
        Some(("image/jpeg", "jpg"))
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some(("image/webp", "webp"))
    } else {
        None
    }
}

pub fn photo_key(user_id: &str, workout_id: &str, photo_id: &str, extension: &str) -> String {
    format!("{}/photos/{photo_id}.{extension}", workouts::folder(user_id, workout_id))
}

#[derive(Serialize, Deserialize)]
struct ThumbnailJob {
    photo_id: String,
}

impl Training {
    /// Checks that a photo may be added before its bytes are taken in; the
    /// insert checks again, as others may be on their way at the same time.
    pub async fn may_add_photo(&self, user_id: &str, workout_id: &str) -> Result<()> {
        self.own_workout(user_id, workout_id).await?;
        let mut conn = self.platform.db.pool().acquire().await?;
        room_for_a_photo(&mut conn, workout_id).await
    }

    /// Records a photo already on the file store; a file that is not an
    /// image it can read is deleted and refused.
    pub async fn add_photo(&self, user_id: &str, workout_id: &str, photo_id: &str, file: Received) -> Result<Photo> {
        // Only a photo that was not recorded loses its file.
        if let Err(e) = self.add_stored_photo(user_id, workout_id, photo_id, &file).await {
            if let Err(e) = self.platform.blobs.delete(&file.key).await {
                tracing::warn!(error = %e, key = %file.key, "a refused photo could not be deleted");
            }
            return Err(e);
        }
        self.photo(Some(user_id), workout_id, photo_id).await
    }

    async fn add_stored_photo(&self, user_id: &str, workout_id: &str, photo_id: &str, file: &Received) -> Result<()> {
        let bytes =
            file.bytes.clone().ok_or_else(|| TrainingError::Internal("a photo was not kept in memory".into()))?;
        let (content_type, _) = recognise(&bytes).ok_or_else(not_an_image)?;
        let (width, height) = dimensions(&bytes)?;
        let mut tx = self.platform.db.begin().await?;
        // The count is checked under the workout's row lock (SQLite's write
        // lock), so photos sent at once cannot all pass a count of 29.
        store::lock_workout(&mut tx, workout_id).await?;
        room_for_a_photo(&mut tx, workout_id).await?;
        let new = store::NewPhoto {
            id: photo_id,
            workout_id,
            user_id,
            content_type,
            file_key: &file.key,
            size: file.size as i64,
            width: i64::from(width),
            height: i64::from(height),
        };
        store::insert(&mut tx, &new).await?;
        platform::change_log::record(&mut tx, user_id, "photo", photo_id, platform::change_log::Operation::Created)
            .await?;
        self.platform.jobs.enqueue(&mut tx, THUMBNAIL_JOB, &ThumbnailJob { photo_id: photo_id.into() }).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The photos of a workout `viewer` may see.
    pub async fn photos(&self, viewer: Option<&str>, workout_id: &str) -> Result<Vec<Photo>> {
        self.visible_workout(viewer, workout_id).await?;
        let mut conn = self.platform.db.pool().acquire().await?;
        store::of_workout(&mut conn, workout_id).await
    }

    pub async fn photo(&self, viewer: Option<&str>, workout_id: &str, photo_id: &str) -> Result<Photo> {
        self.visible_workout(viewer, workout_id).await?;
        let mut conn = self.platform.db.pool().acquire().await?;
        store::of_workout_by_id(&mut conn, workout_id, photo_id).await?.ok_or(TrainingError::NotFound)
    }

    /// The photo itself, or its thumbnail once made.
    pub async fn photo_image(
        &self,
        viewer: Option<&str>,
        workout_id: &str,
        photo_id: &str,
        thumbnail: bool,
    ) -> Result<Image> {
        let photo = self.photo(viewer, workout_id, photo_id).await?;
        let (key, content_type) = if thumbnail {
            let key = photo.thumbnail_key.ok_or_else(|| {
                TrainingError::Conflict("the thumbnail is still being made; show the photo or try again shortly".into())
            })?;
            (key, "image/jpeg".to_string())
        } else {
            (photo.file_key, photo.content_type)
        };
        let stream = self.platform.blobs.get_stream(&key).await?;
        Ok(Image { content_type, bytes: Box::pin(stream.map_err(std::io::Error::other)) })
    }

    pub async fn delete_photo(&self, user_id: &str, workout_id: &str, photo_id: &str) -> Result<()> {
        self.own_workout(user_id, workout_id).await?;
        let photo = self.photo(Some(user_id), workout_id, photo_id).await?;
        let mut tx = self.platform.db.begin().await?;
        if !store::delete(&mut tx, photo_id).await? {
            // Another request deleted it meanwhile.
            return Err(TrainingError::NotFound);
        }
        platform::change_log::record(&mut tx, user_id, "photo", photo_id, platform::change_log::Operation::Deleted)
            .await?;
        tx.commit().await?;
        for key in std::iter::once(photo.file_key).chain(photo.thumbnail_key) {
            if let Err(e) = self.platform.blobs.delete(&key).await {
                tracing::warn!(error = %e, key = %key, "a deleted photo's file was left behind");
            }
        }
        Ok(())
    }

    async fn make_thumbnail(&self, photo_id: &str) -> std::result::Result<(), JobFailure> {
        let mut conn = self.platform.db.pool().acquire().await.map_err(JobFailure::retry)?;
        let photo = store::by_id(&mut conn, photo_id).await.map_err(JobFailure::retry)?;
        drop(conn);
        // Deleted meanwhile: nothing to do.
        let Some(photo) = photo else { return Ok(()) };
        if photo.thumbnail_ready {
            return Ok(());
        }
        let mut original = Vec::new();
        self.platform.blobs.copy_to(&photo.file_key, &mut original).await.map_err(JobFailure::retry)?;
        // The turn goes with the work, which runs on if the job is stopped.
        let turn = DECODING.acquire().await.map_err(JobFailure::retry)?;
        let thumbnail = tokio::task::spawn_blocking(move || {
            let _turn = turn;
            shrink(&original)
        })
        .await
        .map_err(JobFailure::retry)?
        .map_err(JobFailure::permanent)?;
        let key = photo.file_key.rsplit_once('.').map_or(photo.file_key.clone(), |(stem, _)| stem.to_string())
            + "-thumbnail.jpg";
        self.platform.blobs.put_bytes(&key, thumbnail).await.map_err(JobFailure::retry)?;
        let mut conn = self.platform.db.pool().acquire().await.map_err(JobFailure::retry)?;
        store::set_thumbnail(&mut conn, photo_id, &key).await.map_err(JobFailure::retry)
    }
}

pub fn register_jobs(training: &Training, handlers: &mut JobHandlers) {
    let training = training.clone();
    handlers.register(THUMBNAIL_JOB, move |ctx: JobContext| {
        let training = training.clone();
        async move {
            let job: ThumbnailJob = serde_json::from_value(ctx.payload).map_err(JobFailure::permanent)?;
            training.make_thumbnail(&job.photo_id).await
        }
    });
}

async fn room_for_a_photo(conn: &mut sqlx::AnyConnection, workout_id: &str) -> Result<()> {
    if store::count_of_workout(conn, workout_id).await? >= MAX_PHOTOS {
        return Err(TrainingError::Conflict(format!("a workout has at most {MAX_PHOTOS} photos")));
    }
    Ok(())
}

fn not_an_image() -> TrainingError {
    TrainingError::invalid("photo", "the photo must be a JPEG, PNG or WebP image")
}

/// The picture's size from its header, refusing what cannot be decoded or
/// would take more memory decoded than a photo may.
fn dimensions(bytes: &[u8]) -> Result<(u32, u32)> {
    use image::ImageDecoder;
    let reader = image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| not_an_image())?;
    let decoder = reader.into_decoder().map_err(|_| not_an_image())?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 || width > MAX_PIXELS_SIDE || height > MAX_PIXELS_SIDE {
        return Err(TrainingError::invalid(
            "photo",
            format!("the photo must be at most {MAX_PIXELS_SIDE} pixels on each side"),
        ));
    }
    if decoder.total_bytes() > MAX_DECODED_BYTES {
        return Err(TrainingError::invalid(
            "photo",
            format!(
                "the photo is too large to show ({width}×{height} pixels at this colour depth); \
                 send one of at most 40 megapixels in 8-bit colour"
            ),
        ));
    }
    Ok((width, height))
}

/// A JPEG at most `THUMBNAIL_SIZE` pixels on its longer side.
fn shrink(original: &[u8]) -> std::result::Result<Bytes, String> {
    let mut reader = image::ImageReader::new(Cursor::new(original)).with_guessed_format().map_err(|e| e.to_string())?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_PIXELS_SIDE);
    limits.max_image_height = Some(MAX_PIXELS_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES + MAX_DECODED_BYTES / 4);
    reader.limits(limits);
    let picture = reader.decode().map_err(|e| format!("the photo cannot be decoded: {e}"))?;
    let small = picture.thumbnail(THUMBNAIL_SIZE, THUMBNAIL_SIZE).to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82).encode_image(&small).map_err(|e| e.to_string())?;
    Ok(Bytes::from(out))
}

/// The person's photos among `ids` (of their own workouts), for the sync
/// protocol; others' and missing ones are left out.
pub(crate) async fn own_in(conn: &mut sqlx::AnyConnection, user_id: &str, ids: &[String]) -> Result<Vec<Photo>> {
    let mut found = Vec::new();
    for id in ids {
        let Some(photo) = store::by_id(conn, id).await? else { continue };
        if workouts::store::owner_of(conn, &photo.workout_id).await?.as_deref() == Some(user_id) {
            found.push(photo);
        }
    }
    Ok(found)
}
