//! Handing one delivered event to one consuming context: once, in the
//! handler's own transaction with the inbox row, retried in place on
//! failure (so events behind it about the same subject wait their turn),
//! and dead after the last attempt (so the rest flow on).

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::backoff::Backoff;
use super::handlers::Handler;
use super::{store, Event, EventHandlers, EventMetrics, EventSettings};
use crate::db::Database;

/// What became of a delivery; the bus acknowledges all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    Handled,
    /// Its inbox row was there: a duplicate delivery.
    AlreadyHandled,
    /// The context has no handler for this kind.
    Ignored,
    /// Every attempt failed; it waits in the dead letters.
    Dead,
}

/// The process is stopping; the event was not settled and will be delivered again.
#[derive(Debug)]
pub struct Stopped;

enum Failure {
    /// The handler failed: an attempt counts.
    Handler(String),
    /// The database failed around it: try again, counting nothing.
    Infrastructure(sqlx::Error),
}

#[derive(Clone)]
pub struct Consumer {
    db: Database,
    handlers: EventHandlers,
    settings: EventSettings,
    metrics: EventMetrics,
}

impl Consumer {
    pub fn new(db: Database, handlers: EventHandlers, settings: EventSettings, metrics: EventMetrics) -> Self {
        Self { db, handlers, settings, metrics }
    }

    pub fn handlers(&self) -> &EventHandlers {
        &self.handlers
    }

    /// Settles `event` for `context`, trying as often as the settings allow.
    pub async fn deliver(
        &self,
        context: &str,
        event: &Event,
        shutdown: &CancellationToken,
    ) -> Result<Delivery, Stopped> {
        let Some(handler) = self.handlers.get(context, &event.kind) else { return Ok(Delivery::Ignored) };
        let label = EventMetrics::context(context);
        let mut outage = Backoff::new(Duration::from_millis(100), Duration::from_secs(5));
        loop {
            let failure = match self.attempt(context, event, &handler).await {
                Ok(delivery) => {
                    if delivery == Delivery::Handled {
                        self.metrics.handled.get_or_create(&label).inc();
                    }
                    return Ok(delivery);
                }
                Err(failure) => failure,
            };
            let pause = match failure {
                Failure::Infrastructure(e) => {
                    tracing::warn!(%context, event = %event.id, error = %e, "the database failed around an event; trying again");
                    outage.next_delay()
                }
                Failure::Handler(error) => {
                    self.metrics.failed.get_or_create(&label).inc();
                    match self.count_failure(context, event, &error).await {
                        Ok(Some(pause)) => pause,
                        Ok(None) => return Ok(Delivery::Dead),
                        Err(e) => {
                            tracing::warn!(%context, event = %event.id, error = %e, "cannot count a failure");
                            outage.next_delay()
                        }
                    }
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = shutdown.cancelled() => return Err(Stopped),
            }
        }
    }

    async fn attempt(&self, context: &str, event: &Event, handler: &Handler) -> Result<Delivery, Failure> {
        let mut tx = self.db.begin().await.map_err(Failure::Infrastructure)?;
        if !store::claim_inbox(&mut tx, context, &event.id).await.map_err(Failure::Infrastructure)? {
            tx.commit().await.map_err(Failure::Infrastructure)?;
            return Ok(Delivery::AlreadyHandled);
        }
        let mut tx = handler(event.clone(), tx).await.map_err(|e| Failure::Handler(e.0))?;
        store::clear_failure(&mut tx, context, &event.id).await.map_err(Failure::Infrastructure)?;
        tx.commit().await.map_err(Failure::Infrastructure)?;
        Ok(Delivery::Handled)
    }

    /// Counts the failure; the pause before the next attempt, or none when
    /// that was the last and the event is now dead.
    async fn count_failure(&self, context: &str, event: &Event, error: &str) -> Result<Option<Duration>, sqlx::Error> {
        let attempts = store::record_failure(&self.db, context, event, error).await?;
        tracing::warn!(%context, event = %event.id, kind = %event.kind, attempts, %error, "an event handler failed");
        if attempts < i64::from(self.settings.max_attempts) {
            let exponent = (attempts - 1).clamp(0, 16) as u32;
            return Ok(Some((self.settings.retry_base * 2u32.pow(exponent)).min(Duration::from_secs(60))));
        }
        store::mark_dead(&self.db, context, &event.id).await?;
        self.metrics.dead.get_or_create(&EventMetrics::context(context)).inc();
        tracing::error!(%context, event = %event.id, kind = %event.kind, attempts, "event dead; `athlos events replay` brings it back");
        Ok(None)
    }
}
