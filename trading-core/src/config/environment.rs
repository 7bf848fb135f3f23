//! The environment variables the binaries read. Each has the name the Python rebalancer
//! used for the same thing as an alias, so its users' `.env` files work unchanged; when both
//! names are set ours wins. [`Variable::read`] says which name a value came from, so the
//! logs can say it; secrets are never logged, only the name.

use std::path::Path;

use super::{ConfigError, Settings, TradingMode};

/// One environment variable and its aliases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variable {
    /// Our name.
    pub name: &'static str,
    /// Names the Python rebalancer used, read when ours is unset.
    pub aliases: &'static [&'static str],
    /// Whether the value is a secret (never logged).
    pub secret: bool,
    /// What it sets, for the docs and `supervisor migrate`.
    pub meaning: &'static str,
}

/// The Ably API key events are received with.
pub const REALTIME_API_KEY: Variable = Variable {
    name: "REALTIME_API_KEY",
    aliases: &["REBALANCE_EVENT_SUBSCRIPTION_API_KEY"],
    secret: true,
    meaning: "the Ably API key events are received with",
};
/// The allocation API key.
pub const ALLOCATIONS_API_KEY: Variable = Variable {
    name: "ALLOCATIONS_API_KEY",
    aliases: &[],
    secret: true,
    meaning: "the allocation API key (header x-api-key)",
};
/// The allocation API's base URL, over `allocations.base_url`.
pub const ALLOCATIONS_BASE_URL: Variable = Variable {
    name: "ALLOCATIONS_BASE_URL",
    aliases: &[],
    secret: false,
    meaning: "the allocation API's base URL, over allocations.base_url",
};
/// The gateway's host, over `gateway.host`.
pub const GATEWAY_HOST: Variable = Variable {
    name: "GATEWAY_HOST",
    aliases: &["IB_HOST"],
    secret: false,
    meaning: "the IB Gateway host, over gateway.host",
};
/// The gateway's port, over the TRADING_MODE's port.
pub const GATEWAY_PORT: Variable = Variable {
    name: "GATEWAY_PORT",
    aliases: &["IB_PORT"],
    secret: false,
    meaning: "the IB Gateway port, over gateway.paper_port / gateway.live_port",
};
/// The log filter.
pub const RUST_LOG: Variable = Variable {
    name: "RUST_LOG",
    aliases: &["LOG_LEVEL"],
    secret: false,
    meaning: "the log level or filter (info, debug, ...; LOG_LEVEL's INFO works too)",
};
/// The ntfy access token.
pub const NTFY_TOKEN: Variable = Variable {
    name: "NTFY_TOKEN",
    aliases: &[],
    secret: true,
    meaning: "the ntfy access token",
};
/// Turns on notifications when config.yaml has no `notifications.ntfy_url`.
pub const USER_NOTIFICATIONS_ENABLED: Variable = Variable {
    name: "USER_NOTIFICATIONS_ENABLED",
    aliases: &[],
    secret: false,
    meaning: "true: notify through ntfy when config.yaml sets no notifications.ntfy_url",
};
/// The ntfy topic used with [`USER_NOTIFICATIONS_ENABLED`].
pub const USER_NOTIFICATIONS_CHANNEL: Variable = Variable {
    name: "USER_NOTIFICATIONS_CHANNEL",
    aliases: &[],
    secret: false,
    meaning: "the ntfy topic, with USER_NOTIFICATIONS_ENABLED",
};
/// The ntfy server used with [`USER_NOTIFICATIONS_ENABLED`] (default `https://ntfy.sh`).
pub const USER_NOTIFICATIONS_SERVER_URL: Variable = Variable {
    name: "USER_NOTIFICATIONS_SERVER_URL",
    aliases: &[],
    secret: false,
    meaning: "the ntfy server, with USER_NOTIFICATIONS_ENABLED (default https://ntfy.sh)",
};

/// Every variable, for the docs and `supervisor migrate`.
pub const ALL: [Variable; 10] = [
    REALTIME_API_KEY,
    ALLOCATIONS_API_KEY,
    ALLOCATIONS_BASE_URL,
    GATEWAY_HOST,
    GATEWAY_PORT,
    RUST_LOG,
    NTFY_TOKEN,
    USER_NOTIFICATIONS_ENABLED,
    USER_NOTIFICATIONS_CHANNEL,
    USER_NOTIFICATIONS_SERVER_URL,
];

/// The ntfy server notifications go to when only USER_NOTIFICATIONS_ENABLED says so.
const DEFAULT_NTFY_URL: &str = "https://ntfy.sh";

/// A value and the name it was read under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The value (non-empty).
    pub value: String,
    /// The name it was set under: ours or an alias.
    pub from: &'static str,
}

impl Variable {
    /// The value from the process environment, ours before the aliases; empty means unset.
    pub fn read(&self) -> Option<Found> {
        self.read_from(&|name| std::env::var(name).ok())
    }

    /// The value from `env`, ours before the aliases; empty means unset.
    pub fn read_from(&self, env: &dyn Fn(&str) -> Option<String>) -> Option<Found> {
        std::iter::once(self.name)
            .chain(self.aliases.iter().copied())
            .find_map(|from| {
                env(from)
                    .filter(|v| !v.trim().is_empty())
                    .map(|value| Found { value, from })
            })
    }

    /// Whether the value was read under an alias: a line for the log saying so.
    pub fn alias_note(&self, found: &Found) -> Option<String> {
        (found.from != self.name).then(|| format!("{} read from {}", self.name, found.from))
    }
}

fn error(variable: &str, message: String) -> ConfigError {
    ConfigError::whole_file(Path::new(variable), message)
}

/// Applies what the environment overrides in `settings` (gateway host, allocation API URL,
/// notifications from the Python names) and returns a line for the log for each value that
/// came from the environment.
pub fn apply(
    settings: &mut Settings,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<String>, ConfigError> {
    let mut notes = Vec::new();
    if let Some(host) = GATEWAY_HOST.read_from(env) {
        notes.push(format!("gateway.host from {}", host.from));
        settings.gateway.host = host.value;
    }
    if let Some(url) = ALLOCATIONS_BASE_URL.read_from(env) {
        let value = url.value.trim_end_matches('/').to_string();
        if !(value.starts_with("http://") || value.starts_with("https://")) {
            return Err(error(
                url.from,
                format!("must be an http:// or https:// URL, got `{value}`"),
            ));
        }
        notes.push(format!("allocations.base_url from {}", url.from));
        settings.allocations.base_url = value;
    }
    if settings.notifications.ntfy_url.is_none()
        && let Some(enabled) = USER_NOTIFICATIONS_ENABLED.read_from(env)
    {
        match enabled.value.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => {
                settings.notifications.ntfy_url = Some(
                    USER_NOTIFICATIONS_SERVER_URL
                        .read_from(env)
                        .map_or(DEFAULT_NTFY_URL.to_string(), |u| u.value),
                );
                if let Some(topic) = USER_NOTIFICATIONS_CHANNEL.read_from(env) {
                    settings.notifications.topic = topic.value;
                }
                notes.push("notifications from USER_NOTIFICATIONS_*".to_string());
            }
            "false" | "0" | "no" => {}
            other => {
                return Err(error(
                    enabled.from,
                    format!("must be true or false, got `{other}`"),
                ));
            }
        }
    }
    Ok(notes)
}

/// The gateway port: GATEWAY_PORT (or IB_PORT), else the TRADING_MODE's port from
/// `settings`.
pub fn gateway_port(
    settings: &Settings,
    mode: TradingMode,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<u16, ConfigError> {
    match GATEWAY_PORT.read_from(env) {
        Some(port) => port
            .value
            .trim()
            .parse()
            .map_err(|_| error(port.from, format!("`{}` is not a port number", port.value))),
        None => Ok(match mode {
            TradingMode::Paper => settings.gateway.paper_port,
            TradingMode::Live => settings.gateway.live_port,
        }),
    }
}

/// The log filter: RUST_LOG, else LOG_LEVEL lower-cased (`INFO` → `info`).
pub fn log_filter() -> Option<String> {
    RUST_LOG.read().map(|found| match found.from {
        "LOG_LEVEL" => found.value.trim().to_ascii_lowercase(),
        _ => found.value,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn ours_wins_over_the_python_name_and_says_which_was_used() {
        let both = env(&[
            ("REALTIME_API_KEY", "ours"),
            ("REBALANCE_EVENT_SUBSCRIPTION_API_KEY", "theirs"),
        ]);
        let found = REALTIME_API_KEY.read_from(&both).unwrap();
        assert_eq!(
            (found.value.as_str(), found.from),
            ("ours", "REALTIME_API_KEY")
        );
        assert_eq!(REALTIME_API_KEY.alias_note(&found), None);
        let theirs = env(&[
            ("REBALANCE_EVENT_SUBSCRIPTION_API_KEY", "theirs"),
            ("REALTIME_API_KEY", ""),
        ]);
        let found = REALTIME_API_KEY.read_from(&theirs).unwrap();
        assert_eq!(found.from, "REBALANCE_EVENT_SUBSCRIPTION_API_KEY");
        assert_eq!(
            REALTIME_API_KEY.alias_note(&found).unwrap(),
            "REALTIME_API_KEY read from REBALANCE_EVENT_SUBSCRIPTION_API_KEY",
            "the note names the variable, never the value"
        );
        assert_eq!(REALTIME_API_KEY.read_from(&env(&[])), None);
    }

    #[test]
    fn the_python_env_sets_host_port_url_and_notifications() {
        let python = env(&[
            ("IB_HOST", "ib-gateway"),
            ("IB_PORT", "4004"),
            (
                "ALLOCATIONS_BASE_URL",
                "https://allocations.example/api/v1/strategies/",
            ),
            ("USER_NOTIFICATIONS_ENABLED", "true"),
            ("USER_NOTIFICATIONS_CHANNEL", "my-rebalancer"),
        ]);
        let mut settings = Settings::default();
        let notes = apply(&mut settings, &python).unwrap();
        assert_eq!(settings.gateway.host, "ib-gateway");
        assert_eq!(
            settings.allocations.base_url,
            "https://allocations.example/api/v1/strategies"
        );
        assert_eq!(
            settings.notifications.ntfy_url.as_deref(),
            Some("https://ntfy.sh")
        );
        assert_eq!(settings.notifications.topic, "my-rebalancer");
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert_eq!(
            gateway_port(&settings, TradingMode::Live, &python).unwrap(),
            4004
        );
        assert_eq!(
            gateway_port(&settings, TradingMode::Live, &env(&[])).unwrap(),
            settings.gateway.live_port
        );
    }

    #[test]
    fn configured_notifications_and_bad_values_are_not_overridden_silently() {
        let mut settings = Settings::default();
        settings.notifications.ntfy_url = Some("https://ntfy.example".into());
        let on = env(&[
            ("USER_NOTIFICATIONS_ENABLED", "true"),
            ("USER_NOTIFICATIONS_CHANNEL", "x"),
        ]);
        apply(&mut settings, &on).unwrap();
        assert_eq!(
            settings.notifications.topic, "rebalancer",
            "config.yaml wins"
        );
        let bad = env(&[("USER_NOTIFICATIONS_ENABLED", "maybe")]);
        let err = apply(&mut Settings::default(), &bad)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("USER_NOTIFICATIONS_ENABLED") && err.contains("maybe"),
            "{err}"
        );
        let port = env(&[("IB_PORT", "four")]);
        let err = gateway_port(&Settings::default(), TradingMode::Paper, &port)
            .unwrap_err()
            .to_string();
        assert!(err.contains("IB_PORT") && err.contains("four"), "{err}");
        let url = env(&[("ALLOCATIONS_BASE_URL", "ftp://x")]);
        assert!(apply(&mut Settings::default(), &url).is_err());
    }

    #[test]
    fn every_variable_is_listed_once() {
        let mut names: Vec<&str> = ALL
            .iter()
            .flat_map(|v| std::iter::once(v.name).chain(v.aliases.iter().copied()))
            .collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
    }
}
