//! The `rewind` channel parameter: where a first attachment starts, `N` messages back or a
//! time (`30s`, `2m`) back, given in `ATTACH`'s `params` or in a qualified channel name
//! (`[?rewind=1]name`). Ably replays at most [`MAX_MESSAGES`] on a rewind.

use crate::ably::query;
use crate::ably::state::{SimError, codes};

/// The most messages a rewind replays (Ably: "Rewind returns at most 100 messages").
pub const MAX_MESSAGES: usize = 100;

/// Where a rewound attachment starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rewind {
    /// The last `n` messages.
    Messages(usize),
    /// Messages published in the last this many milliseconds.
    Millis(i64),
}

impl Rewind {
    /// Parses a `rewind` value: digits for a count, digits then `s` or `m` for a time.
    pub fn parse(value: &str) -> Result<Self, SimError> {
        let invalid = || {
            SimError::new(
                codes::INVALID_PARAMETER,
                format!("Invalid rewind param: {value}"),
            )
        };
        let (digits, unit_ms) = match value.strip_suffix('s') {
            Some(digits) => (digits, Some(1_000)),
            None => match value.strip_suffix('m') {
                Some(digits) => (digits, Some(60_000)),
                None => (value, None),
            },
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let n: i64 = digits.parse().map_err(|_| invalid())?;
        Ok(match unit_ms {
            Some(unit) => Self::Millis(n.checked_mul(unit).ok_or_else(invalid)?),
            None => Self::Messages(usize::try_from(n).map_err(|_| invalid())?),
        })
    }
}

/// A channel name as an `ATTACH` gives it: the name itself and the parameters of a
/// `[?a=b]name` qualifier, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QualifiedName {
    /// The channel's name without the qualifier.
    pub name: String,
    /// The qualifier's parameters, decoded.
    pub params: Vec<(String, String)>,
}

impl QualifiedName {
    /// Splits `[?rewind=1]name` (or `[meta?rewind=1]name`) into name and parameters; a
    /// name without a qualifier has none.
    pub fn parse(channel: &str) -> Self {
        let qualified = channel
            .strip_prefix('[')
            .and_then(|rest| rest.split_once(']'));
        match qualified {
            Some((qualifier, name)) => Self {
                name: name.to_string(),
                params: qualifier
                    .split_once('?')
                    .map(|(_, q)| query::parse(q))
                    .unwrap_or_default(),
            },
            None => Self {
                name: channel.to_string(),
                params: Vec::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_times_parse_and_anything_else_is_refused_with_40003() {
        assert_eq!(Rewind::parse("1"), Ok(Rewind::Messages(1)));
        assert_eq!(Rewind::parse("250"), Ok(Rewind::Messages(250)));
        assert_eq!(Rewind::parse("30s"), Ok(Rewind::Millis(30_000)));
        assert_eq!(Rewind::parse("2m"), Ok(Rewind::Millis(120_000)));
        for bad in ["", "s", "-1", "1h", "1.5", "x1", "99999999999999999999"] {
            let error = Rewind::parse(bad).unwrap_err();
            assert_eq!((error.code, error.status_code), (40003, 400), "{bad:?}");
            assert!(error.message.contains("rewind"), "{}", error.message);
        }
    }

    #[test]
    fn qualified_names_split_into_name_and_params() {
        let plain = QualifiedName::parse("strategy-a");
        assert_eq!(plain.name, "strategy-a");
        assert!(plain.params.is_empty());
        let rewound = QualifiedName::parse("[?rewind=1]strategy-a");
        assert_eq!(rewound.name, "strategy-a");
        assert_eq!(query::get(&rewound.params, "rewind"), Some("1"));
        let with_meta = QualifiedName::parse("[meta?rewind=30s]x");
        assert_eq!(with_meta.name, "x");
        assert_eq!(query::get(&with_meta.params, "rewind"), Some("30s"));
        assert!(QualifiedName::parse("[meta]x").params.is_empty());
    }
}
