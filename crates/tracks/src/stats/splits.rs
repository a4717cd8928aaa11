//! Splits per kilometre and per mile, and the best efforts (the fastest
//! stretch of a given distance anywhere inside the track).

use serde::Serialize;

use super::timeline::{time_at, SAME_M};

pub const METRES_PER_MILE: f64 = 1609.344;

/// Distances of the best efforts: 400 m, 1 km, 1 mile, 5 km, 10 km, half marathon, marathon.
pub const BEST_EFFORT_DISTANCES: [f64; 7] = [400.0, 1000.0, METRES_PER_MILE, 5000.0, 10_000.0, 21_097.5, 42_195.0];

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Split {
    /// 1 for the first kilometre (or mile).
    pub number: usize,
    /// Metres covered: the unit, or less for the last split.
    pub distance_m: f64,
    /// Seconds it took, pauses included.
    pub seconds: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BestEffort {
    pub distance_m: f64,
    pub seconds: f64,
    /// Where it started, metres from the start of the track.
    pub starts_at_m: f64,
}

/// Splits of `unit` metres along the timed track. A last part shorter
/// than 1 % of the unit is left out.
pub fn splits(timed: &[(f64, f64)], unit: f64) -> Vec<Split> {
    let Some(&(total, _)) = timed.last() else { return Vec::new() };
    let mut out = Vec::new();
    let mut start_time = timed[0].1;
    let mut start = timed[0].0;
    let mut cursor = 0;
    while total - start >= unit * 0.01 {
        let end = (start + unit).min(total);
        while cursor + 1 < timed.len() && timed[cursor + 1].0 < end - SAME_M {
            cursor += 1;
        }
        let end_time = time_at(timed, cursor, end);
        out.push(Split { number: out.len() + 1, distance_m: end - start, seconds: end_time - start_time });
        start = end;
        start_time = end_time;
    }
    out
}

/// The fastest stretch of `distance` metres, if the track is that long.
pub fn best_effort(timed: &[(f64, f64)], distance: f64) -> Option<BestEffort> {
    let total = timed.last()?.0 - timed.first()?.0;
    if total < distance {
        return None;
    }
    let mut best: Option<BestEffort> = None;
    let mut i = 0;
    // For every end point j, the stretch starts `distance` before it.
    for j in 0..timed.len() {
        let start = timed[j].0 - distance;
        if start < timed[0].0 {
            continue;
        }
        while i + 1 < timed.len() && timed[i + 1].0 <= start {
            i += 1;
        }
        let seconds = timed[j].1 - time_at(timed, i, start);
        if best.as_ref().is_none_or(|b| seconds < b.seconds) {
            best = Some(BestEffort { distance_m: distance, seconds, starts_at_m: start });
        }
    }
    best
}
