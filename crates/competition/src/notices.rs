//! Telling entrants that a competition started, and when it ends, that it
//! ended and their final place: a job every minute looks for starts and
//! ends that passed, and marks each told once whichever worker gets there.

use std::time::Duration;

use platform::db::now_ms;
use platform::jobs::{JobFailure, JobHandlers};
use platform::notify::{request, Notice};

use crate::competitions::Stored;
use crate::error::{CompetitionError, Result};
use crate::{boards, competitions, entries, Competitions};

pub const JOB: &str = "competition.announce";
const STARTED: &str = "competition_started";
const ENDED: &str = "competition_ended";

pub fn register_jobs(this: &Competitions, handlers: &mut JobHandlers) {
    let this = this.clone();
    handlers.register(JOB, move |_| {
        let this = this.clone();
        async move { this.announce().await.map_err(|e| JobFailure::retry(e.to_string())) }
    });
    handlers.schedule(JOB, Duration::from_secs(60));
}

impl Competitions {
    /// Tells the entrants of every competition whose start or end passed.
    pub async fn announce(&self) -> Result<()> {
        let (started, ended) = {
            let mut conn = self.platform.db.pool().acquire().await?;
            competitions::store::to_announce(&mut conn, now_ms()).await?
        };
        for competition in started {
            self.tell_entrants(&competition, false).await?;
        }
        for competition in ended {
            self.tell_entrants(&competition, true).await?;
        }
        Ok(())
    }

    async fn tell_entrants(&self, competition: &Stored, end: bool) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        if !competitions::store::mark_told(&mut tx, &competition.id, end).await? {
            return Ok(());
        }
        for user_id in entries::store::entrant_ids(&mut tx, &competition.id).await? {
            let place = if end { boards::store::place_of(&mut tx, competition, &user_id).await? } else { None };
            let (kind, title) = if end {
                (ENDED, format!("{} has ended", competition.title))
            } else {
                (STARTED, format!("{} has started", competition.title))
            };
            let data =
                serde_json::json!({ "competition_id": competition.id, "title": competition.title, "place": place });
            let notice = Notice {
                user_id: &user_id,
                kind,
                subject_id: Some(&competition.id),
                actor_id: None,
                title: &title,
                data,
            };
            request(&mut tx, &notice).await.map_err(|e| CompetitionError::Internal(e.to_string()))?;
        }
        tx.commit().await?;
        Ok(())
    }
}
