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
    let smooth = median(raw);
    let (mut gain, mut loss) = (0.0, 0.0);
    // `base` is the elevation at the last turn counted, `extreme` the
    // highest (rising) or lowest (falling) point since.
    let (mut base, mut extreme) = (smooth[0], smooth[0]);
    let mut rising: Option<bool> = None;
    for &e in &smooth[1..] {
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

fn median(raw: &[f64]) -> Vec<f64> {
    let half = WINDOW / 2;
    let mut window = Vec::with_capacity(WINDOW);
    (0..raw.len())
        .map(|i| {
            window.clear();
            // Symmetric windows, narrower towards the ends, keep the first and last elevations.
            let reach = half.min(i).min(raw.len() - 1 - i);
            window.extend_from_slice(&raw[i - reach..=i + reach]);
            window.sort_by(f64::total_cmp);
            window[window.len() / 2]
        })
        .collect()
}
