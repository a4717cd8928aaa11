//! Elevation gain and loss.
//!
//! The rule: elevations are first smoothed by a moving median over five
//! points (which removes single-point GPS spikes without flattening real
//! hills), then a climb or descent is counted only once it reaches 3 m
//! from the last turning point (hysteresis), so the jitter of a GPS or
//! barometer on flat ground adds nothing. A climb counts in full, from the
//! lowest point before it to its top, once the way turns down by 3 m (or
//! the track ends).

const WINDOW: usize = 5;
const THRESHOLD_M: f64 = 3.0;

#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Elevation {
    pub gain_m: f64,
    pub loss_m: f64,
    pub min_m: f64,
    pub max_m: f64,
}

pub fn elevation(raw: &[f64]) -> Option<Elevation> {
    if raw.is_empty() {
        return None;
    }
    let mut smooth = median(raw);
    let first = smooth.next()?;
    let (mut gain, mut loss) = (0.0, 0.0);
    // `base` is the elevation at the last turn counted, `extreme` the
    // highest (rising) or lowest (falling) point since.
    let (mut base, mut extreme) = (first, first);
    let mut rising: Option<bool> = None;
    for e in smooth {
        match rising {
            None if (e - base).abs() >= THRESHOLD_M => (rising, extreme) = (Some(e > base), e),
            None => {}
            Some(true) if e > extreme => extreme = e,
            Some(true) if extreme - e >= THRESHOLD_M => {
                gain += extreme - base;
                (base, extreme, rising) = (extreme, e, Some(false));
            }
            Some(false) if e < extreme => extreme = e,
            Some(false) if e - extreme >= THRESHOLD_M => {
                loss += base - extreme;
                (base, extreme, rising) = (extreme, e, Some(true));
            }
            Some(_) => {}
        }
    }
    match rising {
        Some(true) => gain += extreme - base,
        Some(false) => loss += base - extreme,
        None => {}
    }
    let min = raw.iter().copied().fold(f64::INFINITY, f64::min);
    let max = raw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some(Elevation { gain_m: gain, loss_m: loss, min_m: min, max_m: max })
}

/// Gain and loss within each segment, added up: what lies across the gap
/// between two segments (a drive, a lift, a pause on a train) was climbed
/// by nobody. The lowest and highest are the whole track's.
pub fn of_segments(segments: impl IntoIterator<Item = Vec<f64>>) -> Option<Elevation> {
    let mut total: Option<Elevation> = None;
    for segment in segments {
        let Some(part) = elevation(&segment) else { continue };
        total = Some(match total {
            None => part,
            Some(t) => Elevation {
                gain_m: t.gain_m + part.gain_m,
                loss_m: t.loss_m + part.loss_m,
                min_m: t.min_m.min(part.min_m),
                max_m: t.max_m.max(part.max_m),
            },
        });
    }
    total
}

/// The elevations smoothed, one by one as they are needed (a long track's
/// would otherwise fill memory twice).
fn median(raw: &[f64]) -> impl Iterator<Item = f64> + '_ {
    let half = WINDOW / 2;
    (0..raw.len()).map(move |i| {
        // Symmetric windows, narrower towards the ends, keep the first and last elevations.
        let reach = half.min(i).min(raw.len() - 1 - i);
        let mut window = [0.0; WINDOW];
        let window = &mut window[..2 * reach + 1];
        window.copy_from_slice(&raw[i - reach..=i + reach]);
        window.sort_by(f64::total_cmp);
        window[window.len() / 2]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gap_between_segments_is_not_climbed() {
        let walk = vec![100.0, 110.0, 120.0, 130.0, 140.0, 150.0];
        let after_the_lift = vec![300.0, 302.0, 304.0, 306.0, 308.0, 310.0];
        let both = of_segments([walk.clone(), after_the_lift]).unwrap();
        assert_eq!((both.gain_m, both.loss_m), (60.0, 0.0));
        assert_eq!((both.min_m, both.max_m), (100.0, 310.0));
        assert_eq!(of_segments([walk.clone()]), elevation(&walk));
        assert_eq!(of_segments(Vec::<Vec<f64>>::new()), None);
    }
}
