//! The in-process bus: publishing is handing each event to every consuming
//! context of this process, in order, and returning once they settled it.
//! The relay marks an event published only then, so a crash loses nothing.

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
            for event in events {
                for context in &contexts {
                    self.consumer.deliver(context, event, &self.shutdown).await.map_err(|_| BusError::Stopped)?;
                }
            }
            Ok(())
        })
    }

    fn consume(&self, _: String, _: Consumer, _: CancellationToken) -> BoxFuture<'static, ()> {
        // Delivery happens in `publish`.
        Box::pin(async {})
    }
}
