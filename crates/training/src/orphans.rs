//! Files no workout holds: an upload cut off by a crash, a timeout or a
//! lost connection can leave its file on the store (the file is written
//! before the workout that points to it), and so can a photo whose insert
//! failed. A periodic job deletes what no row refers to, once it is older
//! than any upload could still be running.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use platform::db::now_ms;
use platform::jobs::{JobFailure, JobHandlers};

use crate::error::Result;
use crate::{photos, workouts, Training};

pub const SWEEP_JOB: &str = "training.sweep_orphans";
const EVERY: Duration = Duration::from_secs(3600);

impl Training {
    /// How old a file must be before a sweep may take it: an upload lasts at
    /// most one request, and a file read by a job is referred to before
    /// the request ends; an hour is far past both.
    pub fn orphan_age(&self) -> Duration {
        Duration::from_secs(self.platform.config.request_timeout_secs.saturating_mul(2)).max(EVERY)
    }

    /// Deletes the files under workouts' folders that nothing refers to and
    /// that were written before `before` (epoch milliseconds); returns how
    /// many went.
    pub async fn sweep_orphan_files(&self, before: i64) -> Result<u64> {
        let mut swept = self.platform.blobs.sweep_partial_writes(before).await?;
        for (workout_id, files) in self.old_workout_files(before).await? {
            let kept = self.files_kept_for(&workout_id).await?;
            for key in files.difference(&kept) {
                self.platform.blobs.delete(key).await?;
                tracing::info!(key = %key, "deleted a file no workout refers to");
                swept += 1;
            }
        }
        Ok(swept)
    }

    /// Files under `users/<id>/training/<workout>/…` written before `before`, by workout.
    async fn old_workout_files(&self, before: i64) -> Result<BTreeMap<String, BTreeSet<String>>> {
        let mut by_workout: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for key in self.platform.blobs.list_written_before("users", before).await? {
            let parts: Vec<&str> = key.splitn(5, '/').collect();
            if let ["users", _, "training", workout_id, _] = parts[..] {
                by_workout.entry(workout_id.to_string()).or_default().insert(key.clone());
            }
        }
        Ok(by_workout)
    }

    /// Every file key a workout's rows refer to; none when it is gone.
    async fn files_kept_for(&self, workout_id: &str) -> Result<BTreeSet<String>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let mut kept: BTreeSet<String> = workouts::store::file_key(&mut conn, workout_id).await?.into_iter().collect();
        kept.extend(photos::store::file_keys(&mut conn, workout_id).await?);
        Ok(kept)
    }
}

pub fn register_jobs(training: &Training, handlers: &mut JobHandlers) {
    let training = training.clone();
    handlers.register(SWEEP_JOB, move |_| {
        let training = training.clone();
        async move {
            let before = now_ms() - training.orphan_age().as_millis() as i64;
            let swept = training.sweep_orphan_files(before).await.map_err(JobFailure::retry)?;
            tracing::info!(swept, "orphan files swept");
            Ok(())
        }
    });
    handlers.schedule(SWEEP_JOB, EVERY);
}
