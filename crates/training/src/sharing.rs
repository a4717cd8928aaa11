//! A public workout's link shared in a chat or a post: what its preview
//! says (title, the main numbers, whose it is) and a picture of its route.
//! Only what a visitor who is not logged in may see is ever previewed.

use bytes::Bytes;
use image::{Rgb, RgbImage};

use crate::error::{Result, TrainingError};
use crate::workouts::Workout;
use crate::Training;

/// The size social sites show link previews at.
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 630;
const MARGIN: f64 = 60.0;
const BACKGROUND: Rgb<u8> = Rgb([244, 246, 248]);
const ROUTE: Rgb<u8> = Rgb([226, 85, 33]);

/// The text of a shared link's preview.
#[derive(Debug, Clone, PartialEq)]
pub struct SharePreview {
    pub title: String,
    pub description: String,
    /// The route as a picture, when the workout has one.
    pub image_path: Option<String>,
}

impl Training {
    /// The preview of a public workout; none for any other.
    pub async fn share_preview(&self, id: &str) -> Option<SharePreview> {
        let workout = self.workout_for(None, id).await.ok()?;
        let owner = workout.owner.as_ref().map(|o| o.display_name.clone()).unwrap_or_default();
        Some(SharePreview {
            title: workout.title.clone(),
            description: describe(&workout, &owner),
            image_path: shape_of(&workout).map(|_| format!("/api/v1/workouts/{id}/preview.png")),
        })
    }

    /// The route of a workout `viewer` may see, drawn as a PNG.
    pub async fn route_picture(&self, viewer: Option<&str>, id: &str) -> Result<Bytes> {
        let workout = self.workout_for(viewer, id).await?;
        let shape = shape_of(&workout).ok_or(TrainingError::NoTrack)?;
        tokio::task::spawn_blocking(move || draw(&shape)).await.map_err(|e| TrainingError::Internal(e.to_string()))?
    }
}

/// "10.2 km · 52:10 · 120 m climb · by Ada on Athlos": units are metric here,
/// as a preview is read by people whose preferences are unknown.
fn describe(workout: &Workout, owner: &str) -> String {
    let m = &workout.measures;
    let mut parts = Vec::new();
    if let Some(distance) = m.distance_m.filter(|d| *d > 0.0) {
        parts.push(format!("{:.1} km", distance / 1000.0));
    }
    parts.push(clock(m.moving_s.unwrap_or(m.duration_s)));
    if let Some(climb) = m.elevation_gain_m.filter(|c| *c >= 1.0) {
        parts.push(format!("{climb:.0} m climb"));
    }
    parts.push(format!("by {owner} on Athlos"));
    parts.join(" · ")
}

fn clock(seconds: f64) -> String {
    let total = seconds.round() as i64;
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

/// The map shape's stretches of `[lat, lon]`; a null in the shape (between
/// a file's segments) starts a new stretch.
fn shape_of(workout: &Workout) -> Option<Vec<Vec<(f64, f64)>>> {
    let analysis: serde_json::Value = serde_json::from_str(workout.analysis.as_ref()?.get()).ok()?;
    let shape = analysis.get("shape")?.as_array()?;
    let mut stretches = vec![Vec::new()];
    for entry in shape {
        match entry.as_array().map(|p| (p.first().and_then(|v| v.as_f64()), p.get(1).and_then(|v| v.as_f64()))) {
            Some((Some(lat), Some(lon))) => stretches.last_mut().expect("one at least").push((lat, lon)),
            _ => stretches.push(Vec::new()),
        }
    }
    stretches.retain(|s| !s.is_empty());
    (stretches.iter().map(Vec::len).sum::<usize>() >= 2).then_some(stretches)
}

/// The route fitted into the picture, north up, with metres the same
/// length both ways (longitude shrunk by the cosine of the latitude).
fn draw(stretches: &[Vec<(f64, f64)>]) -> Result<Bytes> {
    let points = stretches.iter().flatten();
    let (mut south, mut north, mut west, mut east) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(lat, lon) in points {
        (south, north, west, east) = (south.min(lat), north.max(lat), west.min(lon), east.max(lon));
    }
    let shrink = ((south + north) / 2.0).to_radians().cos().max(0.01);
    let span_x = ((east - west) * shrink).max(1e-9);
    let span_y = (north - south).max(1e-9);
    let scale = ((f64::from(WIDTH) - 2.0 * MARGIN) / span_x).min((f64::from(HEIGHT) - 2.0 * MARGIN) / span_y);
    let (offset_x, offset_y) = ((f64::from(WIDTH) - span_x * scale) / 2.0, (f64::from(HEIGHT) - span_y * scale) / 2.0);
    let place = |(lat, lon): (f64, f64)| (offset_x + (lon - west) * shrink * scale, offset_y + (north - lat) * scale);
    let mut picture = RgbImage::from_pixel(WIDTH, HEIGHT, BACKGROUND);
    for stretch in stretches {
        for pair in stretch.windows(2) {
            line(&mut picture, place(pair[0]), place(pair[1]));
        }
    }
    let mut png = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut png, image::ImageFormat::Png)
        .map_err(|e| TrainingError::Internal(format!("drawing a route failed: {e}")))?;
    Ok(Bytes::from(png.into_inner()))
}

/// A line six pixels wide: round dots every pixel along it.
fn line(picture: &mut RgbImage, from: (f64, f64), to: (f64, f64)) {
    let steps = (to.0 - from.0).abs().max((to.1 - from.1).abs()).ceil().max(1.0) as u32;
    for step in 0..=steps {
        let t = f64::from(step) / f64::from(steps);
        dot(picture, from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
    }
}

fn dot(picture: &mut RgbImage, x: f64, y: f64) {
    const RADIUS: i64 = 3;
    for dy in -RADIUS..=RADIUS {
        for dx in -RADIUS..=RADIUS {
            let (px, py) = (x.round() as i64 + dx, y.round() as i64 + dy);
            let inside = px >= 0 && py >= 0 && px < i64::from(WIDTH) && py < i64::from(HEIGHT);
            if dx * dx + dy * dy <= RADIUS * RADIUS && inside {
                picture.put_pixel(px as u32, py as u32, ROUTE);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_is_drawn_inside_the_margins() {
        let square = vec![vec![(46.0, 14.0), (46.0, 14.01), (46.01, 14.01)], vec![(46.01, 14.0), (46.0, 14.0)]];
        let png = draw(&square).unwrap();
        let picture = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(picture.dimensions(), (WIDTH, HEIGHT));
        assert_eq!(*picture.get_pixel(5, 5), BACKGROUND);
        let drawn = picture.pixels().filter(|p| **p == ROUTE).count();
        assert!(drawn > 1000, "{drawn}");
        // The square fills the height between the margins: its bottom edge
        // is drawn, its top edge is the gap between the stretches and is not.
        let bottom = HEIGHT - MARGIN as u32;
        assert_eq!(*picture.get_pixel(WIDTH / 2, bottom), ROUTE);
        assert_eq!(*picture.get_pixel(WIDTH / 2, MARGIN as u32), BACKGROUND);
    }

    #[test]
    fn times_read_as_a_clock() {
        assert_eq!(clock(3130.0), "52:10");
        assert_eq!(clock(3725.4), "1:02:05");
    }
}
