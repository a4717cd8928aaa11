//! The analyses of workouts read back for their pages, kept in memory once
//! read, plain and compressed. An analysis is written once, with its
//! workout or by the job that reads its file, and never changes after; it
//! is most of a workout's bytes, and reading it back from the database,
//! checking it and compressing it again cost more than the rest of the page.

use std::sync::Arc;

use bytes::Bytes;
use platform::cache::Bounded;
use platform::http::precompressed::Precompressed;
use serde_json::value::RawValue;

use super::{store, Workout};
use crate::error::Result;
use crate::Training;

/// 32 MiB: several hundred analyses of an hour's run with their compressed
/// copies, a day of a busy club's pages. Each replica keeps its own.
pub const BUDGET: usize = 32 << 20;

/// An analysis with the creation time of the workout it was read for: a
/// workout made again under the same id (deleted, then synced back) is
/// another one, and its analysis is read afresh.
pub type KeptAnalyses = Bounded<(String, Arc<Precompressed>)>;

impl Training {
    /// The analysis of `workout`, known to have one: kept, or read and kept.
    pub(super) async fn stored_analysis(&self, workout: &Workout) -> Result<Option<Arc<Precompressed>>> {
        if let Some(analysis) = self.kept_analysis(workout) {
            return Ok(Some(analysis));
        }
        let mut conn = self.platform.db.read().await?;
        let Some(analysis) = store::analysis(&mut conn, &workout.id).await? else { return Ok(None) };
        drop(conn);
        let plain: Box<str> = analysis.into();
        let kept = Arc::new(Precompressed::new(Bytes::from(plain.into_boxed_bytes())));
        // Its bytes, and the id (twice: map and order), the time and the
        // entry's own bookkeeping.
        let weight = kept.size() + 2 * workout.id.len() + workout.created_at.len() + 128;
        self.analyses.insert(&workout.id, (workout.created_at.clone(), Arc::clone(&kept)), weight);
        Ok(Some(kept))
    }

    /// The analysis of `workout`, known to have one, as JSON: kept, or read
    /// without keeping it.
    pub(super) async fn analysis_json(&self, workout: &Workout) -> Result<Option<Box<RawValue>>> {
        if let Some(analysis) = self.kept_analysis(workout) {
            return Ok(Some(serde_json::from_slice(analysis.plain())?));
        }
        let mut conn = self.platform.db.read().await?;
        store::analysis(&mut conn, &workout.id).await
    }

    fn kept_analysis(&self, workout: &Workout) -> Option<Arc<Precompressed>> {
        let (created_at, analysis) = self.analyses.get(&workout.id)?;
        (created_at == workout.created_at).then_some(analysis)
    }
}
