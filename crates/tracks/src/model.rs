//! What a track file holds once read: points in segments, and the totals a
//! device recorded itself, if any.

use serde::Serialize;

use crate::error::TrackError;

/// One recorded moment. A point without a position comes from indoor
/// sessions (trainer, treadmill), which still carry time and distance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Point {
    /// Milliseconds since the Unix epoch, UTC.
    pub time: Option<i64>,
    /// Degrees, WGS 84.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Metres above sea level.
    pub elevation: Option<f64>,
    /// Beats per minute.
    pub heart_rate: Option<u16>,
    /// Revolutions (or steps of one foot) per minute.
    pub cadence: Option<u16>,
    /// Watts.
    pub power: Option<u16>,
    /// Degrees Celsius.
    pub temperature: Option<f32>,
    /// Distance from the start as the device measured it (wheel sensor,
    /// footpod), in metres; used when there are no positions.
    pub distance: Option<f64>,
}

impl Point {
    pub fn position(&self) -> Option<(f64, f64)> {
        Some((self.lat?, self.lon?))
    }
}

/// The totals a device wrote into the file (FIT sessions, TCX laps).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct DeviceTotals {
    pub distance_m: Option<f64>,
    pub elapsed_s: Option<f64>,
    /// Time with the timer running (without pauses).
    pub timer_s: Option<f64>,
}

/// A track as read from a file.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Track {
    pub name: Option<String>,
    /// The sport as the file names it (`running`, `Biking`, `cycling`…), unmapped.
    pub sport: Option<String>,
    /// Points in recording order; a new segment starts after a pause or gap.
    pub segments: Vec<Vec<Point>>,
    pub device_totals: Option<DeviceTotals>,
}

impl Track {
    pub fn points(&self) -> impl Iterator<Item = &Point> {
        self.segments.iter().flatten()
    }

    pub fn point_count(&self) -> usize {
        self.segments.iter().map(Vec::len).sum()
    }

    /// Whether this is a recording, which a training must be: at least two
    /// points with times. A planned route has none, and one time alone
    /// tells no duration; either is refused as [`TrackError::NoTimes`].
    pub fn check_recorded(&self) -> Result<(), TrackError> {
        match self.points().filter(|p| p.time.is_some()).take(2).count() {
            2 => Ok(()),
            _ => Err(TrackError::NoTimes),
        }
    }
}

/// Ends `segment`, keeping it in `into` unless it is empty. It is trimmed to
/// its points: a file of many one-point segments would otherwise hold room
/// for four points (a vector's least growth) for each point it has.
pub(crate) fn close_segment(segment: &mut Vec<Point>, into: &mut Vec<Vec<Point>>) {
    if !segment.is_empty() {
        segment.shrink_to_fit();
        into.push(std::mem::take(segment));
    }
}
