//! Splits per kilometre and per mile, and the best efforts (the fastest
//! stretch of a given distance anywhere inside the track).

use serde::Serialize;

use super::timeline::{clock_at, Mark, SAME_M};

pub const METRES_PER_MILE: f64 = 1609.344;

/// Distances of the best efforts: 400 m, 1 km, 1 mile, 5 km, 10 km, half marathon, marathon.
pub const BEST_EFFORT_DISTANCES: [f64; 7] = [400.0, 1000.0, METRES_PER_MILE, 5000.0, 10_000.0, 21_097.5, 42_195.0];

/// No track has more splits than this (10 000 km, or miles): a file that
/// claims more is broken, and listing them would cost memory without end.
const MOST_SPLITS: usize = 10_000;

/// Untimed distance up to this (a millimetre) still leaves a split its time.
const UNTIMED_SLACK_M: f64 = 0.001;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Split {
    /// 1 for the first kilometre (or mile).
    pub number: usize,
    /// Metres covered: the unit, or less for the last split.
    pub distance_m: f64,
    /// Seconds it took, pauses inside a segment included; `None` when part
    /// of it has no times, since its time would be a guess.
    pub seconds: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BestEffort {
    pub distance_m: f64,
    pub seconds: f64,
    /// Where it started, metres from the start of the track.
    pub starts_at_m: f64,
}

/// Splits of `unit` metres over the whole `distance`, timed or not. A last
/// part shorter than 1 % of the unit is left out.
pub fn splits(parts: &[Vec<Mark>], distance: f64, unit: f64) -> Vec<Split> {
    let whole = (distance / unit).floor();
    let count = whole as usize + usize::from(distance - whole * unit >= unit * 0.01);
    if count == 0 || count > MOST_SPLITS {
        return Vec::new();
    }
    let mut timed = vec![Timed::default(); count];
    for part in parts {
        for stretch in part.windows(2) {
            share_out(stretch[0], stretch[1], unit, &mut timed);
        }
    }
    timed
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let length = ((k + 1) as f64 * unit).min(distance) - k as f64 * unit;
            let seconds = (length - t.distance <= UNTIMED_SLACK_M).then_some(t.seconds);
            Split { number: k + 1, distance_m: length, seconds }
        })
        .collect()
}

/// How much of a split was timed, and the seconds that took.
#[derive(Clone, Copy, Default)]
struct Timed {
    distance: f64,
    seconds: f64,
}

/// Shares the stretch from `a` to `b` out among the splits it crosses,
/// its time in proportion to the distance in each.
fn share_out(a: Mark, b: Mark, unit: f64, splits: &mut [Timed]) {
    let last = splits.len() - 1;
    let seconds = b.clock - a.clock;
    if b.distance <= a.distance {
        // Standing still: the time belongs to the split under way, which
        // at a split's end (as first reached) is the next one.
        splits[(((a.distance + SAME_M) / unit) as usize).min(last)].seconds += seconds;
        return;
    }
    let per_metre = seconds / (b.distance - a.distance);
    for (k, split) in splits.iter_mut().enumerate().skip((a.distance / unit) as usize) {
        let (start, end) = (k as f64 * unit, (k + 1) as f64 * unit);
        if start >= b.distance {
            break;
        }
        let overlap = b.distance.min(end) - a.distance.max(start);
        if overlap > 0.0 {
            split.distance += overlap;
            split.seconds += overlap * per_metre;
        }
    }
}

/// The fastest stretch of `distance` metres inside one timed part, if any
/// part is that long: an effort is not timed across a stretch without times.
pub fn best_effort(parts: &[Vec<Mark>], distance: f64) -> Option<BestEffort> {
    parts.iter().filter_map(|part| best_in_part(part, distance)).min_by(|a, b| a.seconds.total_cmp(&b.seconds))
}

fn best_in_part(part: &[Mark], distance: f64) -> Option<BestEffort> {
    let (first, last) = (part.first()?, part.last()?);
    if last.distance - first.distance < distance {
        return None;
    }
    let mut best: Option<BestEffort> = None;
    let mut i = 0;
    // For every end point j, the stretch starts `distance` before it.
    for j in 0..part.len() {
        let start = part[j].distance - distance;
        if start < first.distance {
            continue;
        }
        while i + 1 < part.len() && part[i + 1].distance <= start {
            i += 1;
        }
        let seconds = part[j].clock - clock_at(part, i, start);
        if best.as_ref().is_none_or(|b| seconds < b.seconds) {
            best = Some(BestEffort { distance_m: distance, seconds, starts_at_m: start });
        }
    }
    best
}
