//! Usage follows the trainings: each of training's `WorkoutRecorded`,
//! `WorkoutUpdated` and `WorkoutDeleted` replaces what that training adds
//! to each item, so handling one twice changes nothing and an edit that
//! moves a run to other shoes moves its distance. Totals are sums over
//! those rows, so they always equal the sum over the trainings.

pub(crate) mod store;

use platform::events::{Event, EventHandlers, HandlerError};
use platform::jobs::{JobContext, JobFailure, JobHandlers};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::{IntoParams, ToSchema};

use crate::error::{InventoryError, Result};
use crate::trainings::TrainingUse;
use crate::{equipment, Inventory, CONTEXT};

pub const RECORDED: &str = "WorkoutRecorded";
pub const UPDATED: &str = "WorkoutUpdated";
pub const DELETED: &str = "WorkoutDeleted";

/// The part of training's workout facts inventory reads.
#[derive(Debug, Deserialize)]
struct WorkoutFacts {
    workout_id: String,
    started_at: String,
    #[serde(default)]
    started_ms: Option<i64>,
    duration_s: f64,
    #[serde(default)]
    moving_s: Option<f64>,
    distance_m: Option<f64>,
    elevation_gain_m: Option<f64>,
    #[serde(default)]
    equipment_ids: Vec<String>,
}

impl WorkoutFacts {
    fn into_use(self) -> std::result::Result<TrainingUse, HandlerError> {
        let started_ms = match self.started_ms {
            Some(ms) => ms,
            None => crate::model::parse_instant("started_at", &self.started_at).map_err(HandlerError::new)?,
        };
        Ok(TrainingUse {
            workout_id: self.workout_id,
            started_ms,
            distance_m: self.distance_m.unwrap_or_default(),
            // Trainings logged by hand know only their elapsed time.
            moving_s: self.moving_s.unwrap_or(self.duration_s),
            elevation_m: self.elevation_gain_m.unwrap_or_default(),
            equipment_ids: self.equipment_ids,
        })
    }
}

#[derive(Deserialize)]
struct Gone {
    workout_id: String,
}

/// One month of an item's use.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct MonthlyUsage {
    /// `YYYY-MM`, UTC.
    pub month: String,
    pub distance_m: f64,
    pub moving_s: f64,
    pub elevation_m: f64,
    pub trainings: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MonthsQuery {
    /// 1 to 120; 12 when left out.
    #[param(minimum = 1, maximum = 120)]
    pub months: Option<u32>,
}

/// `inventory.recompute`: one person's usage, or everyone's without a `user_id`.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct RecomputeJob {
    pub user_id: Option<String>,
}

pub fn register_jobs(inventory: &Inventory, handlers: &mut JobHandlers) {
    let inventory = inventory.clone();
    handlers.register(crate::RECOMPUTE_JOB, move |ctx: JobContext| {
        let inventory = inventory.clone();
        async move {
            let job: RecomputeJob = serde_json::from_value(ctx.payload).map_err(JobFailure::permanent)?;
            let people = match job.user_id {
                Some(user_id) => vec![user_id],
                None => inventory.people_with_equipment().await.map_err(JobFailure::retry)?,
            };
            for user_id in people {
                inventory.recompute(&user_id).await.map_err(JobFailure::retry)?;
            }
            Ok(())
        }
    });
}

pub fn register_events(inventory: &Inventory, handlers: &mut EventHandlers) {
    for kind in [RECORDED, UPDATED, DELETED] {
        let inventory = inventory.clone();
        handlers.on(CONTEXT, kind, move |event, mut tx| {
            let inventory = inventory.clone();
            async move {
                inventory.follow(&mut tx, &event).await.map_err(HandlerError::new)?;
                Ok(tx)
            }
        });
    }
}

impl Inventory {
    /// Applies one of training's events to the usage of the training's items.
    async fn follow(&self, conn: &mut AnyConnection, event: &Event) -> std::result::Result<(), HandlerError> {
        let training = if event.kind == DELETED {
            let gone: Gone = event.payload()?;
            (gone.workout_id, None)
        } else {
            let facts: WorkoutFacts = event.payload()?;
            (facts.workout_id.clone(), Some(facts.into_use()?))
        };
        let (workout_id, used) = training;
        let last = store::last_event(conn, &workout_id).await.map_err(HandlerError::new)?;
        // An older event (a dead letter replayed late) says less than the one already applied.
        if last.as_deref().is_some_and(|last| last >= event.id.as_str()) {
            return Ok(());
        }
        self.apply(conn, &event.user_id, &workout_id, used.as_ref(), &event.id).await.map_err(HandlerError::new)
    }

    /// Replaces what the training adds to the person's items; `None`: it is gone.
    pub(crate) async fn apply(
        &self,
        conn: &mut AnyConnection,
        user_id: &str,
        workout_id: &str,
        used: Option<&TrainingUse>,
        event_id: &str,
    ) -> Result<()> {
        let mut touched = store::items_of_training(conn, workout_id).await?;
        store::forget_training(conn, workout_id).await?;
        if let Some(used) = used {
            // Only the person's own items count, whatever the event says.
            let owned = equipment::store::owned_ids(conn, user_id, &used.equipment_ids).await?;
            for id in &owned {
                store::add(conn, id, user_id, used).await?;
            }
            touched.extend(owned);
        }
        store::mark(conn, workout_id, user_id, event_id, used.is_none()).await?;
        touched.sort();
        touched.dedup();
        self.check_alerts(conn, user_id, &touched).await
    }

    /// Counts the person's usage again from training's current workouts.
    pub async fn recompute(&self, user_id: &str) -> Result<usize> {
        let trainings = self.trainings.of_user(user_id).await.map_err(InventoryError::Internal)?;
        let mut tx = self.platform.db.begin().await?;
        store::forget_user(&mut tx, user_id).await?;
        for training in &trainings {
            // An empty last event: whatever training says next applies.
            self.apply(&mut tx, user_id, &training.workout_id, Some(training), "").await?;
        }
        tx.commit().await?;
        Ok(trainings.len())
    }

    /// The people who have equipment, for a recompute of everyone.
    pub async fn people_with_equipment(&self) -> Result<Vec<String>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::people_with_equipment(&mut conn).await
    }

    /// The item's use per calendar month (UTC), the last `months` of them, oldest first.
    pub async fn monthly_usage(&self, user_id: &str, id: &str, months: u32) -> Result<Vec<MonthlyUsage>> {
        if !(1..=120).contains(&months) {
            return Err(InventoryError::invalid("months", "ask for 1 to 120 months"));
        }
        let now = time::OffsetDateTime::now_utc();
        let mut first = time::Date::from_calendar_date(now.year(), now.month(), 1).expect("the first of a month");
        for _ in 1..months {
            first = first.previous_day().expect("a day before").replace_day(1).expect("the first of a month");
        }
        let since = first.midnight().assume_utc().unix_timestamp() * 1000;
        let mut conn = self.platform.db.pool().acquire().await?;
        equipment::store::owned(&mut conn, user_id, id, false).await?.ok_or(InventoryError::NotFound)?;
        let rows = store::uses_since(&mut conn, id, since).await?;
        Ok(by_month(first, months, &rows))
    }
}

/// Rows bucketed into `months` calendar months from `first`.
fn by_month(first: time::Date, months: u32, rows: &[TrainingUse]) -> Vec<MonthlyUsage> {
    let mut out = Vec::with_capacity(months as usize);
    let mut month = first;
    for _ in 0..months {
        out.push(MonthlyUsage {
            month: format!("{:04}-{:02}", month.year(), u8::from(month.month())),
            distance_m: 0.0,
            moving_s: 0.0,
            elevation_m: 0.0,
            trainings: 0,
        });
        month = month
            .replace_day(28)
            .expect("day 28")
            .saturating_add(time::Duration::days(4))
            .replace_day(1)
            .expect("day 1");
    }
    for row in rows {
        let Ok(at) = time::OffsetDateTime::from_unix_timestamp(row.started_ms / 1000) else { continue };
        let key = format!("{:04}-{:02}", at.year(), u8::from(at.month()));
        if let Some(bucket) = out.iter_mut().find(|m| m.month == key) {
            bucket.distance_m += row.distance_m;
            bucket.moving_s += row.moving_s;
            bucket.elevation_m += row.elevation_m;
            bucket.trainings += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used(started_ms: i64, distance_m: f64) -> TrainingUse {
        TrainingUse {
            workout_id: "w".into(),
            started_ms,
            distance_m,
            moving_s: 60.0,
            elevation_m: 1.0,
            equipment_ids: vec![],
        }
    }

    #[test]
    fn months_are_calendar_months_with_empty_ones_kept() {
        let first = time::macros::date!(2025 - 11 - 01);
        // 2025-11-15, 2026-01-31 23:59:59, 2026-01-01 (UTC)
        let rows = [used(1_763_164_800_000, 5.0), used(1_769_903_999_000, 7.0), used(1_767_225_600_000, 3.0)];
        let months = by_month(first, 3, &rows);
        let names: Vec<&str> = months.iter().map(|m| m.month.as_str()).collect();
        assert_eq!(names, ["2025-11", "2025-12", "2026-01"]);
        assert_eq!((months[0].distance_m, months[0].trainings), (5.0, 1));
        assert_eq!(months[1].trainings, 0);
        assert_eq!((months[2].distance_m, months[2].trainings), (10.0, 2));
    }
}
