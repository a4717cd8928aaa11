//! The in-process bus: publishing is handing the relay's batch to every
//! consuming context of this process, each context taking the events in
//! order, and returning once they all settled them. The relay marks the
//! batch published only then, so a crash loses nothing.

use futures::future::BoxFuture;
use tokio_util::sync::CancellationToken;

use super::transport::{BusError, Transport};
use super::{Consumer, Event};

pub struct InProcess {
    consumer: Consumer,
    shutdown: CancellationToken,
}

impl InProcess {
    pub fn new(consumer: Consumer, shutdown: CancellationToken) -> Self {
        Self { consumer, shutdown }
    }
}

impl Transport for InProcess {
    fn publish<'a>(&'a self, events: &'a [Event]) -> BoxFuture<'a, Result<(), BusError>> {
        Box::pin(async move {
            let contexts: Vec<String> = self.consumer.handlers().contexts().map(String::from).collect();
            // The contexts do not wait for one another, as they would not on
            // a broker: one context's commit (a disk flush on PostgreSQL) no
            // longer holds up the others', which made a surge of events queue.
            let deliveries = contexts.iter().map(|context| async move {
                for event in events {
                    self.consumer.deliver(context, event, &self.shutdown).await?;
                }
                Ok(())
            });
            futures::future::try_join_all(deliveries).await.map_err(|_: super::consumer::Stopped| BusError::Stopped)?;
            Ok(())
        })
    }

    fn consume(&self, _: String, _: Consumer, _: CancellationToken) -> BoxFuture<'static, ()> {
        // Delivery happens in `publish`.
        Box::pin(async {})
    }
}
