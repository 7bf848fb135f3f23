//! An ntfy sink: accepts `POST /{topic}` as an ntfy server does and records every message,
//! so tests can assert what the supervisor announced.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use tokio::sync::{oneshot, watch};

/// One notification received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NtfyMessage {
    /// The topic posted to.
    pub topic: String,
    /// The `Title` header.
    pub title: Option<String>,
    /// The `Priority` header.
    pub priority: Option<String>,
    /// The `Tags` header.
    pub tags: Option<String>,
    /// The `Authorization` header.
    pub authorization: Option<String>,
    /// The message text.
    pub body: String,
}

type Shared = (Arc<Mutex<Vec<NtfyMessage>>>, watch::Sender<usize>);

/// A running sink; stops when dropped.
pub struct NtfySink {
    addr: SocketAddr,
    messages: Arc<Mutex<Vec<NtfyMessage>>>,
    count: watch::Receiver<usize>,
    _stop: oneshot::Sender<()>,
}

impl NtfySink {
    /// Starts on 127.0.0.1:`port` (0 picks a free port).
    pub async fn start(port: u16) -> std::io::Result<Self> {
        let messages: Arc<Mutex<Vec<NtfyMessage>>> = Arc::default();
        let (counter, count) = watch::channel(0);
        let app = Router::new()
            .route("/{topic}", post(receive))
            .with_state((messages.clone(), counter));
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let served = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(err) = served.await {
                eprintln!("ntfy sink stopped: {err}");
            }
        });
        Ok(Self {
            addr,
            messages,
            count,
            _stop: stop,
        })
    }

    /// The server URL to configure as `notifications.ntfy_url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<NtfyMessage> {
        self.messages
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Waits until at least `n` messages arrived; false when `timeout` passes first.
    pub async fn wait_for(&self, n: usize, timeout: std::time::Duration) -> bool {
        let mut count = self.count.clone();
        tokio::time::timeout(timeout, count.wait_for(|c| *c >= n))
            .await
            .is_ok_and(|r| r.is_ok())
    }
}

async fn receive(
    State((messages, counter)): State<Shared>,
    Path(topic): Path<String>,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let message = NtfyMessage {
        topic,
        title: header("title"),
        priority: header("priority"),
        tags: header("tags"),
        authorization: header("authorization"),
        body,
    };
    let count = {
        let mut list = messages.lock().unwrap_or_else(|p| p.into_inner());
        list.push(message);
        list.len()
    };
    counter.send_replace(count);
    StatusCode::OK
}
