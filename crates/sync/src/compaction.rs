//! Compaction: change rows a later change supersedes, and, past the
//! horizon, tombstones and the ids of applied mutations. A device whose
//! cursor is older than a removed tombstone is told to pull everything again.

use std::time::Duration;

use platform::change_log;
use platform::db::now_ms;
use platform::jobs::{JobFailure, JobHandlers};

use crate::error::Result;
use crate::Sync;

pub const COMPACT_JOB: &str = "sync.compact";
const EVERY: Duration = Duration::from_secs(3600);

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Compacted {
    pub superseded: u64,
    pub tombstones: u64,
    pub mutations: u64,
    /// Uploads started before the horizon, finished or not.
    pub uploads: u64,
}

impl Sync {
    /// How long tombstones and mutation ids are kept, in milliseconds.
    pub fn horizon_ms(&self) -> i64 {
        self.platform.config.sync_horizon_days as i64 * 24 * 3600 * 1000
    }

    /// Compacts what is older than `before` (epoch milliseconds).
    pub async fn compact(&self, before: i64) -> Result<Compacted> {
        let mut tx = self.platform.db.begin().await?;
        // Clocks of deleted records first: they are found through the tombstones.
        let mutations = crate::store::compact(&mut tx, before).await?;
        let log = change_log::compact(&mut tx, before).await?;
        tx.commit().await?;
        let uploads = self.forget_uploads(before).await?;
        Ok(Compacted { superseded: log.superseded, tombstones: log.tombstones, mutations, uploads })
    }
}

pub fn register_jobs(sync: &Sync, handlers: &mut JobHandlers) {
    let sync = sync.clone();
    handlers.register(COMPACT_JOB, move |_| {
        let sync = sync.clone();
        async move {
            let compacted = sync.compact(now_ms() - sync.horizon_ms()).await.map_err(JobFailure::retry)?;
            tracing::info!(?compacted, "sync change log compacted");
            Ok(())
        }
    });
    handlers.schedule(COMPACT_JOB, EVERY);
}
