//! The event bus of one process: which bus the configuration names, the
//! relay and consumers it runs, replays and pruning.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::amqp::Amqp;
use super::memory::InProcess;
use super::redis::Redis;
use super::relay::Relay;
use super::store::{self, Failure};
use super::transport::{BusError, Topology, Transport};
use super::{Consumer, Delivery, EventHandlers, EventMetrics};
use crate::config::{mask_url_password, Config};
use crate::db::{now_ms, Database};
use crate::http::metrics::Metrics;
use crate::jobs::{JobFailure, JobHandlers};

pub const PRUNE_JOB: &str = "events.prune";

#[derive(Clone, Debug)]
pub struct EventSettings {
    /// Unset: in-process.
    pub bus_url: Option<String>,
    /// Prefix of every exchange, queue, stream and key on the broker.
    pub namespace: String,
    pub max_attempts: u32,
    /// The pause after a handler's first failure; it doubles each time.
    pub retry_base: Duration,
    /// How long published events and inbox rows are kept.
    pub retention: Duration,
    pub relay_poll: Duration,
    pub relay_lease: Duration,
}

impl EventSettings {
    pub fn from_config(config: &Config) -> Self {
        Self {
            bus_url: config.bus_url.clone().filter(|url| !url.trim().is_empty()),
            namespace: config.bus_namespace.clone(),
            max_attempts: config.event_max_attempts,
            retry_base: Duration::from_millis(config.event_retry_base_ms),
            retention: Duration::from_secs(config.outbox_retention_hours * 3600),
            relay_poll: Duration::from_millis(config.relay_poll_ms),
            relay_lease: Duration::from_secs(15),
        }
    }
}

/// Whether the bus answered last time it was asked, for `/readyz`.
#[derive(Clone, Default)]
pub struct BusStatus(Arc<AtomicU8>);

const UP: u8 = 1;
const DOWN: u8 = 2;

impl BusStatus {
    pub fn set(&self, up: bool) {
        self.0.store(if up { UP } else { DOWN }, Ordering::Relaxed);
    }

    /// `up`, `down`, or `unknown` before the first contact.
    pub fn describe(&self) -> &'static str {
        match self.0.load(Ordering::Relaxed) {
            UP => "up",
            DOWN => "down",
            _ => "unknown",
        }
    }
}

#[derive(Clone)]
pub struct Events {
    db: Database,
    settings: EventSettings,
    status: BusStatus,
    metrics: EventMetrics,
}

enum BusKind {
    InProcess,
    Amqp(String),
    Redis(String),
}

impl Events {
    pub fn new(db: Database, settings: EventSettings, metrics: &Metrics) -> Result<Self, BusError> {
        kind(&settings)?;
        let status = BusStatus::default();
        if settings.bus_url.is_none() {
            status.set(true);
        }
        Ok(Self { db, settings, status, metrics: EventMetrics::register(metrics) })
    }

    pub fn status(&self) -> &BusStatus {
        &self.status
    }

    pub fn settings(&self) -> &EventSettings {
        &self.settings
    }

    /// The bus, for people: `in-process` or its URL without a password.
    pub fn describe(&self) -> String {
        match &self.settings.bus_url {
            None => "in-process".into(),
            Some(url) => mask_url_password(url),
        }
    }

    /// Starts the relay and one consumer per context this process serves.
    /// `all` is every context's handlers in this build, served here or not.
    pub fn start(&self, all: &EventHandlers, modules: &[String], shutdown: &CancellationToken) -> Vec<JoinHandle<()>> {
        let served = all.only(modules);
        let consumer = self.consumer(served.clone());
        let transport = self.transport(all, consumer.clone(), shutdown);
        let mut tasks = Vec::new();
        if self.may_relay(all, &served) {
            let relay = Relay::new(self.db.clone(), transport.clone(), self.settings.clone(), self.metrics.clone());
            tasks.push(tokio::spawn(relay.run(shutdown.clone())));
        } else {
            tracing::warn!(
                "this process serves only some of the contexts that consume events and the bus is in-process: \
                 it does not relay, and events wait in the outbox for a process that serves them all. \
                 Set ATHLOS_BUS_URL to a RabbitMQ or Redis server to run modules apart"
            );
        }
        for context in served.contexts() {
            tasks.push(tokio::spawn(transport.consume(context.to_string(), consumer.clone(), shutdown.clone())));
        }
        tasks
    }

    /// The in-process bus can deliver only to contexts of this process.
    fn may_relay(&self, all: &EventHandlers, served: &EventHandlers) -> bool {
        self.settings.bus_url.is_some() || all.contexts().eq(served.contexts())
    }

    fn consumer(&self, handlers: EventHandlers) -> Consumer {
        Consumer::new(self.db.clone(), handlers, self.settings.clone(), self.metrics.clone())
    }

    fn transport(&self, all: &EventHandlers, consumer: Consumer, shutdown: &CancellationToken) -> Arc<dyn Transport> {
        let topology = Topology::of(all);
        let namespace = self.settings.namespace.clone();
        match kind(&self.settings).expect("checked in new") {
            BusKind::InProcess => Arc::new(InProcess::new(consumer, shutdown.clone())),
            BusKind::Amqp(url) => Arc::new(Amqp::new(url, namespace, topology, self.status.clone())),
            BusKind::Redis(url) => match Redis::new(&url, namespace, topology, self.status.clone()) {
                Ok(redis) => Arc::new(redis),
                Err(e) => panic!("the Redis URL was checked at start: {e}"),
            },
        }
    }

    /// Hands dead events (these, or all when `event_ids` is empty) to their
    /// contexts again, with fresh attempts, in this process.
    pub async fn replay(
        &self,
        handlers: &EventHandlers,
        event_ids: &[String],
    ) -> Result<Vec<(Failure, Delivery)>, sqlx::Error> {
        let consumer = self.consumer(handlers.clone());
        let never = CancellationToken::new();
        let mut outcomes = Vec::new();
        for failure in store::dead_letters(&self.db, event_ids).await? {
            store::revive(&self.db, &failure.context, &failure.event.id).await?;
            let delivery = consumer.deliver(&failure.context, &failure.event, &never).await.expect("never cancelled");
            outcomes.push((failure, delivery));
        }
        Ok(outcomes)
    }

    /// Deletes published events and inbox rows older than the retention.
    pub async fn prune(&self) -> Result<u64, sqlx::Error> {
        store::prune(&self.db, now_ms() - self.settings.retention.as_millis() as i64).await
    }

    /// The hourly pruning job.
    pub fn register_jobs(&self, handlers: &mut JobHandlers) {
        let events = self.clone();
        handlers.register(PRUNE_JOB, move |_| {
            let events = events.clone();
            async move {
                let pruned = events.prune().await.map_err(JobFailure::retry)?;
                tracing::info!(pruned, "old events and inbox rows pruned");
                Ok(())
            }
        });
        handlers.schedule(PRUNE_JOB, Duration::from_secs(3600));
    }
}

fn kind(settings: &EventSettings) -> Result<BusKind, BusError> {
    match settings.bus_url.as_deref() {
        None | Some("") => Ok(BusKind::InProcess),
        Some(url) if url.starts_with("amqp://") || url.starts_with("amqps://") => Ok(BusKind::Amqp(url.into())),
        Some(url) if url.starts_with("redis://") || url.starts_with("rediss://") => {
            redis::Client::open(url).map_err(|e| BusError::Unreachable(format!("the Redis URL is not usable: {e}")))?;
            Ok(BusKind::Redis(url.into()))
        }
        Some(other) => Err(BusError::Scheme(mask_url_password(other))),
    }
}
