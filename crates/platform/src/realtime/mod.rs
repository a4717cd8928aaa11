//! Realtime: one authenticated websocket per client, topics it subscribes
//! to, and fan-out between replicas (in-process, Redis pub/sub or RabbitMQ,
//! by `ATHLOS_REALTIME_URL`). Contexts publish to topics and guard the
//! topics they own. See `docs/realtime.md`.

mod fanout;
mod guard;
mod hub;
pub mod routes;
pub mod session;
mod store;

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use guard::{Guards, TopicGuard};
pub use hub::{RESUME_MESSAGES, RESUME_WINDOW};

use crate::config::{mask_url_password, Config};
use crate::db::Database;
use fanout::Fanout;
use hub::Hub;

/// What travels to the sockets: an event on a topic.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Message {
    /// UUIDv7; a client resumes after the last id it saw.
    pub id: String,
    pub topic: String,
    pub kind: String,
    pub data: serde_json::Value,
    /// The frame sockets are sent, made once however many listen.
    #[serde(skip)]
    rendered: std::sync::OnceLock<axum::extract::ws::Utf8Bytes>,
}

impl Message {
    pub fn new(topic: &str, kind: &str, data: serde_json::Value) -> Self {
        let id = uuid::Uuid::now_v7().to_string();
        Self { id, topic: topic.into(), kind: kind.into(), data, rendered: Default::default() }
    }
}

#[derive(Clone)]
pub struct Realtime {
    hub: Hub,
    fanout: Arc<dyn Fanout>,
    guards: Guards,
    db: Database,
    /// Cancelled when the server stops: every socket closes with "going away".
    closing: CancellationToken,
    /// How often the server pings; a client silent for three times as long is closed.
    heartbeat: Duration,
    description: String,
}

impl Realtime {
    pub fn new(db: Database, config: &Config) -> Result<Self, String> {
        let hub = Hub::default();
        let url = config.realtime_url.clone().filter(|u| !u.trim().is_empty());
        let (fanout, description): (Arc<dyn Fanout>, String) = match url.as_deref() {
            None => (Arc::new(fanout::InProcess(hub.clone())), "in-process".into()),
            Some(u) if u.starts_with("redis://") || u.starts_with("rediss://") => {
                (Arc::new(fanout::RedisPubSub::new(u, &config.bus_namespace)?), mask_url_password(u))
            }
            Some(u) if u.starts_with("amqp://") || u.starts_with("amqps://") => {
                (Arc::new(fanout::RabbitFanout::new(u, &config.bus_namespace)), mask_url_password(u))
            }
            Some(u) => {
                return Err(format!(
                    "ATHLOS_REALTIME_URL must start with redis:// or amqp://, not {}",
                    mask_url_password(u)
                ))
            }
        };
        let closing = CancellationToken::new();
        let heartbeat = Duration::from_secs(config.realtime_heartbeat_secs);
        Ok(Self { hub, fanout, guards: Guards::default(), db, closing, heartbeat, description })
    }

    /// `in-process`, or the fan-out's URL without its password.
    pub fn describe(&self) -> &str {
        &self.description
    }

    /// Where contexts say who may listen to their topics.
    pub fn guards(&self) -> &Guards {
        &self.guards
    }

    /// Sends `data` to everyone listening to `topic`, on every replica.
    /// Best effort: a failure is logged, never the caller's problem.
    pub async fn publish(&self, topic: &str, kind: &str, data: serde_json::Value) {
        let message = Message::new(topic, kind, data);
        if let Err(e) = self.fanout.send(Arc::new(message)).await {
            tracing::warn!(%topic, error = %e, "a realtime message could not be sent to the other replicas");
        }
    }

    /// Delivers to this process's sockets only: for messages every replica
    /// makes for itself from the database, so none is sent twice.
    pub fn publish_here(&self, topic: &str, kind: &str, data: serde_json::Value) {
        self.hub.deliver(Arc::new(Message::new(topic, kind, data)));
    }

    /// How many sockets of this process listen to `topic`.
    pub fn listeners_here(&self, topic: &str) -> usize {
        self.hub.listeners(topic)
    }

    /// Listens to the other replicas and forgets idle topics, until
    /// `shutdown`, which also closes every socket with "going away".
    pub fn start(&self, shutdown: &CancellationToken) -> Vec<JoinHandle<()>> {
        let listening = tokio::spawn(self.fanout.clone().listen(self.hub.clone(), shutdown.clone()));
        let (hub, closing, stop) = (self.hub.clone(), self.closing.clone(), shutdown.clone());
        let sweeping = tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                tokio::select! {
                    _ = every.tick() => hub.sweep(),
                    _ = stop.cancelled() => return closing.cancel(),
                }
            }
        });
        vec![listening, sweeping]
    }
}
