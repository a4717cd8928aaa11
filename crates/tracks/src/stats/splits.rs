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

/// The fastest stretch of each of [`BEST_EFFORT_DISTANCES`] inside one
/// timed part, for those some part is long enough for: an effort is not
/// timed across a stretch without times. Of equally fast ones, the first.
pub fn best_efforts(parts: &[Vec<Mark>]) -> Vec<BestEffort> {
    let mut best: [Option<BestEffort>; BEST_EFFORT_DISTANCES.len()] = Default::default();
    for part in parts {
        for (best, found) in best.iter_mut().zip(best_in_part(part)) {
            let Some(found) = found else { continue };
            if best.as_ref().is_none_or(|b| found.seconds.total_cmp(&b.seconds).is_lt()) {
                *best = Some(found);
            }
        }
    }
    best.into_iter().flatten().collect()
}

/// The fastest stretch of each distance in `part`, all found in one sweep
/// of it, so that a long part is read once rather than once a distance.
fn best_in_part(part: &[Mark]) -> [Option<BestEffort>; BEST_EFFORT_DISTANCES.len()] {
    let (Some(first), Some(last)) = (part.first(), part.last()) else { return Default::default() };
    let length = last.distance - first.distance;
    let mut efforts = BEST_EFFORT_DISTANCES.map(|distance| Effort { distance, from: 0, best: None });
    let reached = efforts.iter().take_while(|e| length >= e.distance).count();
    for j in 0..part.len() {
        for effort in &mut efforts[..reached] {
            effort.ending_at(part, j, first.distance);
        }
    }
    efforts.map(|e| e.best)
}

/// The search for the fastest stretch of one distance: every end point in
/// turn, the stretch starting `distance` before it.
struct Effort {
    distance: f64,
    /// The mark at or before where the stretch ending at the latest end point starts.
    from: usize,
    best: Option<BestEffort>,
}

impl Effort {
    fn ending_at(&mut self, part: &[Mark], j: usize, part_start: f64) {
        let start = part[j].distance - self.distance;
        if start < part_start {
            return;
        }
        while self.from + 1 < part.len() && part[self.from + 1].distance <= start {
            self.from += 1;
        }
        let seconds = part[j].clock - clock_at(part, self.from, start);
        if self.best.as_ref().is_none_or(|b| seconds < b.seconds) {
            self.best = Some(BestEffort { distance_m: self.distance, seconds, starts_at_m: start });
        }
    }
}
