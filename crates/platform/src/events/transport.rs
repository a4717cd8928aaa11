//! What a bus does: publish the relay's events safely and in order, and
//! feed each consuming context its events until the process stops.

use futures::future::BoxFuture;
use tokio_util::sync::CancellationToken;

use super::{Consumer, Event, EventHandlers};

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error(
        "ATHLOS_BUS_URL must start with amqp://, amqps:// or redis:// (or be unset for the in-process bus), not `{0}`"
    )]
    Scheme(String),
    #[error("the bus is unreachable: {0}")]
    Unreachable(String),
    #[error("the bus refused an event: {0}")]
    Refused(String),
    /// The process is stopping.
    #[error("stopping")]
    Stopped,
}

pub trait Transport: Send + Sync {
    /// Returns once the bus holds every event of `events` (or has handled
    /// them, in-process); a failure means some may have to be sent again.
    fn publish<'a>(&'a self, events: &'a [Event]) -> BoxFuture<'a, Result<(), BusError>>;

    /// Feeds `context`'s events to `consumer` until `shutdown`.
    fn consume(&self, context: String, consumer: Consumer, shutdown: CancellationToken) -> BoxFuture<'static, ()>;
}

/// What every consuming context of this build listens to, served here or
/// not: the relay declares all of it, so that no event published before a
/// context's first consumer starts is lost to it.
#[derive(Clone, Debug, Default)]
pub struct Topology {
    /// (context, kinds it handles)
    pub contexts: Vec<(String, Vec<String>)>,
}

impl Topology {
    pub fn of(handlers: &EventHandlers) -> Self {
        let contexts = handlers
            .contexts()
            .map(|c| (c.to_string(), handlers.kinds(c).into_iter().map(String::from).collect()))
            .collect();
        Self { contexts }
    }
}
