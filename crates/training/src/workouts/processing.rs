//! The job that reads an activity file too large to read while its upload
//! waited. The workout shows `processing` until it is done, then `ready`
//! with its numbers, or `failed` with what is wrong with the file.

use platform::db::Transaction;
use platform::jobs::{JobContext, JobFailure, JobHandlers};
use platform::Platform;
use serde::{Deserialize, Serialize};

use super::{apply, store, WorkoutState};
use crate::analysis::{self, Analysed};
use crate::error::{Result, TrainingError};
use crate::events::{self, RECORDED};
use crate::sports;
use crate::titles::TitleContext;
use crate::Training;

pub const PROCESS_JOB: &str = "training.process";

/// What the person chose at upload, which the file must not override, and
/// what a title made for them depends on.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Chosen {
    pub sport: bool,
    pub title: bool,
    /// Whether the person chose the equipment; if not, the sport's defaults
    /// are given once the file says the sport. Jobs from before had none.
    #[serde(default = "chose")]
    pub equipment: bool,
    /// Jobs enqueued before titles were made by time of day have none.
    #[serde(default)]
    pub context: TitleContext,
}

fn chose() -> bool {
    true
}

#[derive(Serialize, Deserialize)]
struct ProcessJob {
    workout_id: String,
    chosen: Chosen,
}

pub async fn enqueue(platform: &Platform, tx: &mut Transaction, workout_id: &str, chosen: Chosen) -> Result<()> {
    platform.jobs.enqueue(tx, PROCESS_JOB, &ProcessJob { workout_id: workout_id.into(), chosen }).await?;
    Ok(())
}

pub fn register(training: &Training, handlers: &mut JobHandlers) {
    let training = training.clone();
    handlers.register(PROCESS_JOB, move |ctx: JobContext| {
        let training = training.clone();
        async move {
            let job: ProcessJob = serde_json::from_value(ctx.payload).map_err(JobFailure::permanent)?;
            training.process(&job.workout_id, job.chosen).await.map_err(JobFailure::retry)
        }
    });
}

impl Training {
    /// Reads the workout's file and stores what it says. Runs at least
    /// once: a workout no longer processing (done, or deleted) is left alone.
    async fn process(&self, workout_id: &str, chosen: Chosen) -> Result<()> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let Some(mut workout) = store::get(&mut conn, workout_id).await? else { return Ok(()) };
        if workout.state != WorkoutState::Processing {
            return Ok(());
        }
        drop(conn);
        let key =
            workout.file_key.clone().ok_or_else(|| TrainingError::Internal("a file workout without a file".into()))?;
        let analysed = match self.read_stored(&key).await? {
            Ok(analysed) => analysed,
            Err(detail) => return self.mark_failed(&mut workout, detail).await,
        };
        let mut conn = self.platform.db.pool().acquire().await?;
        let sport = if chosen.sport {
            sports::existing(&mut conn, &workout.sport).await?
        } else {
            sports::existing(&mut conn, sports::from_file(analysed.track.sport.as_deref())).await?
        };
        drop(conn);
        let defaults =
            if chosen.equipment { Vec::new() } else { self.equipment.defaults(&workout.user_id, &sport.id).await? };
        if !chosen.title {
            workout.title.clear();
        }
        apply(&mut workout, &analysed, &sport, chosen.context);
        let efforts = analysed.efforts();
        let analysis = analysed.analysis_json();
        let mut tx = self.platform.db.begin().await?;
        if !store::record_reading(&mut tx, &workout, Some(&analysis)).await? {
            return Ok(()); // deleted, or read by another run meanwhile
        }
        // With what the person changed meanwhile (privacy, equipment), as others should hear it.
        let mut workout = store::get(&mut tx, workout_id).await?.unwrap_or(workout);
        if !defaults.is_empty() && workout.equipment_ids.is_empty() {
            workout.equipment_ids = defaults;
            store::update_details(&mut tx, &workout).await?;
        }
        store::replace_efforts(&mut tx, &workout, &efforts).await?;
        events::log_change(&mut tx, &workout, platform::change_log::Operation::Updated).await?;
        events::publish(&mut tx, RECORDED, &workout, &efforts, Some(&analysis)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads the stored file as a stream (it may be large). The outer error
    /// is ours (retry); the inner is the file's.
    pub(crate) async fn read_stored(&self, key: &str) -> Result<std::result::Result<Analysed, String>> {
        let file = self.platform.blobs.open(key).await?;
        analysis::analyse_off_thread(file).await.map_err(TrainingError::Internal)
    }

    async fn mark_failed(&self, workout: &mut super::Workout, detail: String) -> Result<()> {
        let name = workout.file.as_ref().map(|f| f.name.clone()).unwrap_or_default();
        workout.state = WorkoutState::Failed;
        workout.failure = Some(format!("{name}: {detail}"));
        let mut tx = self.platform.db.begin().await?;
        if !store::record_reading(&mut tx, workout, None).await? {
            return Ok(());
        }
        events::log_change(&mut tx, workout, platform::change_log::Operation::Updated).await?;
        tx.commit().await?;
        Ok(())
    }
}
