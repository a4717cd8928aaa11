//! The daily digest: each person who asked for one gets a mail of the
//! notices of those kinds that stayed unread, once; the job runs once a day.

use std::collections::BTreeMap;
use std::time::Duration;

use futures::future::BoxFuture;
use platform::jobs::{JobFailure, JobHandlers};

use crate::model::Notification;
use crate::{store, Notifications};

pub const JOB: &str = "notifications.digest";
pub const MAIL: &str = "notifications.digest";
/// Notices looked at per run; what is left goes the next day.
const BATCH: u32 = 5_000;

/// Where to mail a person: identity knows, and answers through this.
pub trait Addresses: Send + Sync {
    /// The address and name of a person; none when the account is gone.
    fn address<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<(String, String)>, String>>;
}

pub fn register_jobs(notifications: &Notifications, handlers: &mut JobHandlers) {
    let this = notifications.clone();
    handlers.register(JOB, move |_| {
        let this = this.clone();
        async move {
            let mailed = this.send_digests().await.map_err(JobFailure::retry)?;
            tracing::info!(mailed, "notification digests mailed");
            Ok(())
        }
    });
    handlers.schedule(JOB, Duration::from_secs(24 * 3600));
}

impl Notifications {
    /// Mails every digest due; how many mails went.
    pub async fn send_digests(&self) -> Result<usize, String> {
        let due = {
            let mut conn = self.platform.db.pool().acquire().await.map_err(|e| e.to_string())?;
            store::due_for_digest(&mut conn, BATCH).await.map_err(|e| e.to_string())?
        };
        let mut by_person: BTreeMap<String, Vec<Notification>> = BTreeMap::new();
        for (user_id, notice) in due {
            by_person.entry(user_id).or_default().push(notice);
        }
        let mut mailed = 0;
        for (user_id, notices) in by_person {
            if self.mail_digest(&user_id, &notices).await? {
                mailed += 1;
            }
        }
        Ok(mailed)
    }

    /// One person's digest, queued with the notices marked as mailed in one
    /// transaction: a crash sends it once or not at all.
    async fn mail_digest(&self, user_id: &str, notices: &[Notification]) -> Result<bool, String> {
        let address = self.addresses.address(user_id).await?;
        let mut tx = self.platform.db.begin().await.map_err(|e| e.to_string())?;
        let ids: Vec<String> = notices.iter().map(|n| n.id.clone()).collect();
        store::mark_digested(&mut tx, &ids).await.map_err(|e| e.to_string())?;
        if let Some((email, name)) = &address {
            let titles: Vec<&str> = notices.iter().map(|n| n.title.as_str()).collect();
            let link = format!("{}/notifications", self.platform.config.public_url().trim_end_matches('/'));
            let context = serde_json::json!({ "name": name, "notices": titles, "link": link });
            let mailer = &self.platform.mailer;
            mailer.enqueue(&self.platform.jobs, &mut tx, MAIL, email, context).await.map_err(|e| e.to_string())?;
        }
        tx.commit().await.map_err(|e| e.to_string())?;
        Ok(address.is_some())
    }
}
