//! Domain events between contexts: the outbox relay, the bus that carries
//! events (in-process, RabbitMQ or Redis Streams, by `ATHLOS_BUS_URL`), and
//! the consumers that hand each event to the contexts that asked for it,
//! once per context however often it is delivered.
//!
//! A change writes its event to the outbox in its own transaction
//! ([`crate::outbox::record`]); the [`relay`] publishes the outbox in order;
//! each consuming context handles an event in a transaction that also
//! writes the event's inbox row ([`consumer`]). See `docs/events.md`.

mod amqp;
mod backoff;
pub mod consumer;
mod event;
mod handlers;
mod memory;
mod metrics;
mod redis;
pub mod relay;
mod runtime;
pub mod store;
mod transport;

pub use consumer::{Consumer, Delivery};
pub use event::Event;
pub use handlers::{EventHandlers, HandlerError};
pub use metrics::EventMetrics;
pub use runtime::{BusStatus, EventSettings, Events};
pub use transport::BusError;

pub(crate) use amqp::{next_delivery, within};
pub(crate) use backoff::reconnecting;
