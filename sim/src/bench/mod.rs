//! `sim bench`: measurements that need the real binaries and the simulators together.

pub mod fanout;
pub mod latency;

use std::path::PathBuf;

use anyhow::{Result, bail};
use sim::gateway::{Latency, LatencyRange};

/// The directory holding this `sim` binary, where `supervisor` and `worker` are built too.
pub fn bin_dir() -> Result<PathBuf> {
    let me = std::env::current_exe()?;
    Ok(me.parent().map(PathBuf::from).unwrap_or_default())
}

/// The `worker` binary beside this `sim` binary (both live in the same target directory).
pub fn sibling_binary(name: &str) -> Result<PathBuf> {
    let me = std::env::current_exe()?;
    let path = me.with_file_name(name);
    if !path.is_file() {
        bail!(
            "{} not found; build it first (cargo build --release -p {name})",
            path.display()
        );
    }
    Ok(path)
}

/// Parses `MIN..MAX` (milliseconds, e.g. `20..80`) as a range each gateway reply's latency
/// is drawn from.
pub fn parse_reply_latency(text: &str) -> Result<LatencyRange, String> {
    let (min, max) = text
        .split_once("..")
        .ok_or_else(|| format!("`{text}` is not MIN..MAX in milliseconds, e.g. 20..80"))?;
    let ms = |part: &str| {
        part.trim()
            .parse::<u64>()
            .map_err(|_| format!("`{part}` in `{text}` is not a number of milliseconds"))
    };
    let (min_ms, max_ms) = (ms(min)?, ms(max)?);
    if min_ms > max_ms {
        return Err(format!("`{text}`: MIN is above MAX"));
    }
    Ok(LatencyRange { min_ms, max_ms })
}

/// Every kind of gateway reply (account data, contract details, market data) delayed by a
/// seeded draw from `reply`.
pub fn reply_latency(reply: LatencyRange) -> Latency {
    Latency {
        seed: 1,
        account: reply,
        contract_details: reply,
        market_data: reply,
    }
}

/// How a reply latency reads in a result line.
pub fn describe(reply: LatencyRange) -> String {
    if reply.max_ms == 0 {
        "no reply latency".to_string()
    } else {
        format!("reply latency {}..{} ms", reply.min_ms, reply.max_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_latency_ranges_parse_and_bad_ones_say_why() {
        assert_eq!(
            parse_reply_latency("20..80"),
            Ok(LatencyRange {
                min_ms: 20,
                max_ms: 80
            })
        );
        assert_eq!(parse_reply_latency("0..0").map(|r| r.max_ms), Ok(0));
        assert!(parse_reply_latency("80..20").unwrap_err().contains("above"));
        assert!(parse_reply_latency("20").unwrap_err().contains("MIN..MAX"));
        assert!(parse_reply_latency("a..2").unwrap_err().contains("`a`"));
    }
}
