//! Reading a picture someone sent without letting it take the server's
//! memory. A small file can declare a huge picture (a 1 MB PNG of zeros says
//! 12 000 × 12 000 pixels at 16 bits, over a gigabyte decoded), so the size
//! its header declares is checked before any pixel is decoded, and the
//! decoder is held to limits, so that a header or a chunk that lies cannot
//! make it allocate more than the bounds allow.
//!
//! Profile pictures, equipment photos and offers' pictures all go through it.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageReader, Limits, RgbImage};

/// How large a picture may be.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
    /// Pixels on either side.
    pub max_side: u32,
    /// Width × height.
    pub max_pixels: u64,
    /// Bytes the decoder may hold at once, the decoded picture included.
    pub max_bytes: u64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a picture, or not one this build reads, or a broken one.
    Unreadable,
    /// The header declares more pixels than the bounds.
    TooLarge { width: u32, height: u32 },
    /// Decoding it would take more memory than the bounds.
    TooMuchMemory,
}

impl Bounds {
    /// The decoder limits that hold to these bounds.
    pub fn limits(&self) -> Limits {
        let mut limits = Limits::default();
        limits.max_image_width = Some(self.max_side);
        limits.max_image_height = Some(self.max_side);
        limits.max_alloc = Some(self.max_bytes);
        limits
    }

    /// The width and height the picture declares, refused past the bounds;
    /// only its header is read.
    pub fn check_dimensions(&self, bytes: &[u8]) -> Result<(u32, u32), Refusal> {
        let mut header_only = self.limits();
        // A side past the bound is reported with the size below, not as the decoder's error.
        header_only.max_image_width = None;
        header_only.max_image_height = None;
        let (width, height) = reader(bytes, header_only)?.into_dimensions().map_err(refusal)?;
        if width == 0 || height == 0 {
            return Err(Refusal::Unreadable);
        }
        if width > self.max_side || height > self.max_side || u64::from(width) * u64::from(height) > self.max_pixels {
            return Err(Refusal::TooLarge { width, height });
        }
        Ok((width, height))
    }

    /// The picture, decoded within the bounds and turned upright as its camera said.
    pub fn decode_upright(&self, bytes: &[u8]) -> Result<DynamicImage, Refusal> {
        self.check_dimensions(bytes)?;
        let mut decoder = reader(bytes, self.limits())?.into_decoder().map_err(refusal)?;
        let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
        // The decoded picture itself counts against the memory bound, as the
        // decoders' own buffers do (`ImageReader::decode` does the same).
        let mut limits = self.limits();
        limits.reserve(decoder.total_bytes()).map_err(refusal)?;
        decoder.set_limits(limits).map_err(refusal)?;
        let mut picture = DynamicImage::from_decoder(decoder).map_err(refusal)?;
        picture.apply_orientation(orientation);
        Ok(picture)
    }
}

impl Bounds {
    /// What to tell the person who sent a refused picture.
    pub fn explain(&self, refusal: &Refusal) -> String {
        let (megapixels, megabytes) = (self.max_pixels / 1_000_000, self.max_bytes / 1_000_000);
        match refusal {
            Refusal::Unreadable => "Send a JPEG, PNG or WebP picture.".into(),
            Refusal::TooLarge { width, height } => format!(
                "The picture is {width}×{height} pixels; send one of at most {megapixels} megapixels and {} pixels a side.",
                self.max_side
            ),
            Refusal::TooMuchMemory => format!(
                "The picture takes more than {megabytes} MB to read; send one of fewer pixels or 8 bits per colour."
            ),
        }
    }
}

/// JPEG has no transparency: transparent parts show white, not black.
pub fn on_white(picture: DynamicImage) -> RgbImage {
    if !picture.color().has_alpha() {
        return picture.to_rgb8();
    }
    let rgba = picture.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| ((u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a))) / 255) as u8;
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

fn reader(bytes: &[u8], limits: Limits) -> Result<ImageReader<Cursor<&[u8]>>, Refusal> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| Refusal::Unreadable)?;
    reader.limits(limits);
    Ok(reader)
}

fn refusal(error: ImageError) -> Refusal {
    match error {
        ImageError::Limits(_) => Refusal::TooMuchMemory,
        _ => Refusal::Unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Bounds = Bounds { max_side: 100, max_pixels: 5_000, max_bytes: 20_000 };

    fn png(picture: DynamicImage) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_picture_within_the_bounds_is_read() {
        let bytes = png(DynamicImage::new_rgba8(70, 70));
        assert_eq!(SMALL.check_dimensions(&bytes), Ok((70, 70)));
        assert_eq!(SMALL.decode_upright(&bytes).unwrap().width(), 70);
    }

    #[test]
    fn too_many_pixels_or_too_long_a_side_is_refused_before_decoding() {
        for (width, height) in [(71, 71), (101, 1)] {
            let bytes = png(DynamicImage::new_luma8(width, height));
            assert_eq!(SMALL.check_dimensions(&bytes), Err(Refusal::TooLarge { width, height }));
            assert_eq!(SMALL.decode_upright(&bytes).unwrap_err(), Refusal::TooLarge { width, height });
        }
    }

    #[test]
    fn a_picture_that_needs_more_memory_than_allowed_is_not_decoded() {
        // 60 × 60 is within the pixels, but at 16 bits RGBA takes 28 800 bytes.
        let bytes = png(DynamicImage::new_rgba16(60, 60));
        assert_eq!(SMALL.check_dimensions(&bytes), Ok((60, 60)));
        assert_eq!(SMALL.decode_upright(&bytes).unwrap_err(), Refusal::TooMuchMemory);
        // At 8 bits it takes 14 400, and is read.
        assert!(SMALL.decode_upright(&png(DynamicImage::new_rgba8(60, 60))).is_ok());
    }

    #[test]
    fn the_limits_hold_the_decoder_to_the_bounds() {
        let limits = SMALL.limits();
        assert_eq!((limits.max_image_width, limits.max_image_height), (Some(100), Some(100)));
        assert_eq!(limits.max_alloc, Some(20_000));
    }

    #[test]
    fn anything_else_is_unreadable() {
        assert_eq!(SMALL.check_dimensions(b"not a picture"), Err(Refusal::Unreadable));
        assert_eq!(SMALL.decode_upright(b"\x89PNG\r\n\x1a\nbroken"), Err(Refusal::Unreadable));
    }
}
