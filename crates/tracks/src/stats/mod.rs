//! What a track tells: distance, times, speeds, elevation, heart rate,
//! cadence, power, splits, best efforts, and a light shape for maps.

mod elevation;
mod farthest;
mod sensors;
mod series;
mod simplify;
mod splits;
mod sweep;
mod timeline;

use serde::Serialize;

pub use elevation::Elevation;
pub use sensors::{HeartRateZones, Sensor};
pub use series::Sample;
pub use splits::{BestEffort, Split, BEST_EFFORT_DISTANCES, METRES_PER_MILE};

use crate::model::Track;
use sweep::Sweep;
use timeline::Mark;

/// Slower than this between two points is standing still (1 km/h).
const MOVING_SPEED_MPS: f64 = 1.0 / 3.6;
/// The top speed is the fastest over at least this long, so one jumpy GPS fix does not make it.
const TOP_SPEED_WINDOW_S: f64 = 5.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// The athlete's maximum heart rate, for the zones.
    pub max_heart_rate: u16,
    /// At most this many points in the simplified shape.
    pub shape_points: usize,
    /// At most this many samples in the chart series.
    pub series_points: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self { max_heart_rate: 190, shape_points: 300, series_points: 500 }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bounds {
    pub min_lat: f64,
    pub min_lon: f64,
    pub max_lat: f64,
    pub max_lon: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub points: usize,
    /// Milliseconds since the epoch, UTC.
    pub start_time: Option<i64>,
    pub end_time: Option<i64>,
    /// The whole track's, timed or not, without the gaps between segments.
    pub distance_m: f64,
    /// The part of the distance covered in timed stretches (two consecutive
    /// points of a segment that both have times): what the speeds are of.
    pub timed_distance_m: f64,
    /// From the first to the last timed point, pauses and gaps included.
    pub elapsed_s: f64,
    /// The time in timed stretches faster than 1 km/h.
    pub moving_s: f64,
    /// The timed distance over the moving time; none without moving time.
    pub average_speed_mps: Option<f64>,
    pub max_speed_mps: Option<f64>,
    /// Seconds per kilometre at the average speed.
    pub average_pace_s_per_km: Option<f64>,
    pub elevation: Option<Elevation>,
    pub heart_rate: Option<HeartRateZones>,
    pub cadence: Option<Sensor>,
    pub power: Option<Sensor>,
    pub splits_km: Vec<Split>,
    pub splits_mile: Vec<Split>,
    pub best_efforts: Vec<BestEffort>,
    pub bounds: Option<Bounds>,
    /// `[lat, lon]` of the first position.
    pub start: Option<[f64; 2]>,
    /// `[lat, lon]` pairs tracing the route with at most
    /// `Options::shape_points`; a `None` (JSON `null`) ends one segment's
    /// line before the next one's, as the gap between them was not travelled.
    pub shape: Vec<Option<[f64; 2]>>,
    /// Evenly spaced samples for charts, at most `Options::series_points`,
    /// with a `None` (JSON `null`) between samples of two segments.
    pub series: Vec<Option<Sample>>,
}

/// What `track` tells. Its speeds, paces, moving time and split times come
/// from its timed stretches alone; where it has no times they are left
/// out, never guessed. A planned route (no times at all) still has its
/// distance, elevation and shape: see [`Track::check_recorded`] for
/// telling one from a recording.
pub fn analyse(track: &Track, options: &Options) -> Summary {
    let sweep = Sweep::of(track, options.max_heart_rate);
    let steps = timeline::lay_out(track, sweep.with_device_distance);
    let parts = timeline::timed_parts(&steps);
    let distance = steps.last().map_or(0.0, |s| s.distance);
    let elapsed = match (sweep.start_time, sweep.end_time) {
        (Some(a), Some(b)) => (b - a).max(0) as f64 / 1000.0,
        _ => 0.0,
    };
    let timed_distance = timed_distance(&parts);
    let moving = moving_seconds(&parts);
    let average_speed = (moving > 0.0).then(|| timed_distance / moving);
    Summary {
        points: sweep.points,
        start_time: sweep.start_time,
        end_time: sweep.end_time,
        distance_m: distance,
        timed_distance_m: timed_distance,
        elapsed_s: elapsed,
        moving_s: moving,
        average_speed_mps: average_speed,
        max_speed_mps: top_speed(&parts),
        average_pace_s_per_km: average_speed.filter(|s| *s > 0.0).map(|s| 1000.0 / s),
        elevation: elevation::of_segments(sweep.elevations),
        heart_rate: sweep.readings.heart_rate(),
        cadence: sweep.readings.cadence(),
        power: sweep.readings.power(),
        splits_km: splits::splits(&parts, distance, 1000.0),
        splits_mile: splits::splits(&parts, distance, METRES_PER_MILE),
        best_efforts: splits::best_efforts(&parts),
        bounds: sweep.bounds,
        start: sweep.start,
        shape: shape(&sweep.lines, options.shape_points),
        series: series::series(track, &steps, options.series_points),
    }
}

/// The distance covered in timed stretches. (Folded from 0: a float sum of
/// nothing is -0, which would show as such.)
fn timed_distance(parts: &[Vec<Mark>]) -> f64 {
    let lengths = parts.iter().filter_map(|part| Some(part.last()?.distance - part.first()?.distance));
    lengths.fold(0.0, |total, length| total + length)
}

/// The time of the timed stretches whose speed shows movement.
fn moving_seconds(parts: &[Vec<Mark>]) -> f64 {
    let stretches = parts.iter().flat_map(|part| part.windows(2));
    stretches
        .map(|s| (s[1].distance - s[0].distance, s[1].clock - s[0].clock))
        .filter(|&(metres, seconds)| seconds > 0.0 && metres / seconds >= MOVING_SPEED_MPS)
        .fold(0.0, |total, (_, seconds)| total + seconds)
}

/// The fastest speed held over at least five seconds inside one timed part.
fn top_speed(parts: &[Vec<Mark>]) -> Option<f64> {
    let mut best: Option<f64> = None;
    for part in parts {
        let mut i = 0;
        for j in 0..part.len() {
            // The shortest window of at least five seconds that ends at j.
            while i + 1 < j && part[j].clock - part[i + 1].clock >= TOP_SPEED_WINDOW_S {
                i += 1;
            }
            let seconds = part[j].clock - part[i].clock;
            if seconds >= TOP_SPEED_WINDOW_S {
                let speed = (part[j].distance - part[i].distance) / seconds;
                best = Some(best.map_or(speed, |b| b.max(speed)));
            }
        }
    }
    best
}

/// The simplified lines of the segments, one after the other, a `None` between two.
fn shape(lines: &[Vec<(f64, f64)>], limit: usize) -> Vec<Option<[f64; 2]>> {
    let mut shape = Vec::new();
    for line in simplify::simplify(lines, limit) {
        if !shape.is_empty() {
            shape.push(None);
        }
        shape.extend(line.into_iter().map(|(lat, lon)| Some([lat, lon])));
    }
    shape
}
