//! Partners' mail, always through the job queue: one to each side of a
//! match (for those who want it), and one for messages left unread, at most
//! once per conversation per few hours and never twice for the same ones.

use std::time::Duration;

use platform::db::now_ms;
use platform::db::Transaction;
use platform::jobs::{JobFailure, JobHandlers};
use platform::mail::MailTemplates;
use platform::Platform;
use serde::{Deserialize, Serialize};

use crate::chat::store::{self, Unread};
use crate::error::{PartnersError, Result};
use crate::Partners;

pub const MATCH_JOB: &str = "partners.match_mail";
pub const UNREAD_JOB: &str = "partners.unread_mail";
const MATCH_MAIL: &str = "partners.match";
const UNREAD_MAIL: &str = "partners.unread";
/// A conversation is mailed about again no sooner than this.
const MAIL_AGAIN_AFTER_MS: i64 = 4 * 3600 * 1000;
const BATCH: i64 = 500;

#[derive(Serialize, Deserialize)]
struct MatchMail {
    user_id: String,
    other_id: String,
}

pub fn add_templates(templates: &mut MailTemplates) {
    templates.add(
        MATCH_MAIL,
        "You have a new training partner",
        include_str!("../templates/match.txt"),
        include_str!("../templates/match.html"),
    );
    templates.add(
        UNREAD_MAIL,
        "You have unread messages on Athlos",
        include_str!("../templates/unread.txt"),
        include_str!("../templates/unread.html"),
    );
}

/// Queues the match mail to `user_id` in the transaction of the match.
pub async fn queue_match_mail(platform: &Platform, tx: &mut Transaction, user_id: &str, other: &str) -> Result<()> {
    let job = MatchMail { user_id: user_id.into(), other_id: other.into() };
    platform.jobs.enqueue(tx, MATCH_JOB, &job).await.map_err(|e| PartnersError::Internal(e.to_string()))?;
    Ok(())
}

pub fn register_jobs(this: &Partners, handlers: &mut JobHandlers) {
    let partners = this.clone();
    handlers.register(MATCH_JOB, move |job| {
        let this = partners.clone();
        async move {
            let mail: MatchMail = serde_json::from_value(job.payload).map_err(JobFailure::permanent)?;
            this.mail_match(&mail).await.map_err(JobFailure::retry)
        }
    });
    let partners = this.clone();
    handlers.register(UNREAD_JOB, move |_| {
        let this = partners.clone();
        async move {
            let mailed = this.mail_unread().await.map_err(JobFailure::retry)?;
            tracing::info!(mailed, "mails about unread messages queued");
            Ok(())
        }
    });
    handlers.schedule(UNREAD_JOB, Duration::from_secs(5 * 60));
}

impl Partners {
    async fn mail_match(&self, job: &MatchMail) -> Result<()> {
        let Some((email, name)) = self.people.address(&job.user_id).await.map_err(PartnersError::Internal)? else {
            return Ok(()); // the account is gone
        };
        let other = self.people.profiles(std::slice::from_ref(&job.other_id)).await.map_err(PartnersError::Internal)?;
        let Some(other) = other.into_iter().next() else { return Ok(()) };
        let link = format!("{}/partners/matches", self.platform.config.public_url().trim_end_matches('/'));
        let context = serde_json::json!({ "name": name, "other": other.display_name, "link": link });
        let mut tx = self.platform.db.begin().await?;
        let mailer = &self.platform.mailer;
        mailer.enqueue(&self.platform.jobs, &mut tx, MATCH_MAIL, &email, context).await.map_err(internal)?;
        tx.commit().await?;
        Ok(())
    }

    /// Mails everyone with messages unread for long enough; how many mails went.
    pub async fn mail_unread(&self) -> Result<usize> {
        let now = now_ms();
        let unread_for = self.platform.config.chat_unread_mail_minutes as i64 * 60_000;
        let due = {
            let mut conn = self.platform.db.pool().acquire().await?;
            store::unread_to_mail(&mut conn, now - unread_for, now - MAIL_AGAIN_AFTER_MS, BATCH).await?
        };
        let mut mailed = 0;
        for unread in due {
            if self.mail_one(&unread, now).await? {
                mailed += 1;
            }
        }
        Ok(mailed)
    }

    /// One mail, queued with the mark that it went in one transaction.
    async fn mail_one(&self, unread: &Unread, now: i64) -> Result<bool> {
        let Some((email, name)) = self.people.address(&unread.user_id).await.map_err(PartnersError::Internal)? else {
            return Ok(false);
        };
        let sender =
            self.people.profiles(std::slice::from_ref(&unread.sender_id)).await.map_err(PartnersError::Internal)?;
        let sender = sender.into_iter().next().map(|p| p.display_name).unwrap_or_default();
        let link =
            format!("{}/chat/{}", self.platform.config.public_url().trim_end_matches('/'), unread.conversation_id);
        let context = serde_json::json!({ "name": name, "sender": sender, "count": unread.count, "link": link });
        let mut tx = self.platform.db.begin().await?;
        if !store::mark_mailed(&mut tx, unread, now - MAIL_AGAIN_AFTER_MS, now).await? {
            return Ok(false);
        }
        let mailer = &self.platform.mailer;
        mailer.enqueue(&self.platform.jobs, &mut tx, UNREAD_MAIL, &email, context).await.map_err(internal)?;
        tx.commit().await?;
        Ok(true)
    }
}

fn internal(e: impl std::fmt::Display) -> PartnersError {
    PartnersError::Internal(e.to_string())
}
