//! Heart rate (with time in zones), cadence and power.
//!
//! Averages are weighted by time: each reading counts for the seconds until
//! the next one, at most 10 s, so a pause with the sensor still on neither
//! vanishes nor dominates. Without times, every reading counts the same.

use serde::Serialize;

use crate::model::Point;

const MAX_WEIGHT_S: f64 = 10.0;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HeartRateZones {
    pub average: f64,
    pub max: u16,
    /// Seconds in each zone, by share of the athlete's maximum heart rate:
    /// below 60 %, 60–70 %, 70–80 %, 80–90 %, 90 % and above.
    pub seconds_in_zones: [f64; 5],
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Sensor {
    pub average: f64,
    pub max: u16,
}

/// The seconds each point stands for.
pub fn weights(points: &[&Point]) -> Vec<f64> {
    let mut out = Vec::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        let next = points.get(i + 1).and_then(|n| Some((n.time? - p.time?) as f64 / 1000.0));
        out.push(match next {
            Some(dt) if dt >= 0.0 => dt.min(MAX_WEIGHT_S),
            _ => 1.0,
        });
    }
    out
}

pub fn heart_rate(points: &[&Point], weights: &[f64], max_heart_rate: u16) -> Option<HeartRateZones> {
    let (average, max) = weighted(points, weights, |p| p.heart_rate.filter(|hr| *hr > 0))?;
    let mut zones = [0.0; 5];
    for (p, w) in points.iter().zip(weights) {
        if let Some(hr) = p.heart_rate.filter(|hr| *hr > 0) {
            let share = hr as f64 / max_heart_rate.max(1) as f64;
            // The epsilon keeps 60 % in the 60–70 % zone despite rounding.
            let zone = ((share * 10.0 + 1e-9).floor() - 5.0).clamp(0.0, 4.0) as usize;
            zones[zone] += w;
        }
    }
    Some(HeartRateZones { average, max, seconds_in_zones: zones })
}

/// Cadence: zeros are left out (coasting is not a cadence of zero).
pub fn cadence(points: &[&Point], weights: &[f64]) -> Option<Sensor> {
    let (average, max) = weighted(points, weights, |p| p.cadence.filter(|c| *c > 0))?;
    Some(Sensor { average, max })
}

/// Power: zeros count (coasting lowers the average power).
pub fn power(points: &[&Point], weights: &[f64]) -> Option<Sensor> {
    let (average, max) = weighted(points, weights, |p| p.power)?;
    Some(Sensor { average, max })
}

fn weighted(points: &[&Point], weights: &[f64], value: impl Fn(&Point) -> Option<u16>) -> Option<(f64, u16)> {
    let (mut sum, mut total, mut max) = (0.0, 0.0, 0u16);
    for (p, w) in points.iter().zip(weights) {
        if let Some(v) = value(p) {
            sum += v as f64 * w;
            total += w;
            max = max.max(v);
        }
    }
    (total > 0.0).then(|| (sum / total, max))
}
