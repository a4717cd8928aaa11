//! A person's result in a competition, from the trainings that count for
//! it: a pure function, so that tests can recompute every board by hand.

use crate::competitions::Kind;

/// A training as it counts towards results.
#[derive(Clone, Debug, PartialEq)]
pub struct Counted {
    pub workout_id: String,
    pub started_at: i64,
    pub duration_s: f64,
    pub distance_m: Option<f64>,
    pub elevation_m: Option<f64>,
    /// `(metres, seconds)` of the fastest stretches inside it.
    pub efforts: Vec<(f64, f64)>,
}

/// A result: its value, when it was reached (earlier wins a tie), the
/// training it comes from for single-training kinds, and how many counted.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    pub value: f64,
    pub achieved_at: i64,
    pub workout_id: Option<String>,
    pub trainings: i64,
}

impl Score {
    /// Ascending order on the board: times as they are, amounts negated.
    pub fn place_key(&self, kind: Kind) -> f64 {
        if kind.lower_wins() {
            self.value
        } else {
            -self.value
        }
    }
}

/// The result of these trainings (already those that count), or none.
pub fn score(kind: Kind, effort_m: Option<f64>, trainings: &[Counted]) -> Option<Score> {
    let count = trainings.len() as i64;
    let latest = trainings.iter().map(|t| t.started_at).max()?;
    let total = |f: fn(&Counted) -> f64| Score {
        value: trainings.iter().map(f).sum(),
        achieved_at: latest,
        workout_id: None,
        trainings: count,
    };
    match kind {
        Kind::Distance => Some(total(|t| t.distance_m.unwrap_or(0.0))),
        Kind::Duration => Some(total(|t| t.duration_s)),
        Kind::Elevation => Some(total(|t| t.elevation_m.unwrap_or(0.0))),
        Kind::Trainings => Some(total(|_| 1.0)),
        Kind::Longest => best(trainings, count, |t| t.distance_m.map(|d| -d)).map(|s| Score { value: -s.value, ..s }),
        Kind::Fastest => {
            let distance = effort_m?;
            best(trainings, count, |t| {
                t.efforts.iter().filter(|(d, _)| *d == distance).map(|(_, s)| *s).reduce(f64::min)
            })
        }
    }
}

/// The training with the least `key` (the earlier on a tie).
fn best(trainings: &[Counted], count: i64, key: impl Fn(&Counted) -> Option<f64>) -> Option<Score> {
    trainings
        .iter()
        .filter_map(|t| key(t).map(|k| (k, t)))
        .min_by(|(a, x), (b, y)| {
            a.total_cmp(b).then(x.started_at.cmp(&y.started_at)).then(x.workout_id.cmp(&y.workout_id))
        })
        .map(|(value, t)| Score {
            value,
            achieved_at: t.started_at,
            workout_id: Some(t.workout_id.clone()),
            trainings: count,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: &str, at: i64, km: f64, five_k: Option<f64>) -> Counted {
        Counted {
            workout_id: id.into(),
            started_at: at,
            duration_s: km * 300.0,
            distance_m: Some(km * 1000.0),
            elevation_m: Some(km * 10.0),
            efforts: five_k.map(|s| vec![(5000.0, s)]).unwrap_or_default(),
        }
    }

    #[test]
    fn totals_add_up_and_take_the_latest_time() {
        let runs = [run("a", 1, 5.0, None), run("b", 3, 10.0, None)];
        let s = score(Kind::Distance, None, &runs).unwrap();
        assert_eq!((s.value, s.achieved_at, s.trainings), (15_000.0, 3, 2));
        assert_eq!(score(Kind::Trainings, None, &runs).unwrap().value, 2.0);
        assert_eq!(score(Kind::Distance, None, &[]), None);
    }

    #[test]
    fn single_training_kinds_name_the_training_and_the_earlier_wins_a_tie() {
        let runs = [run("a", 1, 10.0, Some(1500.0)), run("b", 2, 10.0, Some(1400.0)), run("c", 3, 6.0, Some(1400.0))];
        let fastest = score(Kind::Fastest, Some(5000.0), &runs).unwrap();
        assert_eq!((fastest.value, fastest.workout_id.as_deref()), (1400.0, Some("b")));
        let longest = score(Kind::Longest, None, &runs).unwrap();
        assert_eq!((longest.value, longest.workout_id.as_deref()), (10_000.0, Some("a")));
        assert_eq!(score(Kind::Fastest, Some(10_000.0), &runs), None, "no 10 km effort");
    }
}
