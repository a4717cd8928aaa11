//! The track laid out along its distance: for every point, how far from
//! the start and when.

use geographiclib_rs::Geodesic;

use crate::geo;
use crate::model::Track;

/// One point of the track with its distance from the start.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    pub segment: usize,
    /// Metres from the start.
    pub distance: f64,
    /// Seconds since the Unix epoch.
    pub time: Option<f64>,
}

/// Distance and time along the track, point by point.
///
/// The distance is the device's own (wheel or foot sensor, or its filtered
/// GPS) when at least 90 % of the points carry it, because that is what the
/// athlete saw on the device; between points without it, and in tracks
/// that mostly lack it, it is the geodesic length between positions. No
/// distance is added across the gap between two segments.
pub fn lay_out(track: &Track) -> Vec<Step> {
    let with_device = track.points().filter(|p| p.distance.is_some()).count();
    let use_device = with_device * 10 >= track.point_count() * 9;
    let geodesic = Geodesic::wgs84();
    let mut steps = Vec::with_capacity(track.point_count());
    let mut total = 0.0;
    for (segment, points) in track.segments.iter().enumerate() {
        let mut previous: Option<&crate::Point> = None;
        let mut last_position = None;
        for point in points {
            if let Some(before) = previous {
                let step = match (before.distance, point.distance, last_position, point.position()) {
                    (Some(a), Some(b), ..) if use_device => (b - a).max(0.0),
                    (_, _, Some(a), Some(b)) => geo::distance(&geodesic, a, b),
                    _ => 0.0,
                };
                total += step;
            }
            if point.position().is_some() {
                last_position = point.position();
            }
            previous = Some(point);
            steps.push(Step { segment, distance: total, time: point.time.map(|ms| ms as f64 / 1000.0) });
        }
    }
    steps
}

/// The timed steps, with time never going backwards (a clock correction
/// in the file would otherwise make negative durations).
pub fn timed(steps: &[Step]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(steps.len());
    for step in steps {
        if let Some(t) = step.time {
            if out.last().is_none_or(|&(_, last)| t >= last) {
                out.push((step.distance, t));
            }
        }
    }
    out
}

/// Distances closer than this are the same (sums of geodesic steps carry rounding).
pub const SAME_M: f64 = 1e-6;

/// The time at which `distance` was first reached, between the timed steps around it.
pub fn time_at(timed: &[(f64, f64)], from: usize, distance: f64) -> f64 {
    let mut i = from;
    while i + 1 < timed.len() && timed[i + 1].0 < distance - SAME_M {
        i += 1;
    }
    let (d0, t0) = timed[i];
    match timed.get(i + 1) {
        Some(&(d1, t1)) if d1 > d0 => t0 + (t1 - t0) * ((distance - d0) / (d1 - d0)).clamp(0.0, 1.0),
        _ => t0,
    }
}
