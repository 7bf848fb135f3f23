//! The US equity market calendar (NYSE), in America/New_York: regular sessions 09:30–16:00,
//! full holidays with their observed-date rules, early closes at 13:00, and one-off closures.
//! Rule-based, tested against the published calendars for 2025–2030.

use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time, Weekday};
use time_tz::{OffsetDateTimeExt, PrimitiveDateTimeExt, timezones};

/// Closures outside the rules (national days of mourning).
const SPECIAL_CLOSURES: [(i32, Month, u8, &str); 1] = [(
    2025,
    Month::January,
    9,
    "National Day of Mourning (President Carter)",
)];

/// The regular open, New York time.
pub const OPEN: Time = time::macros::time!(09:30);
/// The regular close, New York time.
pub const CLOSE: Time = time::macros::time!(16:00);
/// The close on early-close days, New York time.
pub const EARLY_CLOSE: Time = time::macros::time!(13:00);

fn date(year: i32, month: Month, day: u8) -> Option<Date> {
    Date::from_calendar_date(year, month, day).ok()
}

/// The `n`th (1-based) `weekday` of a month.
fn nth_weekday(year: i32, month: Month, weekday: Weekday, n: u8) -> Option<Date> {
    let first = date(year, month, 1)?;
    let offset =
        (7 + weekday.number_days_from_monday() - first.weekday().number_days_from_monday()) % 7;
    first.checked_add(Duration::days(i64::from(offset + 7 * (n - 1))))
}

/// The last `weekday` of a month.
fn last_weekday(year: i32, month: Month, weekday: Weekday) -> Option<Date> {
    let next_month_first = match month {
        Month::December => date(year + 1, Month::January, 1)?,
        _ => date(year, month.next(), 1)?,
    };
    let last = next_month_first.previous_day()?;
    let back =
        (7 + last.weekday().number_days_from_monday() - weekday.number_days_from_monday()) % 7;
    last.checked_sub(Duration::days(i64::from(back)))
}

/// Easter Sunday (Gregorian, anonymous algorithm).
fn easter(year: i32) -> Option<Date> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    date(year, Month::try_from(month as u8).ok()?, day as u8)
}

/// A fixed-date holiday moved to Friday when on Saturday and Monday when on Sunday.
fn observed(day: Date) -> Date {
    match day.weekday() {
        Weekday::Saturday => day.previous_day().unwrap_or(day),
        Weekday::Sunday => day.next_day().unwrap_or(day),
        _ => day,
    }
}

/// Every full-day market holiday of `year`, in date order, with its name.
pub fn holidays(year: i32) -> Vec<(Date, &'static str)> {
    let mut list: Vec<(Date, &'static str)> = Vec::new();
    let mut add = |day: Option<Date>, name: &'static str| {
        if let Some(day) = day {
            list.push((day, name));
        }
    };
    // New Year's Day on a Saturday is not observed on the Friday before (NYSE rule).
    if let Some(new_year) = date(year, Month::January, 1)
        && new_year.weekday() != Weekday::Saturday
    {
        add(Some(observed(new_year)), "New Year's Day");
    }
    add(
        nth_weekday(year, Month::January, Weekday::Monday, 3),
        "Martin Luther King Jr. Day",
    );
    add(
        nth_weekday(year, Month::February, Weekday::Monday, 3),
        "Washington's Birthday",
    );
    add(
        easter(year).and_then(|e| e.checked_sub(Duration::days(2))),
        "Good Friday",
    );
    add(
        last_weekday(year, Month::May, Weekday::Monday),
        "Memorial Day",
    );
    if year >= 2022 {
        add(date(year, Month::June, 19).map(observed), "Juneteenth");
    }
    add(date(year, Month::July, 4).map(observed), "Independence Day");
    add(
        nth_weekday(year, Month::September, Weekday::Monday, 1),
        "Labor Day",
    );
    add(
        nth_weekday(year, Month::November, Weekday::Thursday, 4),
        "Thanksgiving Day",
    );
    add(
        date(year, Month::December, 25).map(observed),
        "Christmas Day",
    );
    for (y, month, day, name) in SPECIAL_CLOSURES {
        if y == year {
            add(date(y, month, day), name);
        }
    }
    list.sort();
    list
}

/// Why the market is closed all day on `day`, if it is.
pub fn closed_reason(day: Date) -> Option<&'static str> {
    if matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
        return Some("weekend");
    }
    holidays(day.year())
        .into_iter()
        .find(|(d, _)| *d == day)
        .map(|(_, name)| name)
}

/// Whether `day` is a trading day that closes at 13:00: July 3 before Independence Day, the
/// day after Thanksgiving, and Christmas Eve.
pub fn is_early_close(day: Date) -> bool {
    if closed_reason(day).is_some() {
        return false;
    }
    let year = day.year();
    let july_3 = date(year, Month::July, 3);
    let after_thanksgiving =
        nth_weekday(year, Month::November, Weekday::Thursday, 4).and_then(|d| d.next_day());
    let christmas_eve = date(year, Month::December, 24);
    Some(day) == july_3 || Some(day) == after_thanksgiving || Some(day) == christmas_eve
}

/// The session of `day` as UTC instants (open, close), or `None` on a closed day.
pub fn session(day: Date) -> Option<(OffsetDateTime, OffsetDateTime)> {
    if closed_reason(day).is_some() {
        return None;
    }
    let close = if is_early_close(day) {
        EARLY_CLOSE
    } else {
        CLOSE
    };
    let ny = timezones::db::america::NEW_YORK;
    let open = PrimitiveDateTime::new(day, OPEN)
        .assume_timezone(ny)
        .take_first()?;
    let close = PrimitiveDateTime::new(day, close)
        .assume_timezone(ny)
        .take_first()?;
    Some((open, close))
}

/// The New York calendar date of `at`.
pub fn new_york_date(at: OffsetDateTime) -> Date {
    at.to_timezone(timezones::db::america::NEW_YORK).date()
}

/// The start (midnight, New York time) of the New York day `at` falls in.
pub fn new_york_day_start(at: OffsetDateTime) -> Option<OffsetDateTime> {
    PrimitiveDateTime::new(new_york_date(at), Time::MIDNIGHT)
        .assume_timezone(timezones::db::america::NEW_YORK)
        .take_first()
}

/// Whether the market is in its regular session at `at`.
pub fn is_open(at: OffsetDateTime) -> bool {
    session(new_york_date(at)).is_some_and(|(open, close)| open <= at && at < close)
}

/// The first session open after `at` (today's, if `at` is before it).
pub fn next_open(at: OffsetDateTime) -> Option<OffsetDateTime> {
    let mut day = new_york_date(at);
    for _ in 0..15 {
        if let Some((open, _)) = session(day)
            && open > at
        {
            return Some(open);
        }
        day = day.next_day()?;
    }
    None
}

/// The close of the session `at` falls in, when the market is open.
pub fn session_close(at: OffsetDateTime) -> Option<OffsetDateTime> {
    session(new_york_date(at))
        .filter(|(open, close)| *open <= at && at < *close)
        .map(|(_, close)| close)
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn holidays_2025_to_2030_match_the_published_calendars() {
        let expected: [(i32, &[Date]); 6] = [
            (
                2025,
                &[
                    date!(2025 - 01 - 01),
                    date!(2025 - 01 - 09),
                    date!(2025 - 01 - 20),
                    date!(2025 - 02 - 17),
                    date!(2025 - 04 - 18),
                    date!(2025 - 05 - 26),
                    date!(2025 - 06 - 19),
                    date!(2025 - 07 - 04),
                    date!(2025 - 09 - 01),
                    date!(2025 - 11 - 27),
                    date!(2025 - 12 - 25),
                ],
            ),
            (
                2026,
                &[
                    date!(2026 - 01 - 01),
                    date!(2026 - 01 - 19),
                    date!(2026 - 02 - 16),
                    date!(2026 - 04 - 03),
                    date!(2026 - 05 - 25),
                    date!(2026 - 06 - 19),
                    date!(2026 - 07 - 03),
                    date!(2026 - 09 - 07),
                    date!(2026 - 11 - 26),
                    date!(2026 - 12 - 25),
                ],
            ),
            (
                2027,
                &[
                    date!(2027 - 01 - 01),
                    date!(2027 - 01 - 18),
                    date!(2027 - 02 - 15),
                    date!(2027 - 03 - 26),
                    date!(2027 - 05 - 31),
                    date!(2027 - 06 - 18),
                    date!(2027 - 07 - 05),
                    date!(2027 - 09 - 06),
                    date!(2027 - 11 - 25),
                    date!(2027 - 12 - 24),
                ],
            ),
            (
                2028,
                &[
                    date!(2028 - 01 - 17),
                    date!(2028 - 02 - 21),
                    date!(2028 - 04 - 14),
                    date!(2028 - 05 - 29),
                    date!(2028 - 06 - 19),
                    date!(2028 - 07 - 04),
                    date!(2028 - 09 - 04),
                    date!(2028 - 11 - 23),
                    date!(2028 - 12 - 25),
                ],
            ),
            (
                2029,
                &[
                    date!(2029 - 01 - 01),
                    date!(2029 - 01 - 15),
                    date!(2029 - 02 - 19),
                    date!(2029 - 03 - 30),
                    date!(2029 - 05 - 28),
                    date!(2029 - 06 - 19),
                    date!(2029 - 07 - 04),
                    date!(2029 - 09 - 03),
                    date!(2029 - 11 - 22),
                    date!(2029 - 12 - 25),
                ],
            ),
            (
                2030,
                &[
                    date!(2030 - 01 - 01),
                    date!(2030 - 01 - 21),
                    date!(2030 - 02 - 18),
                    date!(2030 - 04 - 19),
                    date!(2030 - 05 - 27),
                    date!(2030 - 06 - 19),
                    date!(2030 - 07 - 04),
                    date!(2030 - 09 - 02),
                    date!(2030 - 11 - 28),
                    date!(2030 - 12 - 25),
                ],
            ),
        ];
        for (year, days) in expected {
            let got: Vec<Date> = holidays(year).into_iter().map(|(d, _)| d).collect();
            assert_eq!(got, days.to_vec(), "{year}");
        }
    }

    #[test]
    fn observed_dates_follow_the_weekend_rules() {
        assert_eq!(
            closed_reason(date!(2026 - 07 - 03)),
            Some("Independence Day"),
            "July 4 on a Saturday: Friday"
        );
        assert_eq!(
            closed_reason(date!(2027 - 07 - 05)),
            Some("Independence Day"),
            "July 4 on a Sunday: Monday"
        );
        assert_eq!(closed_reason(date!(2027 - 12 - 24)), Some("Christmas Day"));
        assert_eq!(
            closed_reason(date!(2027 - 12 - 31)),
            None,
            "New Year's Day 2028 (a Saturday) is not observed"
        );
        assert_eq!(closed_reason(date!(2027 - 06 - 18)), Some("Juneteenth"));
        assert_eq!(closed_reason(date!(2026 - 11 - 28)), Some("weekend"));
    }

    #[test]
    fn early_closes_are_1pm() {
        for day in [
            date!(2025 - 07 - 03),
            date!(2025 - 11 - 28),
            date!(2025 - 12 - 24),
            date!(2026 - 11 - 27),
            date!(2026 - 12 - 24),
            date!(2028 - 07 - 03),
            date!(2029 - 12 - 24),
            date!(2030 - 07 - 03),
        ] {
            assert!(is_early_close(day), "{day}");
        }
        for day in [
            date!(2026 - 07 - 02),
            date!(2026 - 07 - 03),
            date!(2027 - 12 - 24),
            date!(2025 - 12 - 23),
        ] {
            assert!(!is_early_close(day), "{day}");
        }
        let (_, close) = session(date!(2025 - 11 - 28)).unwrap();
        assert_eq!(close, datetime!(2025-11-28 18:00 UTC), "13:00 EST");
    }

    #[test]
    fn sessions_follow_new_york_daylight_saving() {
        let (open, close) = session(date!(2026 - 07 - 01)).unwrap();
        assert_eq!(
            (open, close),
            (
                datetime!(2026-07-01 13:30 UTC),
                datetime!(2026-07-01 20:00 UTC)
            ),
            "EDT"
        );
        let (open, _) = session(date!(2026 - 01 - 05)).unwrap();
        assert_eq!(open, datetime!(2026-01-05 14:30 UTC), "EST");
        assert!(is_open(datetime!(2026-07-01 15:00 UTC)));
        assert!(!is_open(datetime!(2026-07-01 20:00 UTC)));
        assert!(!is_open(datetime!(2026-07-04 15:00 UTC)));
    }

    #[test]
    fn next_open_skips_nights_weekends_and_holidays() {
        // Wednesday 08:00 New York: that morning.
        assert_eq!(
            next_open(datetime!(2026-07-01 12:00 UTC)),
            Some(datetime!(2026-07-01 13:30 UTC))
        );
        // Thursday July 2 after the close: Friday July 3 is a holiday, so Monday July 6.
        assert_eq!(
            next_open(datetime!(2026-07-02 21:00 UTC)),
            Some(datetime!(2026-07-06 13:30 UTC))
        );
        // Saturday: Monday.
        assert_eq!(
            next_open(datetime!(2026-11-28 15:00 UTC)),
            Some(datetime!(2026-11-30 14:30 UTC))
        );
        // During a session: the next day's open.
        assert_eq!(
            next_open(datetime!(2026-07-01 16:00 UTC)),
            Some(datetime!(2026-07-02 13:30 UTC))
        );
        assert_eq!(
            session_close(datetime!(2026-07-01 16:00 UTC)),
            Some(datetime!(2026-07-01 20:00 UTC))
        );
        assert_eq!(session_close(datetime!(2026-07-01 21:00 UTC)), None);
        assert_eq!(
            new_york_day_start(datetime!(2026-07-02 03:00 UTC)),
            Some(datetime!(2026-07-01 04:00 UTC)),
            "23:00 on July 1 in New York"
        );
    }
}
