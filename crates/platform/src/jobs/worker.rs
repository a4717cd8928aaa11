//! The loop that takes jobs from the queue and runs them.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;
use uuid::Uuid;

use super::{Job, JobContext, JobFailure, JobHandlers, JobQueue, JobState};

#[derive(Clone)]
pub struct Worker {
    id: String,
    queue: JobQueue,
    handlers: JobHandlers,
    concurrency: usize,
    poll: Duration,
}

impl Worker {
    pub fn new(queue: JobQueue, handlers: JobHandlers, concurrency: usize, poll: Duration) -> Self {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "worker".into());
        let id = format!("{host}-{}-{}", std::process::id(), Uuid::now_v7().simple());
        Self { id, queue, handlers, concurrency, poll }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Runs jobs until `shutdown` fires. Jobs running then are given back to
    /// the queue (released), so another worker takes them at once.
    pub async fn run(self, shutdown: CancellationToken) {
        tracing::info!(worker = %self.id, concurrency = self.concurrency, "worker started");
        let slots = Arc::new(Semaphore::new(self.concurrency));
        let mut running = JoinSet::new();
        for (kind, every) in self.handlers.periodic() {
            tokio::spawn(tick(self.queue.clone(), kind.clone(), *every, shutdown.clone()));
        }
        loop {
            let permit = tokio::select! {
                permit = slots.clone().acquire_owned() => permit.expect("semaphore never closes"),
                _ = shutdown.cancelled() => break,
            };
            while running.try_join_next().is_some() {}
            match self.queue.claim(&self.id).await {
                Ok(Some(job)) => {
                    let worker = self.clone();
                    let shutdown = shutdown.clone();
                    let span = tracing::info_span!("job", id = %job.id, kind = %job.kind, attempt = job.attempts);
                    running.spawn(
                        async move {
                            worker.run_one(job, shutdown).await;
                            drop(permit);
                        }
                        .instrument(span),
                    );
                }
                Ok(None) => {
                    drop(permit);
                    tokio::select! {
                        _ = self.queue.enqueued().notified() => {}
                        _ = tokio::time::sleep(self.poll) => {}
                        _ = shutdown.cancelled() => break,
                    }
                }
                Err(e) => {
                    drop(permit);
                    tracing::error!(error = %e, "claiming a job failed");
                    tokio::select! {
                        _ = tokio::time::sleep(self.poll) => {}
                        _ = shutdown.cancelled() => break,
                    }
                }
            }
        }
        while running.join_next().await.is_some() {}
        tracing::info!(worker = %self.id, "worker stopped");
    }

    async fn run_one(&self, job: Job, shutdown: CancellationToken) {
        let Some(handler) = self.handlers.get(&job.kind) else {
            let message = format!("no handler for jobs of kind `{}` in this process", job.kind);
            self.record_failure(&job, JobFailure::permanent(message)).await;
            return;
        };
        let ctx = JobContext {
            id: job.id.clone(),
            kind: job.kind.clone(),
            attempt: job.attempts,
            payload: job.payload.clone(),
        };
        let max_run = self.queue.settings().max_run;
        let outcome = tokio::select! {
            outcome = tokio::time::timeout(max_run, handler(ctx)) => outcome,
            _ = self.keep_lease(&job.id) => {
                tracing::warn!("job abandoned: its lease could not be renewed and another worker may run it");
                return;
            }
            _ = shutdown.cancelled() => {
                if let Err(e) = self.queue.release(&job.id, &self.id).await {
                    tracing::error!(error = %e, "releasing the job at shutdown failed; it will run again when its lease ends");
                }
                tracing::info!("job released at shutdown");
                return;
            }
        };
        match outcome {
            Ok(Ok(())) => match self.queue.complete(&job.id, &self.id).await {
                Ok(true) => tracing::info!("job done"),
                Ok(false) => tracing::warn!("job finished after its lease was taken over"),
                Err(e) => tracing::error!(error = %e, "recording a finished job failed"),
            },
            Ok(Err(failure)) => self.record_failure(&job, failure).await,
            Err(_) => self.record_failure(&job, JobFailure::retry(format!("timed out after {max_run:?}"))).await,
        }
    }

    /// Renews the job's lease every heartbeat while it runs; returns only
    /// when the lease is lost, so that the run stops rather than going on
    /// beside another worker's. A failed renewal is retried until the lease
    /// would have run out.
    async fn keep_lease(&self, job_id: &str) {
        let settings = self.queue.settings();
        let mut renewed_at = tokio::time::Instant::now();
        loop {
            tokio::time::sleep(settings.heartbeat).await;
            match self.queue.renew(job_id, &self.id).await {
                Ok(true) => renewed_at = tokio::time::Instant::now(),
                Ok(false) => return,
                Err(e) if renewed_at.elapsed() + settings.heartbeat >= settings.lease() => {
                    tracing::error!(error = %e, "renewing the job's lease kept failing");
                    return;
                }
                Err(e) => tracing::warn!(error = %e, "renewing the job's lease failed; trying again"),
            }
        }
    }

    async fn record_failure(&self, job: &Job, failure: JobFailure) {
        match self.queue.fail(job, &self.id, &failure.message, failure.permanent).await {
            Ok(JobState::Dead) => tracing::error!(error = %failure.message, "job is dead"),
            Ok(_) => tracing::warn!(error = %failure.message, "job failed, will retry"),
            Err(e) => tracing::error!(error = %e, "recording a failed job failed"),
        }
    }
}

/// Enqueues a periodic job's run for each period, the first one at start.
async fn tick(queue: JobQueue, kind: String, every: Duration, shutdown: CancellationToken) {
    loop {
        if let Err(e) = queue.enqueue_periodic(&kind, every).await {
            tracing::warn!(error = %e, kind = %kind, "scheduling a periodic job failed; trying again next period");
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.cancelled() => return,
        }
    }
}
