//! RabbitMQ (AMQP 0-9-1): a durable topic exchange the relay publishes to
//! with publisher confirms, routed by kind; per consuming context a durable
//! queue with a single active consumer (replicas stand by, order holds)
//! and manual acknowledgements; a dead-letter queue per context behind it.

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use futures::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicPublishOptions, BasicQosOptions, BasicRejectOptions,
    ConfirmSelectOptions, ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions,
};
use lapin::types::{AMQPValue, FieldTable, LongString};
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties, ExchangeKind};
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

use super::backoff::reconnecting;
use super::consumer::{Consumer, Delivery};
use super::transport::{BusError, Topology, Transport};
use super::{BusStatus, Event};

/// How many deliveries a consumer holds unacknowledged; they are handled one by one.
const PREFETCH: u16 = 64;
/// How long the relay waits for the broker to confirm a batch.
const CONFIRM_PATIENCE: Duration = Duration::from_secs(10);
/// How often an idle consumer checks that its connection still stands.
const LIVENESS: Duration = Duration::from_secs(1);

pub struct Amqp {
    url: String,
    names: Names,
    topology: Topology,
    status: BusStatus,
    /// The relay's channel, in confirm mode; none until connected or after a failure.
    publisher: Mutex<Option<(Connection, Channel)>>,
}

/// What things are called on the broker, under the namespace.
#[derive(Clone)]
struct Names {
    namespace: String,
}

impl Names {
    fn exchange(&self) -> String {
        format!("{}.events", self.namespace)
    }
    fn dead_exchange(&self) -> String {
        format!("{}.dead", self.namespace)
    }
    fn queue(&self, context: &str) -> String {
        format!("{}.{context}", self.namespace)
    }
    fn dead_queue(&self, context: &str) -> String {
        format!("{}.{context}.dead", self.namespace)
    }
}

impl Amqp {
    pub fn new(url: String, namespace: String, topology: Topology, status: BusStatus) -> Self {
        Self { url, names: Names { namespace }, topology, status, publisher: Mutex::new(None) }
    }

    async fn connect(&self) -> Result<(Connection, Channel), BusError> {
        let (connection, channel) = open(&self.url, &self.names, &self.topology).await?;
        within(channel.confirm_select(ConfirmSelectOptions::default())).await?;
        Ok((connection, channel))
    }

    async fn publish_all(&self, events: &[Event]) -> Result<(), BusError> {
        let mut publisher = self.publisher.lock().await;
        if publisher.is_none() {
            *publisher = Some(self.connect().await?);
        }
        let (_, channel) = publisher.as_ref().expect("connected above");
        let outcome = send(channel, &self.names.exchange(), events).await;
        if outcome.is_err() {
            // Whatever state the channel is in, the next batch starts afresh.
            *publisher = None;
        }
        outcome
    }
}

/// Publishes every event, then waits for the broker to confirm each.
async fn send(channel: &Channel, exchange: &str, events: &[Event]) -> Result<(), BusError> {
    let mut confirms = Vec::with_capacity(events.len());
    for event in events {
        let properties = BasicProperties::default()
            .with_delivery_mode(2)
            .with_message_id(event.id.clone().into())
            .with_content_type("application/json".into());
        let confirm = within(channel.basic_publish(
            exchange.into(),
            event.kind.clone().into(),
            BasicPublishOptions::default(),
            &event.to_json(),
            properties,
        ))
        .await?;
        confirms.push(confirm);
    }
    for confirm in confirms {
        // A connection that died quietly never confirms; the batch goes again.
        let confirmation = tokio::time::timeout(CONFIRM_PATIENCE, confirm)
            .await
            .map_err(|_| BusError::Unreachable("the broker did not confirm in time".into()))?
            .map_err(unreachable)?;
        if confirmation.is_nack() {
            return Err(BusError::Refused("the broker did not take an event (nack)".into()));
        }
    }
    Ok(())
}

/// Declares the exchanges and every context's queue and dead-letter queue.
/// Declaring is idempotent, so the relay and each consumer all do it.
async fn declare(channel: &Channel, names: &Names, topology: &Topology) -> Result<(), lapin::Error> {
    let durable = ExchangeDeclareOptions { durable: true, ..Default::default() };
    channel.exchange_declare(names.exchange().into(), ExchangeKind::Topic, durable, FieldTable::default()).await?;
    channel
        .exchange_declare(names.dead_exchange().into(), ExchangeKind::Direct, durable, FieldTable::default())
        .await?;
    for (context, kinds) in &topology.contexts {
        let queue = names.queue(context);
        let dead = names.dead_queue(context);
        channel.queue_declare(dead.clone().into(), QueueDeclareOptions::durable(), FieldTable::default()).await?;
        let bind = QueueBindOptions::default();
        channel
            .queue_bind(dead.into(), names.dead_exchange().into(), context.clone().into(), bind, FieldTable::default())
            .await?;
        let mut arguments = FieldTable::default();
        arguments.insert("x-single-active-consumer".into(), AMQPValue::Boolean(true));
        arguments
            .insert("x-dead-letter-exchange".into(), AMQPValue::LongString(LongString::from(names.dead_exchange())));
        arguments.insert("x-dead-letter-routing-key".into(), AMQPValue::LongString(LongString::from(context.clone())));
        channel.queue_declare(queue.clone().into(), QueueDeclareOptions::durable(), arguments).await?;
        for kind in kinds {
            channel
                .queue_bind(
                    queue.clone().into(),
                    names.exchange().into(),
                    kind.clone().into(),
                    bind,
                    FieldTable::default(),
                )
                .await?;
        }
    }
    Ok(())
}

/// The next delivery; none when the process stops; an error when the
/// connection is gone (checked every second, since a link cut quietly
/// may never end the consumer's stream).
pub(crate) async fn next_delivery(
    deliveries: &mut lapin::Consumer,
    connection: &Connection,
    shutdown: &CancellationToken,
) -> Result<Option<lapin::message::Delivery>, String> {
    let mut liveness = tokio::time::interval(LIVENESS);
    loop {
        let next = tokio::select! {
            next = deliveries.next() => next,
            _ = liveness.tick() => {
                if !connection.status().connected() {
                    return Err("the connection to RabbitMQ was lost".into());
                }
                continue;
            }
            _ = shutdown.cancelled() => return Ok(None),
        };
        let Some(delivery) = next else { return Err("RabbitMQ ended the consumer".into()) };
        return delivery.map(Some).map_err(|e| e.to_string());
    }
}

/// Connects and declares the topology: a channel ready to use.
async fn open(url: &str, names: &Names, topology: &Topology) -> Result<(Connection, Channel), BusError> {
    let connection = within(Connection::connect(url, ConnectionProperties::default())).await?;
    let channel = within(connection.create_channel()).await?;
    within(declare(&channel, names, topology)).await?;
    Ok((connection, channel))
}

/// A step of the protocol, given up on when the broker stops answering (a
/// connection cut at the wrong moment can leave one waiting forever).
pub(crate) async fn within<T>(step: impl std::future::Future<Output = Result<T, lapin::Error>>) -> Result<T, BusError> {
    tokio::time::timeout(CONFIRM_PATIENCE, step)
        .await
        .map_err(|_| BusError::Unreachable("RabbitMQ did not answer in time".into()))?
        .map_err(unreachable)
}

fn unreachable(e: lapin::Error) -> BusError {
    BusError::Unreachable(e.to_string())
}

impl Transport for Amqp {
    fn publish<'a>(&'a self, events: &'a [Event]) -> BoxFuture<'a, Result<(), BusError>> {
        Box::pin(async move {
            let outcome = self.publish_all(events).await;
            self.status.set(outcome.is_ok());
            outcome
        })
    }

    fn consume(&self, context: String, consumer: Consumer, shutdown: CancellationToken) -> BoxFuture<'static, ()> {
        let listener = Listener {
            url: self.url.clone(),
            names: self.names.clone(),
            topology: self.topology.clone(),
            status: self.status.clone(),
        };
        Box::pin(Arc::new(listener).run(context, consumer, shutdown))
    }
}

/// One context's consumer: connects, consumes until the connection fails,
/// and connects again with backoff until the process stops.
struct Listener {
    url: String,
    names: Names,
    topology: Topology,
    status: BusStatus,
}

impl Listener {
    async fn run(self: Arc<Self>, context: String, consumer: Consumer, shutdown: CancellationToken) {
        let listen = || self.listen(&context, &consumer, &shutdown);
        reconnecting("RabbitMQ", &context, &self.status, &shutdown, listen).await;
    }

    /// Consumes until shutdown (Ok) or until the connection fails (Err).
    async fn listen(&self, context: &str, consumer: &Consumer, shutdown: &CancellationToken) -> Result<(), String> {
        let (connection, channel) = open(&self.url, &self.names, &self.topology).await.map_err(|e| e.to_string())?;
        within(channel.basic_qos(PREFETCH, BasicQosOptions::default())).await.map_err(|e| e.to_string())?;
        let queue = self.names.queue(context);
        let consume =
            channel.basic_consume(queue.into(), "".into(), BasicConsumeOptions::default(), FieldTable::default());
        let mut deliveries = within(consume).await.map_err(|e| e.to_string())?;
        self.status.set(true);
        loop {
            let Some(delivery) = next_delivery(&mut deliveries, &connection, shutdown).await? else { return Ok(()) };
            let event = match Event::from_json(&delivery.data) {
                Ok(event) => event,
                Err(e) => {
                    tracing::error!(%context, error = %e, "an unreadable message goes to the dead-letter queue");
                    within(delivery.reject(BasicRejectOptions { requeue: false })).await.map_err(|e| e.to_string())?;
                    continue;
                }
            };
            match consumer.deliver(context, &event, shutdown).await {
                Ok(Delivery::Dead) => {
                    within(delivery.reject(BasicRejectOptions { requeue: false })).await.map_err(|e| e.to_string())?
                }
                Ok(_) => within(delivery.ack(BasicAckOptions::default())).await.map_err(|e| e.to_string())?,
                // Unacknowledged, it goes back to the queue when we disconnect.
                Err(_) => return Ok(()),
            };
        }
    }
}
