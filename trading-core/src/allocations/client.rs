//! The HTTP client for `GET {base}/{strategy}/allocations` with header `x-api-key`.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::{StatusCode, Url};

use super::{Allocation, AllocationError, parse_response};
use crate::config::AllocationApiSettings;

/// Longest part of a refusal's body kept in the error.
const BODY_EXCERPT_CHARS: usize = 200;

/// The allocation API key. Its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key read from the environment or a job.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// Fetches and validates strategy allocations, retrying timeouts, connection failures and
/// 5xx answers with a doubling delay; 4xx answers are final.
#[derive(Debug, Clone)]
pub struct AllocationClient {
    http: reqwest::Client,
    settings: AllocationApiSettings,
    key: ApiKey,
}

impl AllocationClient {
    /// A client for the API described by `settings`, authenticating with `key`.
    pub fn new(settings: AllocationApiSettings, key: ApiKey) -> Result<Self, AllocationError> {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .build()
            .map_err(|err| AllocationError::ClientSetup(err.to_string()))?;
        Ok(Self {
            http,
            settings,
            key,
        })
    }

    /// The validated allocations of `strategy`.
    pub async fn fetch(&self, strategy: &str) -> Result<Vec<Allocation>, AllocationError> {
        let url = self.url(strategy)?;
        let mut last_failure = String::new();
        for attempt in 1..=self.settings.max_attempts {
            match self.attempt(strategy, &url).await {
                Attempt::Done(result) => return result,
                Attempt::Transient(reason) => last_failure = reason,
            }
            if attempt < self.settings.max_attempts {
                let delay = backoff(self.settings.retry_delay, attempt);
                tracing::warn!(
                    strategy,
                    attempt,
                    reason = %last_failure,
                    retry_in_ms = delay.as_millis() as u64,
                    "allocation request failed; retrying"
                );
                tokio::time::sleep(delay).await;
            }
        }
        Err(AllocationError::Unavailable {
            strategy: strategy.to_string(),
            attempts: self.settings.max_attempts,
            reason: last_failure,
        })
    }

    fn url(&self, strategy: &str) -> Result<Url, AllocationError> {
        let mut url = Url::parse(&self.settings.base_url).map_err(|err| {
            AllocationError::ClientSetup(format!(
                "bad base URL `{}`: {err}",
                self.settings.base_url
            ))
        })?;
        url.path_segments_mut()
            .map_err(|()| AllocationError::ClientSetup("the base URL cannot take a path".into()))?
            .pop_if_empty()
            .push(strategy)
            .push("allocations");
        Ok(url)
    }

    async fn attempt(&self, strategy: &str, url: &Url) -> Attempt {
        let mut key = match HeaderValue::from_str(&self.key.0) {
            Ok(key) => key,
            Err(_) => {
                return Attempt::Done(Err(AllocationError::ClientSetup(
                    "the API key holds characters not allowed in an HTTP header".into(),
                )));
            }
        };
        key.set_sensitive(true);
        let response = match self
            .http
            .get(url.clone())
            .header("x-api-key", key)
            .send()
            .await
        {
            Ok(response) => response,
            Err(err) => return Attempt::Transient(self.describe(&err)),
        };
        let status = response.status();
        let body = match response.text().await {
            Ok(body) => body,
            Err(err) => return Attempt::Transient(self.describe(&err)),
        };
        if status.is_server_error() {
            return Attempt::Transient(format!("HTTP {status}"));
        }
        if status != StatusCode::OK {
            return Attempt::Done(Err(AllocationError::Refused {
                strategy: strategy.to_string(),
                status: status.as_u16(),
                body: self.excerpt(&body),
            }));
        }
        Attempt::Done(parse_response(strategy, &body))
    }

    fn describe(&self, err: &reqwest::Error) -> String {
        if err.is_timeout() {
            format!("timed out after {:?}", self.settings.timeout)
        } else {
            let mut text = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            self.redact(&text)
        }
    }

    fn excerpt(&self, body: &str) -> String {
        let excerpt: String = body.chars().take(BODY_EXCERPT_CHARS).collect();
        self.redact(&excerpt)
    }

    fn redact(&self, text: &str) -> String {
        if self.key.0.is_empty() {
            text.to_string()
        } else {
            text.replace(&self.key.0, "***")
        }
    }
}

enum Attempt {
    Done(Result<Vec<Allocation>, AllocationError>),
    Transient(String),
}

/// The wait before retry number `attempt` (1-based): `base`, then doubling, capped at 60 s.
fn backoff(base: Duration, attempt: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
    base.saturating_mul(factor).min(Duration::from_secs(60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let base = Duration::from_millis(500);
        assert_eq!(backoff(base, 1), Duration::from_millis(500));
        assert_eq!(backoff(base, 3), Duration::from_secs(2));
        assert_eq!(backoff(base, 30), Duration::from_secs(60));
    }

    #[test]
    fn debug_output_hides_the_key() {
        let client =
            AllocationClient::new(AllocationApiSettings::default(), ApiKey::new("s3cret-key"))
                .unwrap();
        assert!(!format!("{client:?}").contains("s3cret-key"));
    }

    #[test]
    fn url_appends_strategy_and_allocations() {
        let settings = AllocationApiSettings {
            base_url: "http://127.0.0.1:9/v1/allocation".into(),
            ..Default::default()
        };
        let client = AllocationClient::new(settings, ApiKey::new("k")).unwrap();
        assert_eq!(
            client.url("etf-blend-102-25").unwrap().as_str(),
            "http://127.0.0.1:9/v1/allocation/etf-blend-102-25/allocations"
        );
    }
}
