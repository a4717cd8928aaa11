//! Photos of equipment and pictures of offers: whatever JPEG, PNG or WebP
//! is sent is kept as a JPEG of at most `MAX_SIDE` pixels a side, upright,
//! without the metadata the camera wrote (a location among it).

use bytes::Bytes;
use image::{GenericImageView, ImageFormat};
use platform::picture::{on_white, Bounds};

use crate::error::{InventoryError, Result};

/// The largest picture sent.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// As profile pictures: a picture is read up to 40 megapixels.
const BOUNDS: Bounds = Bounds { max_side: 12_000, max_pixels: 40_000_000, max_bytes: 40_000_000 * 4 };
const MAX_SIDE: u32 = 1600;
const QUALITY: u8 = 82;

/// One picture decoded at a time: each may take up to 160 MB.
static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// The picture re-encoded for keeping.
pub async fn prepare(bytes: Bytes) -> Result<Bytes> {
    let turn = DECODING.acquire().await.map_err(|e| InventoryError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        fit_jpeg(&bytes)
    })
    .await
    .map_err(|e| InventoryError::Internal(format!("making the picture failed: {e}")))?
}

fn fit_jpeg(bytes: &[u8]) -> Result<Bytes> {
    if !matches!(image::guess_format(bytes), Ok(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) {
        return Err(InventoryError::invalid("file", "Send a JPEG, PNG or WebP picture."));
    }
    let picture = BOUNDS.decode_upright(bytes).map_err(|r| InventoryError::invalid("file", BOUNDS.explain(&r)))?;
    let (width, height) = picture.dimensions();
    let fitted = if width.max(height) > MAX_SIDE { picture.thumbnail(MAX_SIDE, MAX_SIDE) } else { picture };
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(&on_white(fitted))
        .map_err(|e| InventoryError::Internal(format!("encoding a picture failed: {e}")))?;
    Ok(Bytes::from(out))
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image::DynamicImage::new_rgb8(width, height).write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_large_picture_is_fitted_and_kept_as_jpeg() {
        let kept = fit_jpeg(&png(3200, 800)).unwrap();
        assert_eq!(image::guess_format(&kept).unwrap(), ImageFormat::Jpeg);
        assert_eq!(image::load_from_memory(&kept).unwrap().dimensions(), (1600, 400));
    }

    #[test]
    fn anything_else_is_refused_on_the_file_field() {
        let Err(InventoryError::Invalid { field, .. }) = fit_jpeg(b"GIF89a not this") else { panic!("accepted") };
        assert_eq!(field, "file");
    }
}
