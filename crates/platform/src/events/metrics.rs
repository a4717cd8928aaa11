//! What the bus counts, on `/metrics`: events published, and per consuming
//! context handled, failed (an attempt) and dead; and the outbox's lag.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;

use crate::http::metrics::Metrics;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ContextLabel {
    pub context: String,
}

#[derive(Clone, Default)]
pub struct EventMetrics {
    pub published: Counter,
    pub handled: Family<ContextLabel, Counter>,
    pub failed: Family<ContextLabel, Counter>,
    pub dead: Family<ContextLabel, Counter>,
    /// Events in the outbox not yet published.
    pub lag_events: Gauge,
    /// Age in seconds of the oldest of them (0 when none waits).
    pub lag_seconds: Gauge,
}

impl EventMetrics {
    pub fn register(metrics: &Metrics) -> Self {
        let this = Self::default();
        let mut registry = metrics.registry();
        registry.register("events_published", "Events the relay published to the bus", this.published.clone());
        registry.register("events_handled", "Events a consuming context handled", this.handled.clone());
        registry.register("events_failed", "Failed attempts to handle an event", this.failed.clone());
        registry.register("events_dead", "Events given up on after their last attempt", this.dead.clone());
        registry.register("outbox_lag_events", "Events waiting in the outbox", this.lag_events.clone());
        registry.register(
            "outbox_lag_seconds",
            "Age of the oldest event waiting in the outbox",
            this.lag_seconds.clone(),
        );
        this
    }

    pub fn context(context: &str) -> ContextLabel {
        ContextLabel { context: context.to_string() }
    }
}
