//! Profile pictures: whatever JPEG, PNG or WebP a person sends becomes a
//! 256×256 JPEG (the middle square of the picture, upright), kept in their
//! folder of the file store so that erasing the account sweeps it.

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::TryStreamExt;
use image::imageops::FilterType;
use image::{GenericImageView, ImageFormat};
use platform::blob::BlobError;
use platform::db::now_ms;
use platform::personal_data::user_folder;

use crate::error::{IdentityError, Result};
use crate::store::{self, User};
use crate::Identity;
use platform::picture::{Bounds, Refusal};

/// The side of every stored picture, in pixels: enough for a profile page
/// on a sharp screen, small enough to show in every list.
pub const SIDE: u32 = 256;
/// The largest picture sent, before the server's own upload limit.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// How large a picture is read. A small file can claim a picture that takes
/// gigabytes to decode, so the claim is checked before decoding: at most 40
/// megapixels and 12 000 pixels a side. The decoder may hold what 40
/// megapixels take at 8 bits per colour with alpha (160 MB), so a picture of
/// 16 bits per colour is read up to about 20 megapixels.
pub const BOUNDS: Bounds = Bounds { max_side: 12_000, max_pixels: 40_000_000, max_bytes: 40_000_000 * 4 };
const QUALITY: u8 = 85;

/// Where a person's picture is stored.
pub fn key(user_id: &str) -> String {
    format!("{}/avatar.jpg", user_folder(user_id))
}

/// The address of a person's picture, changing with each new picture so
/// that browsers fetch it again; `None` without one.
pub fn url(user: &User) -> Option<String> {
    user.avatar_updated_at.map(|at| format!("/api/v1/users/{}/avatar?v={at}", user.id))
}

static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// The most an upload may be: 10 MiB, or less when the server takes less.
pub fn max_bytes(config: &platform::config::Config) -> usize {
    MAX_BYTES.min(config.max_upload_bytes)
}

impl Identity {
    /// Makes `picture` the person's profile picture, replacing any before.
    pub async fn set_avatar(&self, user_id: &str, picture: Bytes) -> Result<()> {
        // One picture decoded at a time: each may take up to 160 MB, and a
        // crowd of uploads at once must not add them up. The turn goes with
        // the work, which runs on even if the request is dropped.
        let turn = DECODING.acquire().await.map_err(|e| IdentityError::Internal(e.to_string()))?;
        let square = tokio::task::spawn_blocking(move || {
            let _turn = turn;
            square_jpeg(&picture)
        })
        .await
        .map_err(|e| IdentityError::Internal(format!("making the picture failed: {e}")))??;
        self.platform.blobs.put_bytes(&key(user_id), Bytes::from(square)).await?;
        let mut tx = self.platform.db.begin().await?;
        if !store::set_avatar(&mut tx, user_id, Some(now_ms())).await? {
            drop(tx);
            // The account went meanwhile; its erasure may have run already.
            self.platform.blobs.delete(&key(user_id)).await?;
            return Err(IdentityError::NotFound);
        }
        crate::events::profile_changed(&mut tx, user_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes the profile picture; removing none is not an error.
    pub async fn remove_avatar(&self, user_id: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        if store::set_avatar(&mut tx, user_id, None).await? {
            crate::events::profile_changed(&mut tx, user_id).await?;
        }
        tx.commit().await?;
        self.platform.blobs.delete(&key(user_id)).await?;
        Ok(())
    }

    /// A person's picture as JPEG bytes, for anyone who asks.
    pub async fn avatar(&self, user_id: &str) -> Result<BoxStream<'static, std::io::Result<Bytes>>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        if store::avatar_updated_at(&mut conn, user_id).await?.is_none() {
            return Err(IdentityError::NotFound);
        }
        drop(conn);
        match self.platform.blobs.get_stream(&key(user_id)).await {
            Ok(stream) => Ok(Box::pin(stream.map_err(std::io::Error::other))),
            // Removed between the two looks.
            Err(BlobError::NotFound(_)) => Err(IdentityError::NotFound),
            Err(e) => Err(e.into()),
        }
    }
}

fn not_a_picture() -> IdentityError {
    IdentityError::invalid("file", "Send a JPEG, PNG or WebP picture.")
}

fn refused(refusal: Refusal) -> IdentityError {
    IdentityError::invalid("file", BOUNDS.explain(&refusal))
}

/// The middle square of the picture, turned upright as its camera said,
/// scaled to `SIDE` and encoded as JPEG; transparency becomes white.
pub(crate) fn square_jpeg(bytes: &[u8]) -> Result<Vec<u8>> {
    if !matches!(image::guess_format(bytes), Ok(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) {
        return Err(not_a_picture());
    }
    let picture = BOUNDS.decode_upright(bytes).map_err(refused)?;
    let (width, height) = picture.dimensions();
    let side = width.min(height);
    let square = picture.crop_imm((width - side) / 2, (height - side) / 2, side, side);
    // Averaging is quick and sharp enough for shrinking; a smooth filter for growing.
    let sized = if side > SIDE {
        square.thumbnail_exact(SIDE, SIDE)
    } else {
        square.resize_exact(SIDE, SIDE, FilterType::CatmullRom)
    };
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(&platform::picture::on_white(sized))
        .map_err(|e| IdentityError::Internal(format!("encoding a profile picture failed: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use image::RgbImage;

    use super::*;

    fn png(width: u32, height: u32, pixel: impl Fn(u32, u32) -> image::Rgba<u8>) -> Vec<u8> {
        let picture = image::RgbaImage::from_fn(width, height, pixel);
        let mut out = Cursor::new(Vec::new());
        picture.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn decoded(jpeg: &[u8]) -> RgbImage {
        image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg).unwrap().to_rgb8()
    }

    #[test]
    fn the_middle_square_is_kept() {
        // A wide picture: red thirds left and right, blue in the middle square.
        let wide =
            png(
                300,
                100,
                |x, _| if (100..200).contains(&x) { [0, 0, 255, 255].into() } else { [255, 0, 0, 255].into() },
            );
        let square = decoded(&square_jpeg(&wide).unwrap());
        assert_eq!(square.dimensions(), (SIDE, SIDE));
        for (x, y) in [(5, 5), (250, 128), (128, 250)] {
            let [r, _, b] = square.get_pixel(x, y).0;
            assert!(b > 200 && r < 60, "pixel {x},{y} is {:?}", square.get_pixel(x, y));
        }
    }

    #[test]
    fn small_pictures_grow_and_transparency_turns_white() {
        let clear = png(10, 20, |_, _| [0, 0, 0, 0].into());
        let square = decoded(&square_jpeg(&clear).unwrap());
        assert_eq!(square.dimensions(), (SIDE, SIDE));
        assert!(square.get_pixel(128, 128).0.iter().all(|&c| c > 240));
    }

    #[test]
    fn anything_else_is_refused_naming_the_file_field() {
        for bytes in
            [b"not a picture at all".to_vec(), b"GIF89a\x01\x00\x01\x00".to_vec(), b"\x89PNG\r\n\x1a\nbroken".to_vec()]
        {
            match square_jpeg(&bytes) {
                Err(IdentityError::Invalid { field, .. }) => assert_eq!(field, "file"),
                other => panic!("accepted or failed otherwise: {:?}", other.map(|b| b.len())),
            }
        }
    }
}
