//! All SQL of the job queue.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use sqlx::Row;
use tokio::sync::Notify;
use uuid::Uuid;

use super::JobError;
use crate::db::{now_ms, Database, Dialect, Transaction};

#[derive(Clone, Debug)]
pub struct QueueSettings {
    pub max_attempts: u32,
    /// The longest one run of a job may take.
    pub max_run: Duration,
    /// How often a running job's worker renews its lease. The lease itself
    /// is three heartbeats long, so a worker that died mid-job (kill -9, a
    /// lost machine) gives its jobs up within that, while one slow write
    /// does not cost a live worker its job.
    pub heartbeat: Duration,
    pub retry_base: Duration,
}

impl QueueSettings {
    pub fn lease(&self) -> Duration {
        self.heartbeat * 3
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Queued,
    Running,
    Done,
    Dead,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Dead => "dead",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "running" => JobState::Running,
            "done" => JobState::Done,
            "dead" => JobState::Dead,
            _ => JobState::Queued,
        }
    }
}

impl std::str::FromStr for JobState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "queued" | "running" | "done" | "dead" => Ok(Self::parse(s)),
            other => Err(format!("`{other}` is not a job state (queued, running, done, dead)")),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub state: JobState,
    pub attempts: u32,
    pub max_attempts: u32,
    pub run_at: i64,
    /// While running: until when its worker holds it, renewed by heartbeats.
    pub locked_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

const JOB_COLUMNS: &str =
    "id, kind, payload, state, attempts, max_attempts, run_at, locked_until, last_error, created_at, finished_at";

fn job_from_row(row: &sqlx::any::AnyRow) -> Result<Job, sqlx::Error> {
    let payload: String = row.try_get("payload")?;
    Ok(Job {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
        state: JobState::parse(&row.try_get::<String, _>("state")?),
        attempts: row.try_get::<i64, _>("attempts")? as u32,
        max_attempts: row.try_get::<i64, _>("max_attempts")? as u32,
        run_at: row.try_get("run_at")?,
        locked_until: row.try_get("locked_until")?,
        last_error: row.try_get("last_error")?,
        created_at: row.try_get("created_at")?,
        finished_at: row.try_get("finished_at")?,
    })
}

#[derive(Clone)]
pub struct JobQueue {
    db: Database,
    settings: QueueSettings,
    /// Wakes this process's worker early; other processes find the job by polling.
    enqueued: Arc<Notify>,
}

impl JobQueue {
    pub fn new(db: Database, settings: QueueSettings) -> Self {
        Self { db, settings, enqueued: Arc::new(Notify::new()) }
    }

    pub fn settings(&self) -> &QueueSettings {
        &self.settings
    }

    pub(super) fn enqueued(&self) -> &Notify {
        &self.enqueued
    }

    /// Adds a job inside the caller's transaction: it exists if and only if the
    /// change that caused it is committed, and this process's worker is woken
    /// once it is (woken before, on PostgreSQL it found nothing and slept a
    /// whole poll: a second for every upload).
    pub async fn enqueue(
        &self,
        tx: &mut Transaction,
        kind: &str,
        payload: &impl Serialize,
    ) -> Result<String, JobError> {
        let id = Uuid::now_v7().to_string();
        let now = now_ms();
        sqlx::query(
            "INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at)
             VALUES ($1, $2, $3, 'queued', 0, $4, $5, $5, $5)",
        )
        .bind(&id)
        .bind(kind)
        .bind(serde_json::to_string(payload)?)
        .bind(self.settings.max_attempts as i64)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        tx.notify_on_commit(&self.enqueued);
        Ok(id)
    }

    /// Adds the run of a periodic job for the period that `now` falls in,
    /// unless some worker already did: its id names the period, so however
    /// many workers tick, each period gets one run.
    pub(super) async fn enqueue_periodic(&self, kind: &str, every: Duration) -> Result<(), JobError> {
        let now = now_ms();
        let period = now / every.as_millis().max(1) as i64;
        let inserted = sqlx::query(
            "INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at)
             VALUES ($1, $2, '{}', 'queued', 0, $3, $4, $4, $4)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(format!("{kind}@{period}"))
        .bind(kind)
        .bind(self.settings.max_attempts as i64)
        .bind(now)
        .execute(self.db.pool())
        .await?;
        if inserted.rows_affected() == 1 {
            self.enqueued.notify_one();
        }
        Ok(())
    }

    /// Leases the next due job to `worker`. A running job whose lease ran out
    /// (its worker died) is due again. On PostgreSQL, `SKIP LOCKED` lets many
    /// workers claim side by side without ever taking the same job; SQLite
    /// has one writer at a time, so the single UPDATE is already exclusive.
    pub(super) async fn claim(&self, worker: &str) -> Result<Option<Job>, JobError> {
        loop {
            let now = now_ms();
            let lock = match self.db.dialect() {
                Dialect::Postgres => " FOR UPDATE SKIP LOCKED",
                Dialect::Sqlite => "",
            };
            let sql = format!(
                "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $1,
                        locked_until = $2, updated_at = $3
                 WHERE id = (SELECT id FROM jobs
                             WHERE (state = 'queued' AND run_at <= $3)
                                OR (state = 'running' AND locked_until < $3)
                             ORDER BY run_at LIMIT 1{lock})
                 RETURNING {JOB_COLUMNS}"
            );
            let row = sqlx::query(&sql)
                .bind(worker)
                .bind(now + self.settings.lease().as_millis() as i64)
                .bind(now)
                .fetch_optional(self.db.pool())
                .await?;
            let Some(row) = row else { return Ok(None) };
            let job = job_from_row(&row)?;
            if job.attempts > job.max_attempts {
                // Its last attempt's worker vanished mid-run: give up on it.
                self.bury(&job.id, worker, "the worker running the last attempt stopped without finishing").await?;
                continue;
            }
            return Ok(Some(job));
        }
    }

    /// Extends the lease `worker` holds on a running job; false when it no
    /// longer holds it (another worker took the job after a stall).
    pub(super) async fn renew(&self, id: &str, worker: &str) -> Result<bool, JobError> {
        let now = now_ms();
        let renewed =
            sqlx::query("UPDATE jobs SET locked_until = $1 WHERE id = $2 AND locked_by = $3 AND state = 'running'")
                .bind(now + self.settings.lease().as_millis() as i64)
                .bind(id)
                .bind(worker)
                .execute(self.db.pool())
                .await?;
        Ok(renewed.rows_affected() == 1)
    }

    /// Marks a job done, if `worker` still holds its lease.
    pub(super) async fn complete(&self, id: &str, worker: &str) -> Result<bool, JobError> {
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE jobs SET state = 'done', locked_by = NULL, locked_until = NULL, last_error = NULL,
                    updated_at = $1, finished_at = $1
             WHERE id = $2 AND locked_by = $3 AND state = 'running'",
        )
        .bind(now)
        .bind(id)
        .bind(worker)
        .execute(self.db.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a failed attempt: queued again after an exponential backoff, or
    /// dead once the attempts are used up.
    pub(super) async fn fail(
        &self,
        job: &Job,
        worker: &str,
        error: &str,
        permanent: bool,
    ) -> Result<JobState, JobError> {
        if permanent || job.attempts >= job.max_attempts {
            self.bury(&job.id, worker, error).await?;
            return Ok(JobState::Dead);
        }
        let now = now_ms();
        let delay = retry_delay(self.settings.retry_base, job.attempts);
        sqlx::query(
            "UPDATE jobs SET state = 'queued', locked_by = NULL, locked_until = NULL, last_error = $1,
                    run_at = $2, updated_at = $3
             WHERE id = $4 AND locked_by = $5",
        )
        .bind(error)
        .bind(now + delay.as_millis() as i64)
        .bind(now)
        .bind(&job.id)
        .bind(worker)
        .execute(self.db.pool())
        .await?;
        Ok(JobState::Queued)
    }

    async fn bury(&self, id: &str, worker: &str, error: &str) -> Result<(), JobError> {
        let now = now_ms();
        sqlx::query(
            "UPDATE jobs SET state = 'dead', locked_by = NULL, locked_until = NULL, last_error = $1,
                    updated_at = $2, finished_at = $2
             WHERE id = $3 AND locked_by = $4",
        )
        .bind(error)
        .bind(now)
        .bind(id)
        .bind(worker)
        .execute(self.db.pool())
        .await?;
        Ok(())
    }

    /// Gives a job back untouched when its worker shuts down: the attempt does
    /// not count, and any worker may take it at once.
    pub(super) async fn release(&self, id: &str, worker: &str) -> Result<(), JobError> {
        let now = now_ms();
        sqlx::query(
            "UPDATE jobs SET state = 'queued', locked_by = NULL, locked_until = NULL,
                    attempts = attempts - 1, run_at = $1, updated_at = $1
             WHERE id = $2 AND locked_by = $3 AND state = 'running'",
        )
        .bind(now)
        .bind(id)
        .bind(worker)
        .execute(self.db.pool())
        .await?;
        Ok(())
    }

    pub async fn get(&self, id: &str) -> Result<Job, JobError> {
        let row = sqlx::query(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?
            .ok_or_else(|| JobError::NotFound(id.to_string()))?;
        Ok(job_from_row(&row)?)
    }

    /// The newest jobs first, optionally only those in one state.
    pub async fn list(&self, state: Option<JobState>, limit: u32) -> Result<Vec<Job>, JobError> {
        let rows = match state {
            Some(state) => {
                sqlx::query(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE state = $1 ORDER BY id DESC LIMIT $2"))
                    .bind(state.as_str())
                    .bind(limit as i64)
                    .fetch_all(self.db.pool())
                    .await?
            }
            None => {
                sqlx::query(&format!("SELECT {JOB_COLUMNS} FROM jobs ORDER BY id DESC LIMIT $1"))
                    .bind(limit as i64)
                    .fetch_all(self.db.pool())
                    .await?
            }
        };
        Ok(rows.iter().map(job_from_row).collect::<Result<_, _>>()?)
    }

    /// Puts a dead job back in the queue with a fresh set of attempts.
    pub async fn retry(&self, id: &str) -> Result<(), JobError> {
        let job = self.get(id).await?;
        if job.state != JobState::Dead {
            return Err(JobError::NotDead { id: id.into(), state: job.state.as_str().into() });
        }
        self.requeue_dead(Some(id)).await?;
        Ok(())
    }

    /// Puts every dead job back in the queue; returns how many.
    pub async fn retry_all_dead(&self) -> Result<u64, JobError> {
        self.requeue_dead(None).await
    }

    async fn requeue_dead(&self, id: Option<&str>) -> Result<u64, JobError> {
        let set = "UPDATE jobs SET state = 'queued', attempts = 0, run_at = $1, updated_at = $1, finished_at = NULL
                   WHERE state = 'dead'";
        let now = now_ms();
        let done = match id {
            Some(id) => sqlx::query(&format!("{set} AND id = $2")).bind(now).bind(id).execute(self.db.pool()).await?,
            None => sqlx::query(set).bind(now).execute(self.db.pool()).await?,
        };
        self.enqueued.notify_one();
        Ok(done.rows_affected())
    }
}

/// `base`, then twice as long for every attempt already made, at most a day.
pub fn retry_delay(base: Duration, attempts_made: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempts_made.saturating_sub(1).min(20));
    (base * factor).min(Duration::from_secs(24 * 3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_secs(10);
        assert_eq!(retry_delay(base, 1), Duration::from_secs(10));
        assert_eq!(retry_delay(base, 2), Duration::from_secs(20));
        assert_eq!(retry_delay(base, 4), Duration::from_secs(80));
        assert_eq!(retry_delay(base, 40), Duration::from_secs(24 * 3600));
    }
}
