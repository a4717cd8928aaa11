//! Redis Streams: one stream the relay appends to (trimmed to about
//! `STREAM_LENGTH` entries), a consumer group per consuming context, acks,
//! and a dead-letter stream per context. One consumer per context is active
//! at a time (a lock key with a lease), so events stay in order; the one
//! that takes over first claims what a consumer that died left pending.

use std::time::Duration;

use futures::future::BoxFuture;
use redis::aio::MultiplexedConnection;
use redis::streams::{StreamAutoClaimReply, StreamId, StreamReadReply};
use redis::{AsyncConnectionConfig, Client, Value};
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::backoff::reconnecting;
use super::consumer::{Consumer, Delivery};
use super::transport::{BusError, Topology, Transport};
use super::{BusStatus, Event};

/// Entries kept in the stream; older ones are trimmed (every group has
/// long consumed them: the relay publishes only as fast as they go).
const STREAM_LENGTH: u64 = 1_000_000;
/// How long the active consumer's lock lasts unless renewed.
const LOCK_LEASE: Duration = Duration::from_secs(30);
const BATCH: usize = 100;

/// Takes the lock, or renews it when this consumer holds it.
const HOLD: &str = "local v = redis.call('GET', KEYS[1]) \
    if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end \
    if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end \
    return 0";
const RELEASE: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

pub struct Redis {
    client: Client,
    names: Names,
    topology: Topology,
    status: BusStatus,
    publisher: Mutex<Option<MultiplexedConnection>>,
}

#[derive(Clone)]
struct Names {
    namespace: String,
}

impl Names {
    fn stream(&self) -> String {
        format!("{}:events", self.namespace)
    }
    fn dead_stream(&self, context: &str) -> String {
        format!("{}:dead:{context}", self.namespace)
    }
    fn lock(&self, context: &str) -> String {
        format!("{}:active:{context}", self.namespace)
    }
}

impl Redis {
    pub fn new(url: &str, namespace: String, topology: Topology, status: BusStatus) -> Result<Self, BusError> {
        let client = Client::open(url).map_err(|e| BusError::Unreachable(e.to_string()))?;
        Ok(Self { client, names: Names { namespace }, topology, status, publisher: Mutex::new(None) })
    }

    async fn publish_all(&self, events: &[Event]) -> Result<(), redis::RedisError> {
        let mut publisher = self.publisher.lock().await;
        if publisher.is_none() {
            let mut conn = connect(&self.client).await?;
            create_groups(&mut conn, &self.names, &self.topology).await?;
            *publisher = Some(conn);
        }
        let conn = publisher.as_mut().expect("connected above");
        let mut pipe = redis::pipe();
        pipe.atomic();
        for event in events {
            pipe.cmd("XADD")
                .arg(self.names.stream())
                .arg("MAXLEN")
                .arg("~")
                .arg(STREAM_LENGTH)
                .arg("*")
                .arg("event")
                .arg(event.to_json())
                .ignore();
        }
        let outcome = pipe.query_async::<()>(conn).await;
        if outcome.is_err() {
            *publisher = None;
        }
        outcome
    }
}

async fn connect(client: &Client) -> Result<MultiplexedConnection, redis::RedisError> {
    // Reads block for a second at most; an answer slower than this means the link is gone.
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(5)))
        .set_response_timeout(Some(Duration::from_secs(10)));
    client.get_multiplexed_async_connection_with_config(&config).await
}

/// Creates every context's group at the start of the stream (idempotent).
async fn create_groups(
    conn: &mut MultiplexedConnection,
    names: &Names,
    topology: &Topology,
) -> Result<(), redis::RedisError> {
    for (context, _) in &topology.contexts {
        let created: Result<(), _> = redis::cmd("XGROUP")
            .arg("CREATE")
            .arg(names.stream())
            .arg(context)
            .arg("0")
            .arg("MKSTREAM")
            .query_async(conn)
            .await;
        match created {
            Err(e) if e.code() == Some("BUSYGROUP") => {}
            other => other?,
        }
    }
    Ok(())
}

impl Transport for Redis {
    fn publish<'a>(&'a self, events: &'a [Event]) -> BoxFuture<'a, Result<(), BusError>> {
        Box::pin(async move {
            let outcome = self.publish_all(events).await.map_err(|e| BusError::Unreachable(e.to_string()));
            self.status.set(outcome.is_ok());
            outcome
        })
    }

    fn consume(&self, context: String, consumer: Consumer, shutdown: CancellationToken) -> BoxFuture<'static, ()> {
        let listener = Listener {
            client: self.client.clone(),
            names: self.names.clone(),
            topology: self.topology.clone(),
            status: self.status.clone(),
            me: format!("{}-{}", std::process::id(), Uuid::now_v7().simple()),
            context,
        };
        Box::pin(listener.run(consumer, shutdown))
    }
}

struct Listener {
    client: Client,
    names: Names,
    topology: Topology,
    status: BusStatus,
    /// This consumer's name in the group.
    me: String,
    context: String,
}

impl Listener {
    async fn run(self, consumer: Consumer, shutdown: CancellationToken) {
        let listen = || async { self.listen(&consumer, &shutdown).await.map_err(|e| e.to_string()) };
        reconnecting("Redis", &self.context, &self.status, &shutdown, listen).await;
    }

    /// Consumes until shutdown (Ok) or until the connection fails (Err).
    async fn listen(&self, consumer: &Consumer, shutdown: &CancellationToken) -> Result<(), redis::RedisError> {
        let mut conn = connect(&self.client).await?;
        create_groups(&mut conn, &self.names, &self.topology).await?;
        self.status.set(true);
        loop {
            if shutdown.is_cancelled() {
                return self.release(&mut conn).await;
            }
            if !self.hold(&mut conn).await? {
                tokio::select! {
                    _ = tokio::time::sleep(LOCK_LEASE / 10) => continue,
                    _ = shutdown.cancelled() => return Ok(()),
                }
            }
            let mut entries = self.claim_pending(&mut conn).await?;
            if entries.is_empty() {
                entries = self.read_new(&mut conn).await?;
            }
            for entry in entries {
                if !self.settle(&mut conn, consumer, entry, shutdown).await? {
                    return Ok(());
                }
            }
        }
    }

    async fn hold(&self, conn: &mut MultiplexedConnection) -> Result<bool, redis::RedisError> {
        let held: i64 = redis::cmd("EVAL")
            .arg(HOLD)
            .arg(1)
            .arg(self.names.lock(&self.context))
            .arg(&self.me)
            .arg(LOCK_LEASE.as_millis() as u64)
            .query_async(conn)
            .await?;
        Ok(held == 1)
    }

    async fn release(&self, conn: &mut MultiplexedConnection) -> Result<(), redis::RedisError> {
        let _: i64 = redis::cmd("EVAL")
            .arg(RELEASE)
            .arg(1)
            .arg(self.names.lock(&self.context))
            .arg(&self.me)
            .query_async(conn)
            .await?;
        Ok(())
    }

    /// Entries delivered before and never acknowledged, by a consumer that
    /// died or by this one: they are older than anything new, so they go first.
    async fn claim_pending(&self, conn: &mut MultiplexedConnection) -> Result<Vec<StreamId>, redis::RedisError> {
        let reply: StreamAutoClaimReply = redis::cmd("XAUTOCLAIM")
            .arg(self.names.stream())
            .arg(&self.context)
            .arg(&self.me)
            .arg(0)
            .arg("0-0")
            .arg("COUNT")
            .arg(BATCH)
            .query_async(conn)
            .await?;
        Ok(reply.claimed)
    }

    async fn read_new(&self, conn: &mut MultiplexedConnection) -> Result<Vec<StreamId>, redis::RedisError> {
        let reply: Option<StreamReadReply> = redis::cmd("XREADGROUP")
            .arg("GROUP")
            .arg(&self.context)
            .arg(&self.me)
            .arg("COUNT")
            .arg(BATCH)
            .arg("BLOCK")
            .arg(1000)
            .arg("STREAMS")
            .arg(self.names.stream())
            .arg(">")
            .query_async(conn)
            .await?;
        Ok(reply.map(|r| r.keys.into_iter().flat_map(|k| k.ids).collect()).unwrap_or_default())
    }

    /// Hands one entry to the context and acknowledges it; false when the
    /// process is stopping (the entry stays pending for whoever comes next).
    async fn settle(
        &self,
        conn: &mut MultiplexedConnection,
        consumer: &Consumer,
        entry: StreamId,
        shutdown: &CancellationToken,
    ) -> Result<bool, redis::RedisError> {
        let raw = match entry.map.get("event") {
            Some(Value::BulkString(bytes)) => bytes.clone(),
            _ => Vec::new(),
        };
        match Event::from_json(&raw) {
            Ok(event) => match consumer.deliver(&self.context, &event, shutdown).await {
                Ok(Delivery::Dead) => self.bury(conn, &raw).await?,
                Ok(_) => {}
                Err(_) => return Ok(false),
            },
            Err(e) => {
                tracing::error!(context = %self.context, id = %entry.id, error = %e, "an unreadable entry goes to the dead-letter stream");
                self.bury(conn, &raw).await?;
            }
        }
        let _: i64 =
            redis::cmd("XACK").arg(self.names.stream()).arg(&self.context).arg(&entry.id).query_async(conn).await?;
        Ok(true)
    }

    async fn bury(&self, conn: &mut MultiplexedConnection, raw: &[u8]) -> Result<(), redis::RedisError> {
        let _: String = redis::cmd("XADD")
            .arg(self.names.dead_stream(&self.context))
            .arg("MAXLEN")
            .arg("~")
            .arg(STREAM_LENGTH)
            .arg("*")
            .arg("event")
            .arg(raw)
            .query_async(conn)
            .await?;
        Ok(())
    }
}
