//! The track thinned to a few hundred evenly spaced samples for charts of
//! elevation, speed and heart rate along the distance.

use serde::{Serialize, Serializer};

use super::timeline::Step;
use crate::model::Track;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sample {
    /// Metres from the start.
    #[serde(serialize_with = "tenths")]
    pub distance_m: f64,
    /// Seconds since the first timed point.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "some_tenths")]
    pub elapsed_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "some_tenths")]
    pub elevation_m: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heart_rate: Option<u16>,
    /// Over the timed stretches around the sample (so one jumpy fix does
    /// not spike the chart); none where the point or its neighbours lack times.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "some_thousandths")]
    pub speed_mps: Option<f64>,
}

// A chart is drawn from the samples, and a tenth of a metre or a second (a
// millimetre a second for speed) is finer than any chart shows. Written
// rounded, the series of a training's detail takes a third fewer bytes than
// with every float's seventeen digits; the samples themselves stay exact.

fn tenths<S: Serializer>(value: &f64, to: S) -> Result<S::Ok, S::Error> {
    to.serialize_f64((value * 10.0).round() / 10.0)
}

fn some_tenths<S: Serializer>(value: &Option<f64>, to: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => tenths(value, to),
        None => to.serialize_none(),
    }
}

fn some_thousandths<S: Serializer>(value: &Option<f64>, to: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => to.serialize_f64((value * 1000.0).round() / 1000.0),
        None => to.serialize_none(),
    }
}

/// At most `limit` samples, one every `stride` points, with a `None`
/// between two samples of different segments: a chart breaks its line
/// there rather than draw across a gap that was never travelled.
pub fn series(track: &Track, steps: &[Step], limit: usize) -> Vec<Option<Sample>> {
    if steps.is_empty() || limit == 0 {
        return Vec::new();
    }
    let stride = steps.len().div_ceil(limit).max(1);
    let start = steps.iter().find_map(|s| s.time);
    let mut out = Vec::with_capacity(limit);
    let mut segment = steps[0].segment;
    for (i, point) in (0..steps.len()).step_by(stride).zip(track.points().step_by(stride)) {
        if steps[i].segment != segment {
            segment = steps[i].segment;
            out.push(None);
        }
        out.push(Some(Sample {
            distance_m: steps[i].distance,
            elapsed_s: steps[i].time.zip(start).map(|(t, s)| t - s),
            elevation_m: point.elevation,
            heart_rate: point.heart_rate,
            speed_mps: speed_around(steps, i, stride),
        }));
    }
    out
}

/// The speed between the points half a stride before and after `i` (at
/// least one each way), reaching no further than the timed points of its
/// segment next to it.
fn speed_around(steps: &[Step], i: usize, stride: usize) -> Option<f64> {
    steps[i].time?;
    let reach = (stride / 2).max(1);
    let timed_with = |j: usize| steps[j].segment == steps[i].segment && steps[j].time.is_some();
    let mut a = i;
    while a > 0 && i - a < reach && timed_with(a - 1) {
        a -= 1;
    }
    let mut b = i;
    while b + 1 < steps.len() && b - i < reach && timed_with(b + 1) {
        b += 1;
    }
    let dt = steps[b].time? - steps[a].time?;
    (dt > 0.0).then(|| (steps[b].distance - steps[a].distance) / dt)
}

#[cfg(test)]
mod written {
    use super::Sample;

    #[test]
    fn samples_are_written_as_finely_as_a_chart_draws() {
        let sample = Sample {
            distance_m: 11.866964039869668,
            elapsed_s: Some(69.0),
            elevation_m: Some(550.972656),
            heart_rate: Some(141),
            speed_mps: Some(0.13136117411250575),
        };
        assert_eq!(
            serde_json::to_string(&sample).unwrap(),
            r#"{"distance_m":11.9,"elapsed_s":69.0,"elevation_m":551.0,"heart_rate":141,"speed_mps":0.131}"#
        );
        let untimed =
            Sample { distance_m: 0.04, elapsed_s: None, elevation_m: None, heart_rate: None, speed_mps: None };
        assert_eq!(serde_json::to_string(&untimed).unwrap(), r#"{"distance_m":0.0}"#);
    }
}
