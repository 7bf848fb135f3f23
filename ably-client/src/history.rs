//! REST history for recovery: `GET /channels/{name}/messages?start=&direction=forwards&limit=`
//! with Basic auth from the key, following `Link: <...>; rel="next"` pages (RSL2, TG).

use std::time::Duration;

use reqwest::Url;
use reqwest::header::{ACCEPT, HeaderMap, LINK};
use serde_json::Value;

use crate::PROTOCOL_VERSION;
use crate::endpoint;
use crate::error::AblyError;
use crate::protocol::{ErrorBody, WireMessage};
use crate::settings::{AblySettings, ApiKey, ClientTuning};

/// A history reader for one REST endpoint.
pub(crate) struct History {
    http: Result<reqwest::Client, String>,
    rest_url: String,
    key: ApiKey,
    timeout: Duration,
    page_limit: u32,
    max_pages: u32,
}

/// One history page: its messages and the next page's URL.
struct Page {
    items: Vec<Value>,
    next: Option<Url>,
}

impl History {
    /// A reader for `settings.rest_url`, with the tuning's timeout and page limits.
    pub(crate) fn new(settings: &AblySettings, tuning: &ClientTuning) -> Self {
        let http = reqwest::Client::builder()
            .timeout(tuning.request_timeout)
            .connect_timeout(tuning.request_timeout)
            .build()
            .map_err(|e| e.to_string());
        Self {
            http,
            rest_url: settings.rest_url.clone(),
            key: settings.api_key.clone(),
            timeout: tuning.request_timeout,
            page_limit: tuning.history_page_limit.clamp(1, 1000),
            max_pages: tuning.history_max_pages.max(1),
        }
    }

    /// Every message on `channel` with a timestamp at or after `start_ms`, oldest first.
    /// Items that are not message objects are skipped with a warning.
    pub(crate) async fn since(
        &self,
        channel: &str,
        start_ms: i64,
    ) -> Result<Vec<WireMessage>, AblyError> {
        let mut url = endpoint::history(&self.rest_url, channel)?;
        url.query_pairs_mut()
            .append_pair("start", &start_ms.to_string())
            .append_pair("direction", "forwards")
            .append_pair("limit", &self.page_limit.to_string());
        let origin = url.origin();
        let mut messages = Vec::new();
        for page_number in 1..=self.max_pages {
            let page = self.page(&url).await?;
            for item in page.items {
                match serde_json::from_value::<WireMessage>(item) {
                    Ok(message) => messages.push(message),
                    Err(e) => {
                        tracing::warn!(channel, error = %e, "skipping a malformed history item")
                    }
                }
            }
            match page.next {
                Some(next) if next.origin() == origin => url = next,
                Some(_) => {
                    tracing::warn!(channel, "history next link points elsewhere; not followed");
                    break;
                }
                None => break,
            }
            if page_number == self.max_pages {
                tracing::warn!(
                    channel,
                    pages = self.max_pages,
                    "history recovery stopped at the page limit"
                );
            }
        }
        Ok(messages)
    }

    async fn page(&self, url: &Url) -> Result<Page, AblyError> {
        let http = self.http.as_ref().map_err(|e| AblyError::Http(e.clone()))?;
        let (name, secret) = self
            .key
            .expose()
            .split_once(':')
            .unwrap_or((self.key.expose(), ""));
        let request = http
            .get(url.clone())
            .basic_auth(name, Some(secret))
            .header(ACCEPT, "application/json")
            .header("X-Ably-Version", PROTOCOL_VERSION)
            .send();
        let response = tokio::time::timeout(self.timeout, request)
            .await
            .map_err(|_| AblyError::Timeout(self.timeout, "a history page"))?
            .map_err(|e| AblyError::Http(self.key.redact(&e.without_url().to_string())))?;
        let status = response.status();
        let next = next_link(response.headers()).and_then(|link| url.join(&link).ok());
        let body = tokio::time::timeout(self.timeout, response.bytes())
            .await
            .map_err(|_| AblyError::Timeout(self.timeout, "a history page body"))?
            .map_err(|e| AblyError::Http(self.key.redact(&e.without_url().to_string())))?;
        if !status.is_success() {
            return Err(match serde_json::from_slice::<ErrorBody>(&body) {
                Ok(err) => AblyError::Ably(err.error),
                Err(_) => AblyError::Http(format!("history request answered {status}")),
            });
        }
        let items = match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Array(items)) => items,
            Ok(_) => return Err(AblyError::BadResponse("history is not a JSON array".into())),
            Err(e) => return Err(AblyError::BadResponse(format!("history is not JSON: {e}"))),
        };
        Ok(Page { items, next })
    }
}

/// The target of the `rel="next"` link among the `Link` headers (RFC 5988).
fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|part| {
            let part = part.trim();
            let rest = part.strip_prefix('<')?;
            let (target, params) = rest.split_once('>')?;
            let is_next = params.split(';').any(|p| {
                let p = p.trim().replace(' ', "");
                p == "rel=\"next\"" || p == "rel=next"
            });
            is_next.then(|| target.to_string())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn finds_the_next_link_among_several() {
        let mut headers = HeaderMap::new();
        headers.append(
            LINK,
            HeaderValue::from_static(r#"<./messages?page=0>; rel="first""#),
        );
        headers.append(
            LINK,
            HeaderValue::from_static(
                r#"<./messages?a=1&page=2>; rel="current", <./messages?page=3>; rel="next""#,
            ),
        );
        assert_eq!(next_link(&headers).as_deref(), Some("./messages?page=3"));
        let base = Url::parse("http://h/channels/c/messages?start=1").unwrap();
        assert_eq!(
            base.join("./messages?page=3").unwrap().as_str(),
            "http://h/channels/c/messages?page=3"
        );
    }

    #[test]
    fn no_next_link_on_the_last_page() {
        let mut headers = HeaderMap::new();
        headers.append(
            LINK,
            HeaderValue::from_static(r#"<./messages?page=0>; rel="first""#),
        );
        assert_eq!(next_link(&headers), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
    }
}
