//! Carrying a message to every replica's hub: directly in one process,
//! over Redis pub/sub or a RabbitMQ fanout exchange between several.
//! Realtime is best effort: a message published while the link is down
//! reaches this replica's listeners only; the others catch up by fetching.

use std::sync::Arc;

use futures::future::BoxFuture;
use futures::StreamExt;
use lapin::options::{
    BasicConsumeOptions, BasicPublishOptions, ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties, ExchangeKind};
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

use super::hub::Hub;
use super::Message;
use crate::events::{next_delivery, reconnecting, within, BusStatus};

pub trait Fanout: Send + Sync {
    /// Sends `message` to every replica, this one included.
    fn send<'a>(&'a self, message: Arc<Message>) -> BoxFuture<'a, Result<(), String>>;

    /// Hands what other replicas send to `hub`, until `shutdown`.
    fn listen(self: Arc<Self>, hub: Hub, shutdown: CancellationToken) -> BoxFuture<'static, ()>;
}

pub struct InProcess(pub Hub);

impl Fanout for InProcess {
    fn send<'a>(&'a self, message: Arc<Message>) -> BoxFuture<'a, Result<(), String>> {
        self.0.deliver(message);
        Box::pin(async { Ok(()) })
    }

    fn listen(self: Arc<Self>, _: Hub, _: CancellationToken) -> BoxFuture<'static, ()> {
        Box::pin(async {})
    }
}

pub struct RedisPubSub {
    client: redis::Client,
    channel: String,
    publisher: Mutex<Option<redis::aio::MultiplexedConnection>>,
    status: BusStatus,
}

impl RedisPubSub {
    pub fn new(url: &str, namespace: &str) -> Result<Self, String> {
        let client = redis::Client::open(url).map_err(|e| e.to_string())?;
        let channel = format!("{namespace}:realtime");
        Ok(Self { client, channel, publisher: Mutex::new(None), status: BusStatus::default() })
    }

    async fn listen_once(&self, hub: &Hub, shutdown: &CancellationToken) -> Result<(), String> {
        let mut pubsub = self.client.get_async_pubsub().await.map_err(|e| e.to_string())?;
        pubsub.subscribe(&self.channel).await.map_err(|e| e.to_string())?;
        self.status.set(true);
        let mut messages = pubsub.on_message();
        loop {
            let next = tokio::select! {
                next = messages.next() => next,
                _ = shutdown.cancelled() => return Ok(()),
            };
            let Some(next) = next else { return Err("Redis closed the subscription".into()) };
            let payload: Vec<u8> = next.get_payload().map_err(|e| e.to_string())?;
            if let Ok(message) = serde_json::from_slice::<Message>(&payload) {
                hub.deliver(Arc::new(message));
            }
        }
    }
}

impl Fanout for RedisPubSub {
    fn send<'a>(&'a self, message: Arc<Message>) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let mut publisher = self.publisher.lock().await;
            if publisher.is_none() {
                *publisher = Some(self.client.get_multiplexed_async_connection().await.map_err(|e| e.to_string())?);
            }
            let conn = publisher.as_mut().expect("connected above");
            let json = serde_json::to_vec(message.as_ref()).expect("a message serialises");
            let sent: Result<i64, _> = redis::cmd("PUBLISH").arg(&self.channel).arg(json).query_async(conn).await;
            if sent.is_err() {
                *publisher = None;
            }
            sent.map(|_| ()).map_err(|e| e.to_string())
        })
    }

    fn listen(self: Arc<Self>, hub: Hub, shutdown: CancellationToken) -> BoxFuture<'static, ()> {
        Box::pin(async move {
            let listen = || self.listen_once(&hub, &shutdown);
            reconnecting("Redis", "realtime", &self.status, &shutdown, listen).await;
        })
    }
}

pub struct RabbitFanout {
    url: String,
    exchange: String,
    publisher: Mutex<Option<(Connection, Channel)>>,
    status: BusStatus,
}

impl RabbitFanout {
    pub fn new(url: &str, namespace: &str) -> Self {
        Self {
            url: url.into(),
            exchange: format!("{namespace}.realtime"),
            publisher: Mutex::new(None),
            status: BusStatus::default(),
        }
    }

    async fn open(&self) -> Result<(Connection, Channel), String> {
        let step = async {
            let connection = Connection::connect(&self.url, ConnectionProperties::default()).await?;
            let channel = connection.create_channel().await?;
            let options = ExchangeDeclareOptions { auto_delete: false, durable: false, ..Default::default() };
            channel
                .exchange_declare(self.exchange.clone().into(), ExchangeKind::Fanout, options, FieldTable::default())
                .await?;
            Ok::<_, lapin::Error>((connection, channel))
        };
        within(step).await.map_err(|e| e.to_string())
    }

    async fn listen_once(&self, hub: &Hub, shutdown: &CancellationToken) -> Result<(), String> {
        let (connection, channel) = self.open().await?;
        let text = |e: lapin::Error| e.to_string();
        // A queue of this replica's own, gone when it disconnects.
        let options = QueueDeclareOptions { exclusive: true, auto_delete: true, ..Default::default() };
        let queue = channel.queue_declare("".into(), options, FieldTable::default()).await.map_err(text)?;
        let name = queue.name().clone();
        channel
            .queue_bind(
                name.clone(),
                self.exchange.clone().into(),
                "".into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await
            .map_err(text)?;
        let options = BasicConsumeOptions { no_ack: true, ..Default::default() };
        let mut deliveries =
            channel.basic_consume(name, "".into(), options, FieldTable::default()).await.map_err(text)?;
        self.status.set(true);
        loop {
            let Some(delivery) = next_delivery(&mut deliveries, &connection, shutdown).await? else { return Ok(()) };
            if let Ok(message) = serde_json::from_slice::<Message>(&delivery.data) {
                hub.deliver(Arc::new(message));
            }
        }
    }
}

impl Fanout for RabbitFanout {
    fn send<'a>(&'a self, message: Arc<Message>) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let mut publisher = self.publisher.lock().await;
            if publisher.is_none() {
                *publisher = Some(self.open().await?);
            }
            let (_, channel) = publisher.as_ref().expect("connected above");
            let json = serde_json::to_vec(message.as_ref()).expect("a message serialises");
            let sent = channel
                .basic_publish(
                    self.exchange.clone().into(),
                    "".into(),
                    BasicPublishOptions::default(),
                    &json,
                    BasicProperties::default(),
                )
                .await;
            if sent.is_err() {
                *publisher = None;
            }
            sent.map(|_| ()).map_err(|e| e.to_string())
        })
    }

    fn listen(self: Arc<Self>, hub: Hub, shutdown: CancellationToken) -> BoxFuture<'static, ()> {
        Box::pin(async move {
            let listen = || self.listen_once(&hub, &shutdown);
            reconnecting("RabbitMQ", "realtime", &self.status, &shutdown, listen).await;
        })
    }
}
