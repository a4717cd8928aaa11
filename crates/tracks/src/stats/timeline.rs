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
/// distance is added across the gap between two segments. `with_device`:
/// how many points carry the device's distance.
pub fn lay_out(track: &Track, with_device: usize) -> Vec<Step> {
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

/// A moment of a timed part: how far along the track, and how many seconds
/// of recorded time had passed by then.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mark {
    /// Metres from the start.
    pub distance: f64,
    /// Seconds recorded so far, the gaps between segments left out.
    pub clock: f64,
}

/// The parts of the track that are timed throughout, in order, each a
/// chain of timed stretches: two consecutive points of a segment that
/// both have times. Speeds, paces and moving time come from these alone,
/// so that nothing is invented where a file has no times.
///
/// An untimed point ends a part: when its distance was covered is not
/// known. A gap between segments does not, when the next segment goes on
/// timed from where the last one stopped, since it adds neither distance
/// nor time (the clock stands still across it). A point whose time goes
/// back before one already counted (a clock correction) is passed over,
/// so the time recorded never exceeds the time elapsed.
pub fn timed_parts(steps: &[Step]) -> Vec<Vec<Mark>> {
    let mut parts: Vec<Vec<Mark>> = Vec::new();
    let mut clock = 0.0;
    let mut latest = f64::NEG_INFINITY;
    // The timed point a stretch can start from, and its time.
    let mut from: Option<(&Step, f64)> = None;
    for step in steps {
        if from.is_some_and(|(f, _)| f.segment != step.segment) {
            from = None;
        }
        let Some(time) = step.time else {
            from = None;
            continue;
        };
        if time < latest {
            continue;
        }
        if let Some((start, started)) = from {
            let before = Mark { distance: start.distance, clock };
            clock += time - started;
            let after = Mark { distance: step.distance, clock };
            match parts.last_mut() {
                Some(part) if part.last().is_some_and(|m| m.distance >= before.distance - SAME_M) => part.push(after),
                _ => parts.push(vec![before, after]),
            }
        }
        latest = time;
        from = Some((step, time));
    }
    parts
}

/// Distances closer than this are the same (sums of geodesic steps carry rounding).
pub const SAME_M: f64 = 1e-6;

/// The clock when `distance` was first reached, between the marks around
/// it, looking from `from` on.
pub fn clock_at(part: &[Mark], from: usize, distance: f64) -> f64 {
    let mut i = from;
    while i + 1 < part.len() && part[i + 1].distance < distance - SAME_M {
        i += 1;
    }
    let a = part[i];
    match part.get(i + 1) {
        Some(b) if b.distance > a.distance => {
            a.clock + (b.clock - a.clock) * ((distance - a.distance) / (b.distance - a.distance)).clamp(0.0, 1.0)
        }
        _ => a.clock,
    }
}
