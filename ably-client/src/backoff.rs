//! Reconnect delays: exponential from a base to a cap, each multiplied by a jitter factor
//! between 0.8 and 1.0 (Ably's RTB1b range) so that many clients do not retry in step.

use std::time::Duration;

/// Exponential backoff with jitter.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    base: Duration,
    max: Duration,
    attempt: u32,
}

impl Backoff {
    /// Starts at `base`, never exceeds `max` (`max` below `base` is raised to `base`).
    pub(crate) fn new(base: Duration, max: Duration) -> Self {
        Self {
            base,
            max: max.max(base),
            attempt: 0,
        }
    }

    /// The next delay, with jitter from `fastrand`.
    pub(crate) fn next_delay(&mut self) -> Duration {
        self.next_delay_with(fastrand::f64())
    }

    /// The next delay with `unit` in `[0, 1)` choosing the jitter factor in `[0.8, 1.0)`.
    pub(crate) fn next_delay_with(&mut self, unit: f64) -> Duration {
        let factor = 2u32.saturating_pow(self.attempt.min(31));
        let raw = self.base.saturating_mul(factor).min(self.max);
        self.attempt = self.attempt.saturating_add(1);
        raw.mul_f64(0.8 + 0.2 * unit.clamp(0.0, 1.0))
    }

    /// The longest delay (for fatal errors, which are retried slowly).
    pub(crate) fn max(&self) -> Duration {
        self.max
    }

    /// Back to the base delay (after a successful connection).
    pub(crate) fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn doubles_until_the_cap() {
        let mut b = Backoff::new(100 * MS, 1000 * MS);
        let delays: Vec<_> = (0..6).map(|_| b.next_delay_with(1.0)).collect();
        assert_eq!(
            delays,
            [100 * MS, 200 * MS, 400 * MS, 800 * MS, 1000 * MS, 1000 * MS]
        );
    }

    #[test]
    fn jitter_stays_between_80_and_100_percent() {
        let mut b = Backoff::new(100 * MS, 100 * MS);
        assert_eq!(b.next_delay_with(0.0), 80 * MS);
        for _ in 0..200 {
            let d = b.next_delay();
            assert!(d >= 80 * MS && d <= 100 * MS, "{d:?}");
        }
    }

    #[test]
    fn reset_returns_to_base_and_huge_attempts_do_not_overflow() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(30));
        for _ in 0..100 {
            assert!(b.next_delay_with(1.0) <= Duration::from_secs(30));
        }
        b.reset();
        assert_eq!(b.next_delay_with(1.0), Duration::from_secs(1));
        assert_eq!(b.max(), Duration::from_secs(30));
    }
}
