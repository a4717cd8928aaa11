//! The durable job queue: a table in the same database as everything else, so
//! a job is enqueued in the same transaction as the change that causes it.
//! Jobs run at least once; handlers must be idempotent.

mod handlers;
mod queue;
mod worker;

pub use handlers::{JobContext, JobFailure, JobHandlers};
pub use queue::{Job, JobQueue, JobState, QueueSettings};
pub use worker::Worker;

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("no job with id {0}")]
    NotFound(String),
    #[error("job {id} is {state}, only dead jobs can be retried")]
    NotDead { id: String, state: String },
    #[error("job payload cannot be stored: {0}")]
    Payload(#[from] serde_json::Error),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}
