//! Results from trainings: competition keeps a copy of each training from
//! training's `WorkoutRecorded`, `WorkoutUpdated` and `WorkoutDeleted`, and
//! after every change recomputes the person's result in each competition
//! they entered, and their bests on the global boards, from that copy. A
//! result is always a function of the copy, so a replayed, late or
//! duplicated event cannot leave one wrong.

pub mod score;
pub(crate) mod store;

use platform::events::{Event, EventHandlers, HandlerError};
use serde::Deserialize;
use sqlx::AnyConnection;

use crate::competitions::{self, Stored};
use crate::error::Result;
use crate::{entries, Competitions, CONTEXT};
use score::Counted;

pub const RECORDED: &str = "WorkoutRecorded";
pub const UPDATED: &str = "WorkoutUpdated";
pub const DELETED: &str = "WorkoutDeleted";

/// The distances of the global boards.
pub const GLOBAL_DISTANCES: [f64; 5] = [1000.0, 5000.0, 10_000.0, 21_097.5, 42_195.0];

/// A training as competition keeps it.
#[derive(Clone, Debug, Default)]
pub struct Copy {
    pub workout_id: String,
    pub user_id: String,
    pub deleted: bool,
    pub privacy: String,
    pub sport: String,
    pub started_at: i64,
    pub duration_s: f64,
    pub distance_m: Option<f64>,
    pub elevation_m: Option<f64>,
    pub efforts: Vec<(f64, f64)>,
}

#[derive(Deserialize)]
struct Facts {
    workout_id: String,
    user_id: String,
    #[serde(default)]
    sport: String,
    #[serde(default)]
    privacy: String,
    #[serde(default)]
    started_ms: Option<i64>,
    #[serde(default)]
    started_at: String,
    #[serde(default)]
    duration_s: f64,
    #[serde(default)]
    moving_s: Option<f64>,
    distance_m: Option<f64>,
    elevation_gain_m: Option<f64>,
    #[serde(default)]
    best_efforts: Vec<(f64, f64)>,
}

pub fn register_events(this: &Competitions, handlers: &mut EventHandlers) {
    for kind in [RECORDED, UPDATED, DELETED] {
        let this = this.clone();
        handlers.on(CONTEXT, kind, move |event, mut tx| {
            let this = this.clone();
            async move {
                this.follow_training(&mut tx, &event).await.map_err(HandlerError::new)?;
                Ok(tx)
            }
        });
    }
}

impl Competitions {
    async fn follow_training(&self, conn: &mut AnyConnection, event: &Event) -> std::result::Result<(), String> {
        let facts: Facts = event.payload().map_err(|e| e.to_string())?;
        store::take_turn(conn, &facts.user_id).await.map_err(|e| e.to_string())?;
        let last = store::last_event(conn, &facts.workout_id).await.map_err(|e| e.to_string())?;
        if last.as_ref().is_some_and(|(last, _)| last.as_str() >= event.id.as_str()) {
            return Ok(()); // an older event, replayed late
        }
        let old_sport = last.and_then(|(_, sport)| sport);
        let copy = self.copy_of(conn, event, facts).await.map_err(|e| e.to_string())?;
        store::put(conn, &copy, &event.id).await.map_err(|e| e.to_string())?;
        // Sports in one order (a set's), as every board is taken in one order.
        let sports: std::collections::BTreeSet<&String> =
            old_sport.iter().chain([&copy.sport]).filter(|s| !s.is_empty()).collect();
        for sport in sports {
            refresh_bests(conn, &copy.user_id, sport).await.map_err(|e| e.to_string())?;
        }
        self.refresh_entries(conn, &copy.user_id).await.map_err(|e| e.to_string())
    }

    async fn copy_of(&self, conn: &mut AnyConnection, event: &Event, facts: Facts) -> Result<Copy> {
        if event.kind == DELETED {
            return Ok(Copy { workout_id: facts.workout_id, user_id: facts.user_id, deleted: true, ..Copy::default() });
        }
        // An edit's event carries no efforts: the file's stay.
        let efforts =
            if event.kind == UPDATED { store::efforts_of(conn, &facts.workout_id).await? } else { facts.best_efforts };
        let started_at = match facts.started_ms {
            Some(ms) => ms,
            None => competitions::parse_time("started_at", &facts.started_at)?,
        };
        Ok(Copy {
            workout_id: facts.workout_id,
            user_id: facts.user_id,
            deleted: false,
            privacy: facts.privacy,
            sport: facts.sport,
            started_at,
            duration_s: facts.moving_s.unwrap_or(facts.duration_s),
            distance_m: facts.distance_m,
            elevation_m: facts.elevation_gain_m,
            efforts: efforts.into_iter().filter(|(d, s)| d.is_finite() && s.is_finite() && *s > 0.0).collect(),
        })
    }

    /// Recomputes the person's result in every competition they entered.
    pub(crate) async fn refresh_entries(&self, conn: &mut AnyConnection, user_id: &str) -> Result<()> {
        for competition in competitions::store::entered_by(conn, user_id).await? {
            entries::refresh_result(conn, &competition, user_id).await?;
        }
        Ok(())
    }
}

/// The trainings of the person that count for the competition: its sports,
/// inside its window, and public unless they entered privately.
pub(crate) async fn counted_for(
    conn: &mut AnyConnection,
    competition: &Stored,
    user_id: &str,
    private_entry: bool,
) -> Result<Vec<Counted>> {
    let all = store::in_window(conn, user_id, competition.starts_at, competition.ends_at).await?;
    Ok(all
        .into_iter()
        .filter(|(sport, privacy, _)| competition.sports.contains(sport) && (private_entry || privacy == "public"))
        .map(|(_, _, counted)| counted)
        .collect())
}

/// The person's bests of a sport on the global boards, all time and per
/// year, from their public trainings.
async fn refresh_bests(conn: &mut AnyConnection, user_id: &str, sport: &str) -> Result<()> {
    let trainings = store::public_with_efforts(conn, user_id, sport).await?;
    let mut bests: Vec<store::Best> = Vec::new();
    for &distance in &GLOBAL_DISTANCES {
        for t in &trainings {
            let Some(seconds) = t.efforts.iter().filter(|(d, _)| *d == distance).map(|(_, s)| *s).reduce(f64::min)
            else {
                continue;
            };
            for period in ["all".to_string(), year_of(t.started_at)] {
                let better = |b: &store::Best| {
                    (seconds, t.started_at, t.workout_id.as_str()) < (b.seconds, b.achieved_at, b.workout_id)
                };
                match bests.iter_mut().find(|b| b.distance_m == distance && b.period == period) {
                    Some(b) if better(b) => {
                        (b.seconds, b.achieved_at, b.workout_id) = (seconds, t.started_at, &t.workout_id);
                    }
                    Some(_) => {}
                    None => bests.push(store::Best {
                        sport,
                        distance_m: distance,
                        period,
                        seconds,
                        achieved_at: t.started_at,
                        workout_id: &t.workout_id,
                    }),
                }
            }
        }
    }
    store::replace_bests(conn, user_id, sport, &bests).await
}

pub fn year_of(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms / 1000).map(|t| t.year().to_string()).unwrap_or_else(|_| "0".into())
}
