//! Field validators shared by the configuration files: each rejects a bad value while the
//! YAML is read, so the error points at the value's line and column.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use serde::de::{Deserializer, Error, Visitor};

/// Reads a number and checks it while the deserializer still points at it, so that a
/// rejection carries the value's own line, column and field path.
fn number<'de, D, T>(de: D, check: impl FnOnce(f64) -> Result<T, String>) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    de.deserialize_f64(Checked {
        check,
        expecting: "a number",
        output: PhantomData,
    })
}

/// Reads a string and checks it in place (see [`number`]).
fn text<'de, D, T>(de: D, check: impl FnOnce(&str) -> Result<T, String>) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    de.deserialize_str(CheckedText(Checked {
        check,
        expecting: "a string",
        output: PhantomData,
    }))
}

struct Checked<F, T> {
    check: F,
    expecting: &'static str,
    output: PhantomData<T>,
}

impl<'de, F, T> Visitor<'de> for Checked<F, T>
where
    F: FnOnce(f64) -> Result<T, String>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<T, E> {
        if value.is_finite() {
            (self.check)(value).map_err(E::custom)
        } else {
            Err(E::custom(format!("must be a finite number, got {value}")))
        }
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<T, E> {
        self.visit_f64(value as f64)
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<T, E> {
        self.visit_f64(value as f64)
    }
}

struct CheckedText<F, T>(Checked<F, T>);

impl<'de, F, T> Visitor<'de> for CheckedText<F, T>
where
    F: FnOnce(&str) -> Result<T, String>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.expecting)
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        (self.0.check)(value).map_err(E::custom)
    }
}

/// Writes a [`Duration`] as the number of seconds it reads back from.
pub(crate) fn as_seconds<S: serde::Serializer>(
    duration: &Duration,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(duration.as_secs_f64())
}

/// A percentage: a number from 0 to 100 inclusive.
pub(crate) fn percent<'de, D: Deserializer<'de>>(de: D) -> Result<f64, D::Error> {
    number(de, |v| {
        if (0.0..=100.0).contains(&v) {
            Ok(v)
        } else {
            Err(format!("must be a percentage from 0 to 100, got {v}"))
        }
    })
}

/// A turnover limit in percent of net liquidation: 0 to 400 (selling everything and buying
/// it all back is 200).
pub(crate) fn turnover_percent<'de, D: Deserializer<'de>>(de: D) -> Result<f64, D::Error> {
    number(de, |v| {
        if (0.0..=400.0).contains(&v) {
            Ok(v)
        } else {
            Err(format!("must be a percentage from 0 to 400, got {v}"))
        }
    })
}

/// A number of seconds greater than zero, read as a [`Duration`].
pub(crate) fn positive_seconds<'de, D: Deserializer<'de>>(de: D) -> Result<Duration, D::Error> {
    number(de, |v| {
        if v > 0.0 && v <= 1e9 {
            Ok(Duration::from_secs_f64(v))
        } else {
            Err(format!(
                "must be a number of seconds greater than 0, got {v}"
            ))
        }
    })
}

/// A positive number of hours, at most ten years.
pub(crate) fn positive_hours<'de, D: Deserializer<'de>>(de: D) -> Result<Duration, D::Error> {
    number(de, |v| {
        if v > 0.0 && v <= 87_600.0 {
            Ok(Duration::from_secs_f64(v * 3600.0))
        } else {
            Err(format!(
                "must be a number of hours greater than 0 and at most 87600, got {v}"
            ))
        }
    })
}

/// A duration written as hours.
pub(crate) fn as_hours<S: serde::Serializer>(
    duration: &Duration,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(duration.as_secs_f64() / 3600.0)
}

/// A finite number that is zero or more.
pub(crate) fn non_negative<'de, D: Deserializer<'de>>(de: D) -> Result<f64, D::Error> {
    number(de, |v| {
        if v >= 0.0 {
            Ok(v)
        } else {
            Err(format!("must be 0 or more, got {v}"))
        }
    })
}

/// A finite number strictly greater than zero.
pub(crate) fn positive<'de, D: Deserializer<'de>>(de: D) -> Result<f64, D::Error> {
    number(de, |v| {
        if v > 0.0 {
            Ok(v)
        } else {
            Err(format!("must be greater than 0, got {v}"))
        }
    })
}

/// A fraction in (0, 1].
pub(crate) fn unit_fraction<'de, D: Deserializer<'de>>(de: D) -> Result<f64, D::Error> {
    number(de, |v| {
        if v > 0.0 && v <= 1.0 {
            Ok(v)
        } else {
            Err(format!("must be greater than 0 and at most 1, got {v}"))
        }
    })
}

/// A fraction from 0 to 1 inclusive.
pub(crate) fn fraction<'de, D: Deserializer<'de>>(de: D) -> Result<f64, D::Error> {
    number(de, |v| {
        if (0.0..=1.0).contains(&v) {
            Ok(v)
        } else {
            Err(format!("must be a fraction from 0 to 1, got {v}"))
        }
    })
}

/// A number that is 1 or more (a divisor that can only shrink an amount).
pub(crate) fn at_least_one<'de, D: Deserializer<'de>>(de: D) -> Result<f64, D::Error> {
    number(de, |v| {
        if v >= 1.0 {
            Ok(v)
        } else {
            Err(format!("must be 1 or more, got {v}"))
        }
    })
}

/// A whole number from 1 to 20 (attempts, retries).
pub(crate) fn attempts<'de, D: Deserializer<'de>>(de: D) -> Result<u32, D::Error> {
    number(de, |v| {
        if v.fract() == 0.0 && (1.0..=20.0).contains(&v) {
            Ok(v as u32)
        } else {
            Err(format!("must be a whole number from 1 to 20, got {v}"))
        }
    })
}

/// A number of gateway connections: 1 to 32 (what one gateway accepts).
pub(crate) fn connection_cap<'de, D: Deserializer<'de>>(de: D) -> Result<u32, D::Error> {
    number(de, |v| {
        if v.fract() == 0.0 && (1.0..=32.0).contains(&v) {
            Ok(v as u32)
        } else {
            Err(format!(
                "must be a whole number from 1 to 32 (the gateway accepts 32 clients), got {v}"
            ))
        }
    })
}

/// An `http://` or `https://` URL with a host; a trailing `/` is dropped.
pub(crate) fn http_url<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    text(de, |raw| match reqwest::Url::parse(raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(raw.trim_end_matches('/').to_string())
        }
        _ => Err(format!("`{raw}` is not an http:// or https:// URL")),
    })
}

/// An optional `http://` or `https://` URL (see [`http_url`]).
pub(crate) fn optional_http_url<'de, D: Deserializer<'de>>(
    de: D,
) -> Result<Option<String>, D::Error> {
    struct OptionalUrl;
    impl<'de> Visitor<'de> for OptionalUrl {
        type Value = Option<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an http:// or https:// URL, or null")
        }

        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D2: Deserializer<'de>>(self, de: D2) -> Result<Self::Value, D2::Error> {
            http_url(de).map(Some)
        }
    }
    de.deserialize_option(OptionalUrl)
}

/// A ticker symbol: letters, digits, `.`, `-` or space, stored upper-cased (`brk.b` → `BRK.B`).
pub(crate) fn symbol<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    text(de, |raw| {
        normalize_symbol(raw).ok_or_else(|| format!("`{raw}` is not a ticker symbol"))
    })
}

/// A name used in URLs and channel names: letters, digits, `.`, `_` and `-`.
pub(crate) fn identifier<'de, D: Deserializer<'de>>(de: D) -> Result<String, D::Error> {
    text(de, |raw| {
        let valid = !raw.is_empty()
            && raw.len() <= 128
            && raw
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if valid {
            Ok(raw.to_string())
        } else {
            Err(format!(
                "`{raw}` must be 1 to 128 letters, digits, `.`, `_` or `-`"
            ))
        }
    })
}

/// Trims and upper-cases a ticker symbol; `None` when it is empty or holds other characters.
pub fn normalize_symbol(raw: &str) -> Option<String> {
    let symbol = raw.trim().to_ascii_uppercase();
    let valid = !symbol.is_empty()
        && symbol.len() <= 16
        && symbol
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ' '));
    valid.then_some(symbol)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_are_upper_cased_and_checked() {
        assert_eq!(normalize_symbol(" brk.b ").as_deref(), Some("BRK.B"));
        assert_eq!(normalize_symbol(""), None);
        assert_eq!(normalize_symbol("VT/I"), None);
    }
}
