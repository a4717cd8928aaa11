//! The track thinned to a few hundred evenly spaced samples for charts of
//! elevation, speed and heart rate along the distance.

use serde::Serialize;

use super::timeline::Step;
use crate::model::Point;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sample {
    /// Metres from the start.
    pub distance_m: f64,
    /// Seconds since the first timed point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elapsed_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elevation_m: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heart_rate: Option<u16>,
    /// Over the stretch this sample stands for, so one jumpy fix does not spike the chart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed_mps: Option<f64>,
}

/// At most `limit` samples, one every `stride` points.
pub fn series(points: &[&Point], steps: &[Step], limit: usize) -> Vec<Sample> {
    if points.is_empty() || limit == 0 {
        return Vec::new();
    }
    let stride = points.len().div_ceil(limit).max(1);
    let start = steps.iter().find_map(|s| s.time);
    (0..points.len())
        .step_by(stride)
        .map(|i| Sample {
            distance_m: steps[i].distance,
            elapsed_s: steps[i].time.zip(start).map(|(t, s)| t - s),
            elevation_m: points[i].elevation,
            heart_rate: points[i].heart_rate,
            speed_mps: speed_around(steps, i, stride),
        })
        .collect()
}

/// The speed between the points half a stride before and after `i` (at
/// least one each way), within one segment.
fn speed_around(steps: &[Step], i: usize, stride: usize) -> Option<f64> {
    let reach = (stride / 2).max(1);
    let (a, b) = (&steps[i.saturating_sub(reach)], &steps[(i + reach).min(steps.len() - 1)]);
    let dt = b.time? - a.time?;
    (a.segment == b.segment && dt > 0.0).then(|| (b.distance - a.distance) / dt)
}
