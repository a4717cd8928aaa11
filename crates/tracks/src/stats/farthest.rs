//! The point of a stretch of line farthest from the segment joining the
//! stretch's ends: the question Douglas–Peucker asks at every step.
//!
//! Asked by scanning the stretch, it costs the stretch's length, and
//! Douglas–Peucker can ask it about nearly the whole line again and again:
//! along a winding track each split cuts off one bend near an end, so a
//! scan costs the number of points times the number of bends. Here boxes
//! bounding runs of points, runs of runs and so on answer for whole runs
//! at once: the distance from a segment is convex, so no point in a box is
//! farther than the box's farthest corner, and runs whose corners are all
//! nearer than the best point found so far are never looked into.

use std::collections::BinaryHeap;

/// Points in the smallest run with a box of its own.
const RUN: usize = 32;

#[derive(Clone, Copy)]
struct Bounds {
    min: (f64, f64),
    max: (f64, f64),
}

impl Bounds {
    fn of(points: &[(f64, f64)]) -> Bounds {
        let start = Bounds { min: points[0], max: points[0] };
        points.iter().fold(start, |b, p| Bounds {
            min: (b.min.0.min(p.0), b.min.1.min(p.1)),
            max: (b.max.0.max(p.0), b.max.1.max(p.1)),
        })
    }

    fn union(self, other: Bounds) -> Bounds {
        Bounds {
            min: (self.min.0.min(other.min.0), self.min.1.min(other.min.1)),
            max: (self.max.0.max(other.max.0), self.max.1.max(other.max.1)),
        }
    }

    /// No point inside is farther from the segment `a`–`b` than this.
    fn farthest(&self, a: (f64, f64), b: (f64, f64)) -> f64 {
        let corners = [self.min, (self.min.0, self.max.1), (self.max.0, self.min.1), self.max];
        corners.into_iter().map(|c| off_line(c, a, b)).fold(0.0, f64::max)
    }
}

/// A line with its boxes: `levels[0]` bounds runs of [`RUN`] points,
/// `levels[k]` runs of `RUN · 2^k`.
pub struct Line<'a> {
    points: &'a [(f64, f64)],
    levels: Vec<Vec<Bounds>>,
    /// What rounding may make a computed distance exceed a computed bound
    /// by: a billionth of the line's extent, far above the error of a few
    /// operations on its coordinates, far below any tolerance.
    slack: f64,
}

/// A run of `RUN · 2^level` points (the `index`-th such), and how far its box reaches.
struct Run {
    reach: f64,
    level: usize,
    index: usize,
}

impl PartialEq for Run {
    fn eq(&self, other: &Self) -> bool {
        self.reach.total_cmp(&other.reach).is_eq()
    }
}

impl Eq for Run {}

impl PartialOrd for Run {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Run {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.reach.total_cmp(&other.reach)
    }
}

/// The best point found so far: the farthest, and the first of equals, as a scan finds it.
#[derive(Clone, Copy)]
pub struct Farthest {
    pub index: usize,
    pub distance: f64,
}

impl<'a> Line<'a> {
    pub fn new(points: &'a [(f64, f64)]) -> Self {
        let mut levels = vec![points.chunks(RUN).map(Bounds::of).collect::<Vec<_>>()];
        while levels.last().is_some_and(|level| level.len() > 1) {
            let below = levels.last().unwrap();
            levels.push(below.chunks(2).map(|pair| pair.iter().copied().reduce(Bounds::union).unwrap()).collect());
        }
        let extent = points.iter().fold(0.0_f64, |m, p| m.max(p.0.abs()).max(p.1.abs()));
        Self { points, levels, slack: (extent + 1.0) * 1e-9 }
    }

    /// The point strictly between `first` and `last` farthest from the
    /// segment joining them (the first of equals), if it is farther than
    /// `floor`: the same point and distance a scan from `first` to `last`
    /// finds.
    pub fn farthest(&self, first: usize, last: usize, floor: f64) -> Option<Farthest> {
        let (a, b) = (self.points[first], self.points[last]);
        let (start, end) = (first + 1, last);
        let mut best = None;
        if end <= start + 2 * RUN {
            self.scan(start..end, a, b, floor, &mut best);
            return best;
        }
        // Whole runs in the middle, loose points at either end.
        let (whole_from, whole_to) = (start.div_ceil(RUN), end / RUN);
        self.scan(start..whole_from * RUN, a, b, floor, &mut best);
        self.scan(whole_to * RUN..end, a, b, floor, &mut best);
        let mut runs = BinaryHeap::new();
        for (level, index) in covering(whole_from, whole_to, self.levels.len()) {
            runs.push(self.run(level, index, a, b));
        }
        while let Some(run) = runs.pop() {
            let bar = best.map_or(floor, |f: Farthest| f.distance);
            if run.reach + self.slack < bar || run.reach + self.slack <= floor {
                break;
            }
            if run.level == 0 {
                let from = run.index * RUN;
                self.scan(from..from + RUN, a, b, floor, &mut best);
            } else {
                runs.push(self.run(run.level - 1, 2 * run.index, a, b));
                runs.push(self.run(run.level - 1, 2 * run.index + 1, a, b));
            }
        }
        best
    }

    fn run(&self, level: usize, index: usize, a: (f64, f64), b: (f64, f64)) -> Run {
        Run { reach: self.levels[level][index].farthest(a, b), level, index }
    }

    fn scan(
        &self,
        range: std::ops::Range<usize>,
        a: (f64, f64),
        b: (f64, f64),
        floor: f64,
        best: &mut Option<Farthest>,
    ) {
        for i in range {
            let distance = off_line(self.points[i], a, b);
            let better = match best {
                None => distance > floor,
                Some(f) => distance > f.distance || (distance == f.distance && i < f.index),
            };
            if better {
                *best = Some(Farthest { index: i, distance });
            }
        }
    }
}

/// The fewest aligned runs (level, index) covering the runs of `RUN`
/// points from `from` to `to`, using levels below `levels`.
fn covering(mut from: usize, to: usize, levels: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    while from < to {
        let mut level = 0;
        while level + 1 < levels && from.is_multiple_of(2 << level) && from + (2 << level) <= to {
            level += 1;
        }
        out.push((level, from >> level));
        from += 1 << level;
    }
    out
}

/// Distance of `p` from the segment `a`–`b`.
pub fn off_line(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    #[cfg(test)]
    tests::EVALUATIONS.with(|n| n.set(n.get() + 1));
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = dx * dx + dy * dy;
    let t = if length == 0.0 { 0.0 } else { (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length).clamp(0.0, 1.0) };
    let (x, y) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - x).powi(2) + (p.1 - y).powi(2)).sqrt()
}

#[cfg(test)]
pub(super) mod tests {
    use std::cell::Cell;

    use super::*;

    thread_local! {
        /// Distances worked out on this thread, to show how the work grows.
        pub static EVALUATIONS: Cell<usize> = const { Cell::new(0) };
    }

    /// What the boxes stand in for: a scan of every point.
    fn scanned(points: &[(f64, f64)], first: usize, last: usize) -> (usize, f64) {
        let (mut farthest, mut distance) = (first, 0.0);
        for i in first + 1..last {
            let d = off_line(points[i], points[first], points[last]);
            if d > distance {
                (farthest, distance) = (i, d);
            }
        }
        (farthest, distance)
    }

    /// A winding line with a few metres of noise and runs of equal points.
    fn winding(n: usize) -> Vec<(f64, f64)> {
        let mut seed = 7u64;
        let mut noise = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        (0..n)
            .map(|i| {
                let k = (i / 3) as f64; // three equal points at a time
                (k * 1.5 + 8.0 * noise().round(), 700.0 * (k / 250.0).sin() + 4.0 * noise())
            })
            .collect()
    }

    #[test]
    fn finds_the_point_a_scan_finds() {
        let points = winding(20_000);
        let line = Line::new(&points);
        let mut seed = 3usize;
        for _ in 0..2_000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345) % points.len();
            let first = seed;
            let last = (first + 1 + seed % 9_000).min(points.len() - 1);
            for floor in [0.0, 2.0, 50.0] {
                let expected = Some(scanned(&points, first, last)).filter(|(_, d)| *d > floor);
                let found = line.farthest(first, last, floor).map(|f| (f.index, f.distance));
                assert_eq!(found, expected, "{first}..{last} above {floor}");
            }
        }
    }

    #[test]
    fn runs_cover_what_they_are_asked_to_once() {
        for (from, to) in [(0, 1), (3, 17), (5, 64), (1, 1000), (0, 1024)] {
            let mut covered = Vec::new();
            for (level, index) in covering(from, to, 11) {
                covered.extend(index << level..(index + 1) << level);
            }
            assert_eq!(covered, (from..to).collect::<Vec<_>>());
        }
    }
}
