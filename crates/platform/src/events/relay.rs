//! The relay: publishes the outbox to the bus, oldest first, and marks
//! what the bus took. Any replica may run one; a lease in the database lets
//! one relay at a time, and a relay that dies leaves its batch unmarked for
//! the next, which publishes it again: at least once, never out of order.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::backoff::Backoff;
use super::transport::{BusError, Transport};
use super::{store, EventMetrics, EventSettings};
use crate::db::{now_ms, Database};

/// Events published per round.
const BATCH: u32 = 200;
/// How often the outbox's lag is measured for `/metrics`.
const LAG_EVERY: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
enum RelayError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Bus(#[from] BusError),
}

pub struct Relay {
    db: Database,
    transport: Arc<dyn Transport>,
    settings: EventSettings,
    metrics: EventMetrics,
    holder: String,
    /// Until when this relay's lease surely holds (renewed well before).
    lease_until: Option<Instant>,
    /// When this relay last asked for the lease.
    last_ask: Option<Instant>,
}

impl Relay {
    pub(super) fn new(
        db: Database,
        transport: Arc<dyn Transport>,
        settings: EventSettings,
        metrics: EventMetrics,
    ) -> Self {
        let holder = format!("{}-{}", std::process::id(), Uuid::now_v7().simple());
        Self { db, transport, settings, metrics, holder, lease_until: None, last_ask: None }
    }

    pub async fn run(mut self, shutdown: CancellationToken) {
        let mut backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(10));
        let mut lag_measured = Instant::now() - LAG_EVERY;
        while !shutdown.is_cancelled() {
            let pause = match self.round().await {
                Ok(published) if published == BATCH as usize => Duration::ZERO,
                Ok(_) => {
                    backoff.reset();
                    self.settings.relay_poll
                }
                Err(RelayError::Bus(BusError::Stopped)) => break,
                Err(e) => {
                    let pause = backoff.next_delay();
                    tracing::warn!(error = %e, ?pause, "the relay cannot publish; events wait in the outbox");
                    pause
                }
            };
            if lag_measured.elapsed() >= LAG_EVERY {
                self.measure_lag().await;
                lag_measured = Instant::now();
            }
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = shutdown.cancelled() => break,
            }
        }
        if self.lease_until.is_some() {
            let _ = store::release_lease(&self.db, &self.holder).await;
        }
    }

    /// Publishes one batch if this relay holds the lease; how many it published.
    async fn round(&mut self) -> Result<usize, RelayError> {
        if !self.hold_lease().await? {
            return Ok(0);
        }
        let batch = store::pending(&self.db, BATCH).await?;
        if batch.is_empty() {
            return Ok(0);
        }
        self.transport.publish(&batch).await?;
        let ids: Vec<&str> = batch.iter().map(|e| e.id.as_str()).collect();
        store::mark_published(&self.db, &ids).await?;
        self.metrics.published.inc_by(batch.len() as u64);
        Ok(batch.len())
    }

    /// Renews the lease when a third of it is gone (a write, so not every
    /// round); a relay without it asks again as rarely.
    async fn hold_lease(&mut self) -> Result<bool, sqlx::Error> {
        let lease = self.settings.relay_lease;
        let renew_at = self.lease_until.map(|until| until - lease * 2 / 3);
        if renew_at.is_some_and(|at| Instant::now() < at) {
            return Ok(true);
        }
        if self.lease_until.is_none() && self.asked_recently(lease) {
            return Ok(false);
        }
        let asked = Instant::now();
        let held = store::take_lease(&self.db, &self.holder, lease).await?;
        self.lease_until = held.then(|| asked + lease);
        self.last_ask = Some(asked);
        Ok(held)
    }

    fn asked_recently(&self, lease: Duration) -> bool {
        self.last_ask.is_some_and(|at| at.elapsed() < lease / 3)
    }

    async fn measure_lag(&self) {
        match store::lag(&self.db).await {
            Ok((waiting, oldest)) => {
                self.metrics.lag_events.set(waiting);
                self.metrics.lag_seconds.set(oldest.map(|at| (now_ms() - at).max(0) / 1000).unwrap_or(0));
            }
            Err(e) => tracing::debug!(error = %e, "cannot measure the outbox's lag"),
        }
    }
}
