//! A track's shape with few enough points for a map: Douglas–Peucker,
//! leaving out every point within 2 m of the line through its neighbours,
//! with the tolerance doubled until at most `target` points remain.

use crate::geo::flat;

pub fn simplify(positions: &[(f64, f64)], target: usize) -> Vec<(f64, f64)> {
    if positions.len() <= 2 {
        return positions.to_vec();
    }
    let origin = positions[0];
    let plane: Vec<(f64, f64)> = positions.iter().map(|&p| flat(origin, p)).collect();
    let mut tolerance = 2.0;
    loop {
        let keep = douglas_peucker(&plane, tolerance);
        if keep.iter().filter(|k| **k).count() <= target {
            return positions.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect();
        }
        tolerance *= 2.0;
    }
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
