//! A person's own data: exporting it as a ZIP (made by a job, fetched with
//! a mailed link) and erasing it after the account is deleted.

mod contents;
mod store;

use std::path::PathBuf;
use std::sync::Arc;

use platform::db::Transaction;
use platform::jobs::{JobContext, JobFailure, JobHandlers};
use platform::personal_data::{user_folder, Archive, PersonalData};
use serde::{Deserialize, Serialize};

pub use store::{Download, ExportInfo};

use crate::error::{IdentityError, Result};
use crate::{mails, rate_limit, store as accounts, Identity};

pub const EXPORT_JOB: &str = "identity.export";
pub const ERASE_JOB: &str = "identity.erase";
/// The notification kind of a finished export.
pub const EXPORT_READY_NOTICE: &str = "export_ready";
/// How long the mailed link works.
const LINK_TTL_MS: i64 = 7 * 24 * 3600 * 1000;

#[derive(Serialize, Deserialize)]
struct ExportJob {
    export_id: String,
}

#[derive(Serialize, Deserialize)]
struct EraseJob {
    user_id: String,
}

impl Identity {
    /// Starts an export; the link arrives by mail when the archive is ready.
    pub async fn request_export(&self, user_id: &str) -> Result<ExportInfo> {
        rate_limit::hit(&self.platform.db, rate_limit::EXPORT_PER_ACCOUNT, user_id).await?;
        let mut tx = self.platform.db.begin().await?;
        if store::has_pending(&mut tx, user_id).await? {
            return Err(IdentityError::Conflict("an export is being prepared already; its link will come by mail"));
        }
        let export = store::insert(&mut tx, user_id).await?;
        self.platform.jobs.enqueue(&mut tx, EXPORT_JOB, &ExportJob { export_id: export.id.clone() }).await?;
        tx.commit().await?;
        Ok(export)
    }

    pub async fn exports(&self, user_id: &str) -> Result<Vec<ExportInfo>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::list(&mut conn, user_id).await
    }

    /// The archive behind a mailed link, while the link lives.
    pub async fn export_download(&self, token: &str) -> Result<Download> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::download(&mut conn, token).await?.ok_or(IdentityError::InvalidToken)
    }

    /// Queues the erasure of what outlives the account row (files, other
    /// contexts' data), inside the transaction that deletes the account.
    pub(crate) async fn enqueue_erasure(&self, tx: &mut Transaction, user_id: &str) -> Result<()> {
        self.platform.jobs.enqueue(tx, ERASE_JOB, &EraseJob { user_id: user_id.into() }).await?;
        Ok(())
    }

    /// The jobs identity runs: making exports, erasing deleted accounts, and
    /// pruning old attempt counts every hour.
    pub fn register_jobs(&self, handlers: &mut JobHandlers) {
        let identity = self.clone();
        handlers.register(EXPORT_JOB, move |ctx| {
            let identity = identity.clone();
            async move { identity.run_export(ctx).await }
        });
        let identity = self.clone();
        handlers.register(ERASE_JOB, move |ctx| {
            let identity = identity.clone();
            async move {
                let job: EraseJob = parse(&ctx)?;
                identity.erase(&job.user_id).await.map_err(JobFailure::retry)
            }
        });
        let identity = self.clone();
        handlers.register(rate_limit::PRUNE_JOB, move |_| {
            let identity = identity.clone();
            async move {
                let pruned = identity.prune_rate_limits(platform::db::now_ms()).await.map_err(JobFailure::retry)?;
                tracing::info!(pruned, "old rate-limit buckets pruned");
                Ok(())
            }
        });
        handlers.schedule(rate_limit::PRUNE_JOB, std::time::Duration::from_secs(3600));
    }

    /// Deletes the attempt counts whose windows ended long before `now`.
    pub async fn prune_rate_limits(&self, now: i64) -> Result<u64> {
        rate_limit::prune(&self.platform.db, now).await
    }

    async fn run_export(&self, ctx: JobContext) -> Result<(), JobFailure> {
        let job: ExportJob = parse(&ctx)?;
        let outcome = self.make_export(&job.export_id).await;
        if outcome.is_err() && ctx.attempt >= self.platform.jobs.settings().max_attempts {
            let mut conn = self.platform.db.pool().acquire().await.map_err(JobFailure::retry)?;
            store::mark_failed(&mut conn, &job.export_id).await.map_err(JobFailure::retry)?;
        }
        outcome.map_err(JobFailure::retry)
    }

    async fn make_export(&self, export_id: &str) -> Result<()> {
        let user = {
            let mut conn = self.platform.db.pool().acquire().await?;
            let Some(owner) = store::pending_owner(&mut conn, export_id).await? else { return Ok(()) };
            let Some(user) = accounts::user_by_id(&mut conn, &owner).await? else { return Ok(()) };
            user
        };
        let scratch = Scratch(std::env::temp_dir().join(format!("athlos-export-{export_id}.zip")));
        let mut archive = Archive::create(&scratch.0)?;
        self.export_own_data(&user, &mut archive).await?;
        for context in self.personal_data.iter() {
            context.export(&user.id, &mut archive).await?;
        }
        let path = archive.finish()?;
        let key = format!("{}/exports/{export_id}.zip", user_folder(&user.id));
        let file = tokio::fs::File::open(&path).await.map_err(|e| IdentityError::Internal(e.to_string()))?;
        let size = self.platform.blobs.put_stream(&key, tokio_util::io::ReaderStream::new(file)).await?;

        let mut tx = self.platform.db.begin().await?;
        let token = store::mark_ready(&mut tx, export_id, &key, size as i64, LINK_TTL_MS).await?;
        let old = store::superseded(&mut tx, &user.id, export_id).await?;
        for (id, _) in &old {
            store::delete(&mut tx, id).await?;
        }
        let link = format!("{}/api/v1/account/exports/download?token={token}", self.issuer());
        let context = serde_json::json!({ "name": user.display_name, "link": link, "size_mb": format!("{:.1}", size as f64 / 1e6) });
        self.platform.mailer.enqueue(&self.platform.jobs, &mut tx, mails::EXPORT_READY, &user.email, context).await?;
        let notice = platform::notify::Notice {
            user_id: &user.id,
            kind: EXPORT_READY_NOTICE,
            subject_id: Some(export_id),
            actor_id: None,
            title: "Your data export is ready",
            data: serde_json::json!({ "export_id": export_id, "size_bytes": size }),
        };
        platform::notify::request(&mut tx, &notice).await?;
        tx.commit().await?;
        // Only the newest archive is kept; older ones go once the new one is safe.
        for (_, key) in old {
            self.platform.blobs.delete(&key).await?;
        }
        tracing::info!(user = %user.id, export = %export_id, bytes = size, "data export ready");
        Ok(())
    }

    /// Erases identity's files of a deleted account (picture, exports) and
    /// the platform's rows about them. Other contexts erase theirs on
    /// `UserDeleted`.
    async fn erase(&self, user_id: &str) -> Result<()> {
        let files = self.platform.blobs.delete_prefix(&format!("{}/exports", user_folder(user_id))).await?;
        self.platform.blobs.delete(&crate::avatar::key(user_id)).await?;
        let mut conn = self.platform.db.pool().acquire().await?;
        platform::personal_data::erase_platform_rows(&mut conn, user_id, crate::events::USER_DELETED).await?;
        tracing::info!(user = %user_id, files, "deleted account erased");
        Ok(())
    }

    /// Adds the contexts whose data goes into a person's export.
    pub fn with_personal_data(mut self, contexts: Vec<Arc<dyn PersonalData>>) -> Self {
        self.personal_data = Arc::new(contexts);
        self
    }
}

fn parse<T: serde::de::DeserializeOwned>(ctx: &JobContext) -> Result<T, JobFailure> {
    serde_json::from_value(ctx.payload.clone()).map_err(|e| JobFailure::permanent(format!("bad payload: {e}")))
}

/// A local file removed when the export is done with it, whatever happened.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
