//! When a rebalance may run: in the regular session and not within the close buffer;
//! otherwise at the next session's open plus the configured delay.

use std::time::Duration;

use time::OffsetDateTime;
use trading_core::calendar;

/// When a rebalance arriving at `now` should start: `None` for now, otherwise the time.
pub fn defer_until(
    now: OffsetDateTime,
    open_delay: Duration,
    close_buffer: Duration,
) -> Option<OffsetDateTime> {
    match calendar::session_close(now) {
        Some(close) if now + close_buffer < close => None,
        _ => calendar::next_open(now).map(|open| open + open_delay),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const DELAY: Duration = Duration::from_secs(300);
    const BUFFER: Duration = Duration::from_secs(900);

    #[test]
    fn events_by_time_of_day() {
        // 2026-07-01 is a Wednesday; New York is UTC-4.
        assert_eq!(
            defer_until(datetime!(2026-07-01 12:00 UTC), DELAY, BUFFER),
            Some(datetime!(2026-07-01 13:35 UTC)),
            "08:00: at 09:35"
        );
        assert_eq!(
            defer_until(datetime!(2026-07-01 16:00 UTC), DELAY, BUFFER),
            None,
            "12:00: now"
        );
        assert_eq!(
            defer_until(datetime!(2026-07-01 19:45 UTC), DELAY, BUFFER),
            Some(datetime!(2026-07-02 13:35 UTC)),
            "15:45: within the buffer, next morning"
        );
        assert_eq!(
            defer_until(datetime!(2026-07-01 19:40 UTC), DELAY, BUFFER),
            None,
            "15:40: 20 minutes left"
        );
    }

    #[test]
    fn weekends_holidays_and_early_closes() {
        assert_eq!(
            defer_until(datetime!(2026-11-28 16:00 UTC), DELAY, BUFFER),
            Some(datetime!(2026-11-30 14:35 UTC)),
            "Saturday: Monday"
        );
        assert_eq!(
            defer_until(datetime!(2026-07-03 15:00 UTC), DELAY, BUFFER),
            Some(datetime!(2026-07-06 13:35 UTC)),
            "Independence Day observed"
        );
        assert_eq!(
            defer_until(datetime!(2026-11-27 17:50 UTC), DELAY, BUFFER),
            Some(datetime!(2026-11-30 14:35 UTC)),
            "12:50 on an early-close day"
        );
    }
}
