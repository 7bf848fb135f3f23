//! What the supervisor configures: endpoints, the key, channels, retry and timeout limits.

use std::fmt;
use std::time::Duration;

/// Where and how to connect.
#[derive(Clone, Debug)]
pub struct AblySettings {
    /// The realtime websocket endpoint, e.g. `wss://realtime.ably.io` or
    /// `ws://127.0.0.1:PORT` for the simulator.
    pub realtime_url: String,
    /// The REST endpoint used for history recovery, e.g. `https://rest.ably.io` or
    /// `http://127.0.0.1:PORT`.
    pub rest_url: String,
    /// The API key (`appId.keyId:secret`); never logged.
    pub api_key: ApiKey,
    /// The channels to attach, one per strategy.
    pub channels: Vec<String>,
    /// The first reconnect delay; each failed attempt doubles it.
    pub reconnect_base: Duration,
    /// The longest reconnect delay.
    pub reconnect_max: Duration,
}

/// An Ably API key. Its `Debug` form is `***`, and it has no `Display`, so it cannot end up
/// in a log line by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key of the form `appId.keyId:secret`.
    pub fn new(key: String) -> Self {
        Self(key)
    }

    /// The key itself, for the `key` query parameter and Basic auth only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// The key name (`appId.keyId`), which is not secret and may be logged.
    pub fn name(&self) -> &str {
        self.0.split(':').next().unwrap_or_default()
    }

    /// `text` with every occurrence of the key, of its secret part and of their
    /// URL-encoded forms replaced by `***`.
    pub fn redact(&self, text: &str) -> String {
        let secret = self.0.split_once(':').map(|(_, s)| s).unwrap_or(&self.0);
        let mut needles = vec![
            self.0.clone(),
            crate::endpoint::query_escape(&self.0),
            secret.to_string(),
            crate::endpoint::query_escape(secret),
        ];
        needles.retain(|n| !n.is_empty());
        needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let mut out = text.to_string();
        for needle in needles {
            out = out.replace(&needle, "***");
        }
        out
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Timeouts and limits; [`Default`] follows Ably's client defaults.
#[derive(Clone, Debug)]
pub struct ClientTuning {
    /// Ably's `realtimeRequestTimeout`: the wait for the websocket, `CONNECTED`, `ATTACHED`
    /// and `CLOSED`, the slack added to `maxIdleInterval` before a silent connection is
    /// dropped, and the timeout of each REST history request. Default 10 s.
    pub request_timeout: Duration,
    /// Items per REST history page (`limit`, at most 1000). Default 100.
    pub history_page_limit: u32,
    /// History pages fetched per recovery at most. Default 50.
    pub history_max_pages: u32,
    /// Message ids remembered for de-duplication. Default 10 000.
    pub dedup_capacity: usize,
}

impl Default for ClientTuning {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(10),
            history_page_limit: 100,
            history_max_pages: 50,
            dedup_capacity: 10_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_key() {
        let key = ApiKey::new("app.key:s3cr3t".into());
        assert_eq!(format!("{key:?}"), "***");
        let settings = AblySettings {
            realtime_url: "ws://x".into(),
            rest_url: "http://x".into(),
            api_key: key,
            channels: vec![],
            reconnect_base: Duration::from_millis(1),
            reconnect_max: Duration::from_millis(2),
        };
        assert!(!format!("{settings:?}").contains("s3cr3t"));
    }

    #[test]
    fn redact_removes_key_secret_and_escaped_forms() {
        let key = ApiKey::new("app.key:a+b/c=".into());
        let text = "url ws://h/?key=app.key%3Aa%2Bb%2Fc%3D and app.key:a+b/c= and a+b/c=";
        let red = key.redact(text);
        assert!(!red.contains("a+b/c="), "{red}");
        assert!(!red.contains("a%2Bb%2Fc%3D"), "{red}");
        assert_eq!(key.name(), "app.key");
    }
}
