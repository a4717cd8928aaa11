//! What a track tells: distance, times, speeds, elevation, heart rate,
//! cadence, power, splits, best efforts, and a light shape for maps.

mod elevation;
mod sensors;
mod series;
mod simplify;
mod splits;
mod timeline;

use serde::Serialize;

pub use elevation::Elevation;
pub use sensors::{HeartRateZones, Sensor};
pub use series::Sample;
pub use splits::{BestEffort, Split, BEST_EFFORT_DISTANCES, METRES_PER_MILE};

use crate::model::{Point, Track};

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
    pub distance_m: f64,
    /// From the first to the last point, pauses included.
    pub elapsed_s: f64,
    /// Only the time spent moving faster than 1 km/h.
    pub moving_s: f64,
    /// Distance over moving time.
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
    /// `[lat, lon]` pairs tracing the route with at most `Options::shape_points`.
    pub shape: Vec<[f64; 2]>,
    /// Evenly spaced samples for charts, at most `Options::series_points`.
    pub series: Vec<Sample>,
}

pub fn analyse(track: &Track, options: &Options) -> Summary {
    let steps = timeline::lay_out(track);
    let timed = timeline::timed(&steps);
    let points: Vec<&Point> = track.points().collect();
    let weights = sensors::weights(&points);
    let distance = steps.last().map_or(0.0, |s| s.distance);
    // The earliest and latest times: a file's clock may step back (a GPS fix correcting it).
    let (start_time, end_time) =
        (points.iter().filter_map(|p| p.time).min(), points.iter().filter_map(|p| p.time).max());
    let elapsed = match (start_time, end_time) {
        (Some(a), Some(b)) => (b - a).max(0) as f64 / 1000.0,
        _ => 0.0,
    };
    let moving = moving_seconds(&steps);
    let average_speed = (moving > 0.0).then(|| distance / moving);
    let positions: Vec<(f64, f64)> = points.iter().filter_map(|p| p.position()).collect();
    let elevations: Vec<f64> = points.iter().filter_map(|p| p.elevation).collect();
    Summary {
        points: points.len(),
        start_time,
        end_time,
        distance_m: distance,
        elapsed_s: elapsed,
        moving_s: moving,
        average_speed_mps: average_speed,
        max_speed_mps: top_speed(&steps),
        average_pace_s_per_km: average_speed.filter(|s| *s > 0.0).map(|s| 1000.0 / s),
        elevation: elevation::elevation(&elevations),
        heart_rate: sensors::heart_rate(&points, &weights, options.max_heart_rate),
        cadence: sensors::cadence(&points, &weights),
        power: sensors::power(&points, &weights),
        splits_km: splits::splits(&timed, 1000.0),
        splits_mile: splits::splits(&timed, METRES_PER_MILE),
        best_efforts: BEST_EFFORT_DISTANCES.iter().filter_map(|&d| splits::best_effort(&timed, d)).collect(),
        bounds: bounds(&positions),
        start: positions.first().map(|&(lat, lon)| [lat, lon]),
        shape: simplify::simplify(&positions, options.shape_points).into_iter().map(|(a, b)| [a, b]).collect(),
        series: series::series(&points, &steps, options.series_points),
    }
}

/// Time between consecutive points of a segment, where the speed between
/// them shows movement. A point whose time goes backwards is skipped, so
/// moving time never exceeds elapsed time.
fn moving_seconds(steps: &[timeline::Step]) -> f64 {
    let mut moving = 0.0;
    let mut last: Option<&timeline::Step> = None;
    for step in steps.iter().filter(|s| s.time.is_some()) {
        if let Some(before) = last {
            let dt = step.time.unwrap() - before.time.unwrap();
            if dt < 0.0 {
                continue;
            }
            let speed = (step.distance - before.distance) / dt;
            if before.segment == step.segment && dt > 0.0 && speed >= MOVING_SPEED_MPS {
                moving += dt;
            }
        }
        last = Some(step);
    }
    moving
}

/// The fastest speed held over at least five seconds, inside one segment.
fn top_speed(steps: &[timeline::Step]) -> Option<f64> {
    let mut best: Option<f64> = None;
    let mut i = 0;
    for j in 0..steps.len() {
        let Some(tj) = steps[j].time else { continue };
        if steps[i].segment != steps[j].segment {
            i = j;
        }
        // Move the start up while the window stays at least five seconds long.
        while i + 1 < j && steps[i + 1].time.is_some_and(|t| tj - t >= TOP_SPEED_WINDOW_S) {
            i += 1;
        }
        let Some(ti) = steps[i].time else {
            i = j;
            continue;
        };
        if tj - ti >= TOP_SPEED_WINDOW_S {
            let speed = (steps[j].distance - steps[i].distance) / (tj - ti);
            best = Some(best.map_or(speed, |b: f64| b.max(speed)));
        }
    }
    best
}

fn bounds(positions: &[(f64, f64)]) -> Option<Bounds> {
    let first = positions.first()?;
    let mut b = Bounds { min_lat: first.0, min_lon: first.1, max_lat: first.0, max_lon: first.1 };
    for &(lat, lon) in positions {
        b.min_lat = b.min_lat.min(lat);
        b.max_lat = b.max_lat.max(lat);
        b.min_lon = b.min_lon.min(lon);
        b.max_lon = b.max_lon.max(lon);
    }
    Some(b)
}
