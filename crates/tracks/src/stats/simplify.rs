//! A track's shape with few enough points for a map: Douglas–Peucker,
//! leaving out every point within 2 m of the line through its neighbours,
//! with the tolerance doubled until at most `target` points remain.
//!
//! Each segment is a line of its own: the gap between two segments was not
//! travelled (or not recorded), and drawing it would show a way never taken.

use std::ops::Range;

use crate::geo::flat;

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
    let mut tolerance = 2.0;
    loop {
        let groups = if must_join { joined(&plane, tolerance) } else { (0..lines.len()).map(|i| i..i + 1).collect() };
        let kept: Vec<Vec<(f64, f64)>> = groups
            .into_iter()
            .map(|group| {
                let points: Vec<(f64, f64)> = plane[group.clone()].concat();
                let keep = douglas_peucker(&points, tolerance);
                lines[group].iter().copied().flatten().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
            })
            .collect();
        if kept.iter().map(Vec::len).sum::<usize>() <= target {
            return kept;
        }
        tolerance *= 2.0;
    }
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

/// Which points to keep; iterative, so a long track cannot overflow the stack.
fn douglas_peucker(points: &[(f64, f64)], tolerance: f64) -> Vec<bool> {
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

/// Distance of `p` from the segment `a`–`b`.
fn off_line(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = dx * dx + dy * dy;
    let t = if length == 0.0 { 0.0 } else { (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length).clamp(0.0, 1.0) };
    let (x, y) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - x).powi(2) + (p.1 - y).powi(2)).sqrt()
}
