//! A fake allocation API: `GET /v1/allocation/{strategy}/allocations` with `x-api-key`,
//! answering canned, malformed, slow or failing responses per strategy, and recording every
//! request it receives.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::oneshot;

/// One canned answer: status, body and how long to wait before sending it.
#[derive(Debug, Clone, PartialEq)]
pub struct Canned {
    /// HTTP status code.
    pub status: u16,
    /// Response body, sent as `application/json`.
    pub body: String,
    /// Delay before answering.
    pub delay: Duration,
}

impl Canned {
    /// A `success` response listing `(symbol, weight)` pairs.
    pub fn allocations(list: &[(&str, f64)]) -> Self {
        let entries: Vec<_> = list
            .iter()
            .map(|(symbol, weight)| serde_json::json!({"symbol": symbol, "allocation": weight}))
            .collect();
        let body = serde_json::json!({"status": "success", "data": {"allocations": entries}});
        Self::raw(200, body.to_string())
    }

    /// Any status and body, e.g. malformed JSON or a 503.
    pub fn raw(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// The same answer sent after `delay`.
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A request the fake API received.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// The strategy path segment.
    pub strategy: String,
    /// The `x-api-key` header, if sent.
    pub api_key: Option<String>,
}

#[derive(Default)]
struct Inner {
    api_key: Option<String>,
    answers: HashMap<String, VecDeque<Canned>>,
    received: Vec<Received>,
}

type Shared = Arc<Mutex<Inner>>;

fn lock(shared: &Shared) -> MutexGuard<'_, Inner> {
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A running fake allocation API; stops when dropped.
pub struct AllocationsApi {
    addr: SocketAddr,
    shared: Shared,
    _stop: oneshot::Sender<()>,
}

impl AllocationsApi {
    /// Starts the server on 127.0.0.1:`port` (0 picks a free port). When `api_key` is set,
    /// requests without that key get 401.
    pub async fn start(port: u16, api_key: Option<&str>) -> std::io::Result<Self> {
        let shared: Shared = Arc::default();
        lock(&shared).api_key = api_key.map(str::to_string);
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let app = Router::new()
            .route("/v1/allocation/{strategy}/allocations", get(answer))
            .with_state(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let server = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(err) = server.await {
                eprintln!("fake allocation API stopped: {err}");
            }
        });
        Ok(Self {
            addr,
            shared,
            _stop: stop,
        })
    }

    /// The base URL to configure as `allocations.base_url`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1/allocation", self.addr)
    }

    /// Answers for `strategy`, used in order; the last one repeats.
    pub fn set(&self, strategy: &str, answers: impl IntoIterator<Item = Canned>) {
        lock(&self.shared)
            .answers
            .insert(strategy.to_string(), answers.into_iter().collect());
    }

    /// Every request received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.shared).received.clone()
    }
}

async fn answer(
    State(shared): State<Shared>,
    Path(strategy): Path<String>,
    headers: HeaderMap,
) -> Response {
    let api_key = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let canned = {
        let mut inner = lock(&shared);
        inner.received.push(Received {
            strategy: strategy.clone(),
            api_key: api_key.clone(),
        });
        if inner.api_key.is_some() && inner.api_key != api_key {
            Canned::raw(401, r#"{"status":"error","message":"invalid API key"}"#)
        } else {
            match inner.answers.get_mut(&strategy) {
                Some(queue) if queue.len() > 1 => queue.pop_front().unwrap_or_else(unknown),
                Some(queue) => queue.front().cloned().unwrap_or_else(unknown),
                None => unknown(),
            }
        }
    };
    tokio::time::sleep(canned.delay).await;
    let status = StatusCode::from_u16(canned.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [("content-type", "application/json")], canned.body).into_response()
}

fn unknown() -> Canned {
    Canned::raw(404, r#"{"status":"error","message":"unknown strategy"}"#)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(url: &str, key: &str) -> (u16, String) {
        let response = reqwest::Client::new()
            .get(url)
            .header("x-api-key", key)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    #[tokio::test]
    async fn serves_canned_answers_in_order_then_repeats_the_last() {
        let api = AllocationsApi::start(0, Some("k")).await.unwrap();
        api.set(
            "s",
            [
                Canned::raw(503, "busy"),
                Canned::allocations(&[("VTI", 1.0)]),
            ],
        );
        let url = format!("{}/s/allocations", api.base_url());
        assert_eq!(get(&url, "k").await.0, 503);
        let (status, body) = get(&url, "k").await;
        assert_eq!(status, 200);
        assert!(body.contains(r#""symbol":"VTI""#), "{body}");
        assert_eq!(get(&url, "k").await.0, 200);
        assert_eq!(get(&url, "wrong").await.0, 401);
        assert_eq!(
            get(&format!("{}/other/allocations", api.base_url()), "k")
                .await
                .0,
            404
        );
        let received = api.received();
        assert_eq!(received.len(), 5);
        assert_eq!(received[3].api_key.as_deref(), Some("wrong"));
        assert_eq!(received[4].strategy, "other");
    }
}
