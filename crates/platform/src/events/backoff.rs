//! Waiting between reconnections: doubling up to a ceiling, with jitter so
//! that replicas cut off together do not all come back in the same instant.

use std::future::Future;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::BusStatus;

/// Runs `listen` (connect, then consume until the link fails) again and
/// again with backoff until it returns `Ok` (it stopped) or `shutdown`.
/// `listen` marks the bus up once connected; a link that had come up starts
/// the backoff from the floor again.
pub async fn reconnecting<F, Fut>(bus: &str, context: &str, status: &BusStatus, shutdown: &CancellationToken, listen: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let mut backoff = Backoff::new(Duration::from_millis(200), Duration::from_secs(10));
    while !shutdown.is_cancelled() {
        let Err(error) = listen().await else { break };
        if status.describe() == "up" {
            backoff.reset();
        }
        status.set(false);
        let pause = backoff.next_delay();
        tracing::warn!(%context, %error, ?pause, "lost the {bus} connection; connecting again");
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = shutdown.cancelled() => break,
        }
    }
}

pub struct Backoff {
    next: Duration,
    ceiling: Duration,
    floor: Duration,
}

impl Backoff {
    pub fn new(floor: Duration, ceiling: Duration) -> Self {
        Self { next: floor, ceiling, floor }
    }

    /// The next pause: between half and all of the current step.
    pub fn next_delay(&mut self) -> Duration {
        let step = self.next;
        self.next = (self.next * 2).min(self.ceiling);
        step / 2 + step.mul_f64(jitter() / 2.0)
    }

    /// After a success the next failure starts from the floor again.
    pub fn reset(&mut self) {
        self.next = self.floor;
    }
}

/// A number in [0, 1).
fn jitter() -> f64 {
    let mut bytes = [0u8; 4];
    if getrandom::fill(&mut bytes).is_err() {
        return 0.5;
    }
    f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_to_the_ceiling_and_stays_within_its_step() {
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(1));
        let delays: Vec<Duration> = (0..6).map(|_| backoff.next_delay()).collect();
        for (delay, step) in delays.iter().zip([100, 200, 400, 800, 1000, 1000]) {
            assert!(*delay >= Duration::from_millis(step / 2) && *delay <= Duration::from_millis(step), "{delay:?}");
        }
        backoff.reset();
        assert!(backoff.next_delay() <= Duration::from_millis(100));
    }
}
