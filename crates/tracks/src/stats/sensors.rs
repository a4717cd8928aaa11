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

/// The seconds `point` stands for, given the point after it.
pub fn weight(point: &Point, next: Option<&Point>) -> f64 {
    match next.and_then(|n| Some((n.time? - point.time?) as f64 / 1000.0)) {
        Some(dt) if dt >= 0.0 => dt.min(MAX_WEIGHT_S),
        _ => 1.0,
    }
}

/// The readings of all three sensors added up as the points come, each
/// with its weight.
#[derive(Default)]
pub struct Readings {
    heart_rate: Weighted,
    /// Seconds in each heart-rate zone.
    zones: [f64; 5],
    cadence: Weighted,
    power: Weighted,
}

impl Readings {
    pub fn add(&mut self, point: &Point, weight: f64, max_heart_rate: u16) {
        if let Some(hr) = point.heart_rate.filter(|hr| *hr > 0) {
            self.heart_rate.add(hr, weight);
            let share = hr as f64 / max_heart_rate.max(1) as f64;
            // The epsilon keeps 60 % in the 60–70 % zone despite rounding.
            let zone = ((share * 10.0 + 1e-9).floor() - 5.0).clamp(0.0, 4.0) as usize;
            self.zones[zone] += weight;
        }
        // Cadence: zeros are left out (coasting is not a cadence of zero).
        if let Some(cadence) = point.cadence.filter(|c| *c > 0) {
            self.cadence.add(cadence, weight);
        }
        // Power: zeros count (coasting lowers the average power).
        if let Some(power) = point.power {
            self.power.add(power, weight);
        }
    }

    pub fn heart_rate(&self) -> Option<HeartRateZones> {
        let (average, max) = self.heart_rate.average()?;
        Some(HeartRateZones { average, max, seconds_in_zones: self.zones })
    }

    pub fn cadence(&self) -> Option<Sensor> {
        self.cadence.average().map(|(average, max)| Sensor { average, max })
    }

    pub fn power(&self) -> Option<Sensor> {
        self.power.average().map(|(average, max)| Sensor { average, max })
    }
}

#[derive(Default)]
struct Weighted {
    sum: f64,
    total: f64,
    max: u16,
}

impl Weighted {
    fn add(&mut self, value: u16, weight: f64) {
        self.sum += value as f64 * weight;
        self.total += weight;
        self.max = self.max.max(value);
    }

    fn average(&self) -> Option<(f64, u16)> {
        (self.total > 0.0).then(|| (self.sum / self.total, self.max))
    }
}
