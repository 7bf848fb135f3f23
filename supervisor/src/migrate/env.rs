//! The Python rebalancer's `.env`, name by name. The file is carried over as it is (its
//! names are read as aliases of ours, or used by our compose file); a few names move into
//! `config.yaml` or get our name. Values are never printed: some are secrets.

use serde_yaml::Value;
use trading_core::config::environment;

/// What becomes of one `.env` name.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvFate {
    /// Read as it is by the binaries (ours or an alias).
    Read(String),
    /// Used by `docker-compose.yaml`.
    Compose(&'static str),
    /// Moves into `config.yaml` at this key, with this value.
    Config(&'static str, Value),
    /// Appended under our name.
    Renamed(&'static str),
    /// Not used here.
    Dropped(&'static str),
}

/// Names the compose file passes to the gateway container, and what for.
const COMPOSE: [(&str, &str); 5] = [
    (
        "IB_USERNAME",
        "the gateway login (TWS_USERID, TWS_USERID_PAPER)",
    ),
    (
        "IB_PASSWORD",
        "the gateway password (TWS_PASSWORD, TWS_PASSWORD_PAPER)",
    ),
    (
        "VNC_PASSWORD",
        "VNC to the gateway on 127.0.0.1:5900 (off when unset)",
    ),
    ("AUTO_RESTART_TIME", "the gateway's daily restart"),
    (
        "TRADING_MODE",
        "paper or live, for the gateway and the supervisor",
    ),
];

/// Names the Python system used that mean nothing here, and why.
const DROPPED: [(&str, &str); 11] = [
    (
        "COMPOSE_PROJECT_NAME",
        "compose reads it itself; nothing to migrate",
    ),
    (
        "IB_LIVE_API_PORT",
        "our compose file binds 127.0.0.1:4003; edit it there",
    ),
    (
        "IB_PAPER_API_PORT",
        "our compose file binds 127.0.0.1:4004; edit it there",
    ),
    (
        "VNC_PORT",
        "our compose file binds 127.0.0.1:5900; edit it there",
    ),
    ("VNC_BIND_ADDRESS", "VNC is bound to loopback only"),
    ("CONFIG_PATH", "the supervisor takes --config"),
    ("SERVICE_VERSION", "no meaning here"),
    ("REDIS_HOST", "no queue: the journal keeps events and runs"),
    ("REDIS_URL", "no queue: the journal keeps events and runs"),
    (
        "EXTENDED_HOURS_ENABLED",
        "orders trade in the regular session only",
    ),
    (
        "USER_NOTIFICATIONS_CHANNEL_PREFIX",
        "one topic for all accounts: USER_NOTIFICATIONS_CHANNEL",
    ),
];

/// The fate of `.env` name `name` whose value is `value`.
pub fn fate(name: &str, value: &str) -> EnvFate {
    if let Some(variable) = environment::ALL
        .iter()
        .find(|v| v.name == name || v.aliases.contains(&name))
    {
        return EnvFate::Read(if variable.name == name {
            format!("read as it is: {}", variable.meaning)
        } else {
            format!("read as {}: {}", variable.name, variable.meaning)
        });
    }
    if let Some((_, what)) = COMPOSE.iter().find(|(n, _)| *n == name) {
        return EnvFate::Compose(what);
    }
    match name {
        "TIME_IN_FORCE" => return EnvFate::Config("trading.order_tif", Value::from(value)),
        "USER_NOTIFICATIONS_BUFFER_SECONDS" => {
            if let Ok(seconds) = value.trim().parse::<f64>() {
                return EnvFate::Config("notifications.min_interval_seconds", Value::from(seconds));
            }
        }
        "USER_NOTIFICATIONS_AUTH_TOKEN" => return EnvFate::Renamed("NTFY_TOKEN"),
        _ => {}
    }
    match DROPPED.iter().find(|(n, _)| *n == name) {
        Some((_, why)) => EnvFate::Dropped(why),
        None => EnvFate::Dropped("not known to this migration; check it by hand"),
    }
}

/// The `NAME=value` lines of a `.env` file, without comments and blank lines.
pub fn entries(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("export ").unwrap_or(l).split_once('='))
        .map(|(k, v)| {
            let v = v.trim();
            let unquoted = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            (k.trim().to_string(), unquoted.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_names_are_read_used_moved_or_dropped() {
        assert!(
            matches!(fate("REBALANCE_EVENT_SUBSCRIPTION_API_KEY", "k"), EnvFate::Read(s) if s.starts_with("read as REALTIME_API_KEY"))
        );
        assert!(
            matches!(fate("ALLOCATIONS_API_KEY", "k"), EnvFate::Read(s) if s.starts_with("read as it is"))
        );
        assert!(matches!(fate("IB_USERNAME", "me"), EnvFate::Compose(_)));
        assert_eq!(
            fate("TIME_IN_FORCE", "GTC"),
            EnvFate::Config("trading.order_tif", Value::from("GTC"))
        );
        assert_eq!(
            fate("USER_NOTIFICATIONS_AUTH_TOKEN", "t"),
            EnvFate::Renamed("NTFY_TOKEN")
        );
        assert!(
            matches!(fate("REDIS_URL", "redis://x"), EnvFate::Dropped(why) if why.contains("journal"))
        );
        assert!(matches!(fate("COLOUR", "red"), EnvFate::Dropped(why) if why.contains("by hand")));
    }

    #[test]
    fn env_lines_are_read_like_compose_reads_them() {
        let text = "# comment\n\nTRADING_MODE=paper\nexport LOG_LEVEL=INFO\nAUTO_RESTART_TIME=\"10:00 PM\"\n";
        assert_eq!(
            entries(text),
            [
                ("TRADING_MODE".to_string(), "paper".to_string()),
                ("LOG_LEVEL".to_string(), "INFO".to_string()),
                ("AUTO_RESTART_TIME".to_string(), "10:00 PM".to_string()),
            ]
        );
    }
}
