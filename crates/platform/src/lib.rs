//! What every Athlos context needs and no context owns.

pub mod blob;
pub mod cache;
pub mod change_log;
pub mod config;
pub mod db;
pub mod device_fields;
pub mod events;
pub mod http;
pub mod jobs;
pub mod mail;
pub mod notify;
pub mod outbox;
pub mod people;
pub mod personal_data;
pub mod picture;
pub mod realtime;
pub mod secret;
pub mod telemetry;

use std::sync::Arc;
use std::time::Duration;

use crate::blob::BlobStore;
use crate::config::Config;
use crate::db::Database;
use crate::events::{EventSettings, Events};
use crate::http::metrics::Metrics;
use crate::jobs::{JobHandlers, JobQueue, QueueSettings, Worker};
use crate::mail::{MailTemplates, Mailer};

/// The shared pieces one process runs on, handed to every context. One
/// `Arc`: every request clones its context's state, and cloning each piece
/// (a dozen reference counts, shared by both cores) was a measured share of
/// an authenticated read.
#[derive(Clone)]
pub struct Platform(Arc<Parts>);

/// What a [`Platform`] holds.
pub struct Parts {
    pub config: Arc<Config>,
    pub db: Database,
    pub blobs: BlobStore,
    pub mailer: Mailer,
    pub jobs: JobQueue,
    pub metrics: Metrics,
    /// The event bus: relay, consumers, replays.
    pub events: Events,
    /// Websockets and the topics they listen to.
    pub realtime: realtime::Realtime,
    /// The contexts this process serves.
    pub modules: Arc<Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] db::DatabaseError),
    #[error("the file store cannot be used: {0}")]
    Blobs(#[from] blob::BlobError),
    #[error("mail cannot be sent: {0}")]
    Mail(#[from] mail::MailError),
    #[error("the secret key cannot be set up: {0}")]
    Secret(std::io::Error),
    #[error(transparent)]
    Bus(#[from] events::BusError),
    #[error("{0}")]
    Realtime(String),
}

impl std::ops::Deref for Platform {
    type Target = Parts;

    fn deref(&self) -> &Parts {
        &self.0
    }
}

impl Platform {
    /// Connects every backend the configuration names. Migrations are the
    /// caller's choice (`serve --no-migrate`).
    pub async fn connect(config: Config, templates: MailTemplates, modules: Vec<String>) -> Result<Self, StartError> {
        let db = Database::connect(
            &config.database_url(),
            db::PoolSettings {
                max_connections: config.database_max_connections,
                acquire_timeout: Duration::from_secs(config.database_acquire_timeout_secs),
                ping_idle_after: db::PoolSettings::PING_IDLE_AFTER,
            },
            Duration::from_secs(config.database_connect_timeout_secs),
        )
        .await?;
        let blobs = BlobStore::from_config(&config)?;
        let mailer = Mailer::from_config(&config, templates)?;
        let jobs = JobQueue::new(
            db.clone(),
            QueueSettings {
                max_attempts: config.job_max_attempts,
                max_run: Duration::from_secs(config.job_lease_secs),
                heartbeat: Duration::from_millis(config.job_heartbeat_ms),
                retry_base: Duration::from_millis(config.job_retry_base_ms),
            },
        );
        let metrics = Metrics::default();
        let events = Events::new(db.clone(), EventSettings::from_config(&config), &metrics)?;
        let realtime = realtime::Realtime::new(db.clone(), &config).map_err(StartError::Realtime)?;
        Ok(Self(Arc::new(Parts {
            config: Arc::new(config),
            db,
            blobs,
            mailer,
            jobs,
            metrics,
            events,
            realtime,
            modules: Arc::new(modules),
        })))
    }

    /// The job handlers of the platform itself (mail, pruning the outbox);
    /// contexts add theirs.
    pub fn job_handlers(&self) -> JobHandlers {
        let mut handlers = JobHandlers::default();
        self.mailer.register_jobs(&mut handlers);
        self.events.register_jobs(&mut handlers);
        handlers
    }

    pub fn worker(&self, handlers: JobHandlers) -> Worker {
        Worker::new(
            self.jobs.clone(),
            handlers,
            self.config.worker_concurrency,
            Duration::from_millis(self.config.job_poll_ms),
        )
    }
}
