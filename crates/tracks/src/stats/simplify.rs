//! A track's shape with few enough points for a map: Douglas–Peucker,
//! leaving out every point within 2 m of the line through its neighbours,
//! with the tolerance doubled until at most `target` points remain.
//!
//! Each segment is a line of its own: the gap between two segments was not
//! travelled (or not recorded), and drawing it would show a way never taken.

use std::ops::Range;

use super::farthest::Line;
use crate::geo::flat;

/// Points within this of the line through their neighbours are left out first.
const FIRST_TOLERANCE_M: f64 = 2.0;

/// The lines (a segment's positions each) simplified together, with one
/// tolerance, to at most `target` points in all (at least 2).
///
/// Every line keeps its two ends, so a track of more segments than half
/// the target could never fit: then, and only then, lines whose gap is
/// within the tolerance are joined, a gap the map could not show anyway.
pub fn simplify(lines: &[Vec<(f64, f64)>], target: usize) -> Vec<Vec<(f64, f64)>> {
    let target = target.max(2);
    let lines: Vec<&Vec<(f64, f64)>> = lines.iter().filter(|l| !l.is_empty()).collect();
    let Some(&origin) = lines.first().and_then(|l| l.first()) else { return Vec::new() };
    let plane: Vec<Vec<(f64, f64)>> = lines.iter().map(|l| l.iter().map(|&p| flat(origin, p)).collect()).collect();
    let must_join = lines.iter().map(|l| l.len().min(2)).sum::<usize>() > target;
    if !must_join {
        return apart(&lines, &plane, target);
    }
    let mut tolerance = FIRST_TOLERANCE_M;
    loop {
        let kept: Vec<Vec<(f64, f64)>> = joined(&plane, tolerance)
            .into_iter()
            .map(|group| {
                let kept = significance(&plane[group.clone()].concat());
                let points = lines[group].iter().copied().flatten();
                points.zip(kept).filter(|(_, k)| *k > tolerance).map(|(p, _)| *p).collect()
            })
            .collect();
        if kept.iter().map(Vec::len).sum::<usize>() <= target {
            return kept;
        }
        tolerance *= 2.0;
    }
}

/// Each line simplified on its own. A point's significance does not
/// depend on the tolerance, so one pass finds every point's, and the
/// tolerance follows from them.
fn apart(lines: &[&Vec<(f64, f64)>], plane: &[Vec<(f64, f64)>], target: usize) -> Vec<Vec<(f64, f64)>> {
    let significance: Vec<Vec<f64>> = plane.iter().map(|line| significance(line)).collect();
    let tolerance = tolerance_keeping(significance.iter().flatten().copied(), target);
    let kept = lines.iter().zip(&significance).map(|(line, significance)| {
        line.iter().zip(significance).filter(|(_, s)| **s > tolerance).map(|(p, _)| *p).collect()
    });
    kept.collect()
}

/// The first tolerance of 2 m, 4 m, 8 m… at which at most `target` points
/// are kept: the first at or above the significance of the most
/// significant point beyond the target.
fn tolerance_keeping(significance: impl Iterator<Item = f64>, target: usize) -> f64 {
    let mut kept_at_first: Vec<f64> = significance.filter(|s| *s > FIRST_TOLERANCE_M).collect();
    let mut tolerance = FIRST_TOLERANCE_M;
    if kept_at_first.len() > target {
        let (_, &mut beyond, _) = kept_at_first.select_nth_unstable_by(target, |a, b| b.total_cmp(a));
        while beyond > tolerance {
            tolerance *= 2.0;
        }
    }
    tolerance
}

/// Runs of consecutive lines, each joined to the next when the gap from
/// its end to the next one's start is within `tolerance` metres.
fn joined(plane: &[Vec<(f64, f64)>], tolerance: f64) -> Vec<Range<usize>> {
    let mut groups = Vec::new();
    let mut start = 0;
    for i in 1..plane.len() {
        let (end, next) = (plane[i - 1][plane[i - 1].len() - 1], plane[i][0]);
        if (end.0 - next.0).hypot(end.1 - next.1) > tolerance {
            groups.push(start..i);
            start = i;
        }
    }
    groups.push(start..plane.len());
    groups
}

/// For each point, the largest tolerance Douglas–Peucker keeps it at
/// (exclusive): infinite for the ends, none (zero) for points it would
/// leave out at [`FIRST_TOLERANCE_M`] already. A stretch is split at its
/// farthest point when that is farther than the tolerance, so the point
/// splitting a stretch stays for every tolerance below its own distance
/// and the distances of all the stretches split to reach it. Iterative, so
/// a long track cannot overflow the stack.
fn significance(points: &[(f64, f64)]) -> Vec<f64> {
    let mut significance = vec![0.0; points.len()];
    significance[0] = f64::INFINITY;
    significance[points.len() - 1] = f64::INFINITY;
    let line = Line::new(points);
    let mut stack = vec![(0, points.len() - 1, f64::INFINITY)];
    while let Some((first, last, above)) = stack.pop() {
        if let Some(split) = line.farthest(first, last, FIRST_TOLERANCE_M) {
            let kept_below = above.min(split.distance);
            significance[split.index] = kept_below;
            stack.push((first, split.index, kept_below));
            stack.push((split.index, last, kept_below));
        }
    }
    significance
}

#[cfg(test)]
mod tests {
    use super::super::farthest::{off_line, tests::EVALUATIONS};
    use super::*;

    /// Douglas–Peucker as first written: every stretch scanned point by
    /// point, the whole of it again for each tolerance tried.
    fn by_scanning(lines: &[Vec<(f64, f64)>], target: usize) -> Vec<Vec<(f64, f64)>> {
        let target = target.max(2);
        let lines: Vec<&Vec<(f64, f64)>> = lines.iter().filter(|l| !l.is_empty()).collect();
        let Some(&origin) = lines.first().and_then(|l| l.first()) else { return Vec::new() };
        let plane: Vec<Vec<(f64, f64)>> = lines.iter().map(|l| l.iter().map(|&p| flat(origin, p)).collect()).collect();
        let must_join = lines.iter().map(|l| l.len().min(2)).sum::<usize>() > target;
        let mut tolerance = 2.0;
        loop {
            let groups =
                if must_join { joined(&plane, tolerance) } else { (0..lines.len()).map(|i| i..i + 1).collect() };
            let kept: Vec<Vec<(f64, f64)>> = groups
                .into_iter()
                .map(|group| {
                    let keep = scanned(&plane[group.clone()].concat(), tolerance);
                    lines[group].iter().copied().flatten().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
                })
                .collect();
            if kept.iter().map(Vec::len).sum::<usize>() <= target {
                return kept;
            }
            tolerance *= 2.0;
        }
    }

    fn scanned(points: &[(f64, f64)], tolerance: f64) -> Vec<bool> {
        let mut keep = vec![false; points.len()];
        keep[0] = true;
        keep[points.len() - 1] = true;
        let mut stack = vec![(0, points.len() - 1)];
        while let Some((first, last)) = stack.pop() {
            let (mut farthest, mut distance) = (first, 0.0);
            for i in first + 1..last {
                let d = off_line(points[i], points[first], points[last]);
                if d > distance {
                    (farthest, distance) = (i, d);
                }
            }
            if distance > tolerance {
                keep[farthest] = true;
                stack.push((first, farthest));
                stack.push((farthest, last));
            }
        }
        keep
    }

    /// A run of `n` points about 3 m apart, winding 700 m either side of
    /// its way north, with a few metres of GPS noise.
    fn winding(n: usize, from: usize) -> Vec<(f64, f64)> {
        let mut seed = n as u64 + from as u64;
        let mut noise = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 0.00004
        };
        (from..from + n)
            .map(|i| {
                let i = i as f64;
                (46.0 + i * 0.00003 + noise(), 14.5 + 0.01 * (i / 300.0).sin() + noise())
            })
            .collect()
    }

    #[test]
    fn keeps_the_points_a_scan_for_each_tolerance_keeps() {
        type Lines = Vec<Vec<(f64, f64)>>;
        let cases: Vec<(Lines, usize)> = vec![
            (vec![winding(20_000, 0)], 300),
            (vec![winding(5_000, 0)], 40),
            (vec![winding(3_000, 0), winding(1, 4_000), winding(2_000, 5_000), winding(2, 9_000)], 300),
            // More segments than the target holds: they are joined.
            ((0..200).map(|k| winding(30, k * 40)).collect(), 300),
            ((0..200).map(|k| winding(30, k * 40)).collect(), 20),
            (vec![vec![(46.0, 14.5); 1_000]], 300),
        ];
        for (lines, target) in cases {
            assert_eq!(simplify(&lines, target), by_scanning(&lines, target));
        }
    }

    /// The work, counted in distances worked out, grows as the points do:
    /// a tenfold track costs ten times as many, within a fifth.
    #[test]
    fn the_work_grows_linearly_with_the_points() {
        let per_point = |n: usize| {
            let line = vec![winding(n, 0)];
            EVALUATIONS.with(|e| e.set(0));
            simplify(&line, 300);
            EVALUATIONS.with(|e| e.get()) as f64 / n as f64
        };
        let (small, large) = (per_point(20_000), per_point(200_000));
        assert!(large < small * 1.2, "{small:.1} distances a point at 20 000 points, {large:.1} at 200 000");
    }
}
