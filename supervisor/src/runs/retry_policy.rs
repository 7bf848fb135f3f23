//! When to retry a failed run: soon while the day's retries last, then at each next session
//! until the retry window closes.

use time::OffsetDateTime;
use trading_core::calendar;
use trading_core::config::SupervisorSettings;

/// The decision for a failed run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Try again at this time.
    At(OffsetDateTime),
    /// Give up: the retry window is over.
    Exhausted,
}

/// Decides for a failure at `now` of a chain of runs created at `tries` (the first failure
/// included).
pub fn next_retry(
    now: OffsetDateTime,
    tries: &[OffsetDateTime],
    policy: &SupervisorSettings,
) -> Retry {
    let first = tries.iter().min().copied().unwrap_or(now);
    let today = calendar::new_york_day_start(now).unwrap_or(now);
    let tries_today = tries.iter().filter(|t| **t >= today).count() as u32;
    if tries_today <= policy.max_retries {
        return Retry::At(now + policy.retry_delay);
    }
    let days = (now - first).whole_days();
    match calendar::next_open(now) {
        Some(open) if days < i64::from(policy.max_retry_days) => {
            Retry::At(open + policy.open_delay)
        }
        _ => Retry::Exhausted,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use time::macros::datetime;

    use super::*;

    fn policy() -> SupervisorSettings {
        SupervisorSettings {
            max_retries: 2,
            max_retry_days: 3,
            retry_delay: Duration::from_secs(300),
            ..SupervisorSettings::default()
        }
    }

    #[test]
    fn retries_within_the_day_then_at_each_open_then_gives_up() {
        let monday_noon = datetime!(2026-11-30 17:00 UTC);
        assert_eq!(
            next_retry(monday_noon, &[monday_noon], &policy()),
            Retry::At(datetime!(2026-11-30 17:05 UTC))
        );
        let three_today = [
            datetime!(2026-11-30 15:00 UTC),
            datetime!(2026-11-30 15:05 UTC),
            datetime!(2026-11-30 15:10 UTC),
        ];
        assert_eq!(
            next_retry(monday_noon, &three_today, &policy()),
            Retry::At(datetime!(2026-12-01 14:35 UTC)),
            "tomorrow's open"
        );
        // Tuesday's try counts as one of Tuesday's; the day's retries are fresh.
        let tuesday = datetime!(2026-12-01 14:40 UTC);
        let mut tries = three_today.to_vec();
        tries.push(datetime!(2026-12-01 14:35 UTC));
        assert_eq!(
            next_retry(tuesday, &tries, &policy()),
            Retry::At(datetime!(2026-12-01 14:45 UTC))
        );
        // Four days after the first failure, with today's retries spent: give up.
        let friday = datetime!(2026-12-04 18:00 UTC);
        let spent = [
            datetime!(2026-11-30 15:00 UTC),
            datetime!(2026-12-04 15:00 UTC),
            datetime!(2026-12-04 16:00 UTC),
            datetime!(2026-12-04 17:00 UTC),
        ];
        assert_eq!(next_retry(friday, &spent, &policy()), Retry::Exhausted);
    }

    #[test]
    fn no_day_based_retries_when_disabled() {
        let policy = SupervisorSettings {
            max_retry_days: 0,
            ..policy()
        };
        let now = datetime!(2026-11-30 17:00 UTC);
        let spent = [now, now, now];
        assert_eq!(next_retry(now, &spent, &policy), Retry::Exhausted);
    }
}
