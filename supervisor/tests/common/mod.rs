//! Helpers the daemon's end-to-end tests share: the control socket, waiting, stopping.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "each test binary uses some of the helpers; a test fails by panicking"
)]

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;
use sim::process::sigterm;
use tokio::process::Child;

pub use sim::supervisor_socket::request;

/// The daemon's status.
pub async fn status(socket: &Path) -> Option<serde_json::Value> {
    request(socket, json!({"request": "status"})).await
}

/// The runs of `strategy`, newest first.
pub async fn runs(socket: &Path, strategy: &str) -> Vec<serde_json::Value> {
    request(
        socket,
        json!({"request": "runs", "strategy": strategy, "limit": 50}),
    )
    .await
    .and_then(|r| r["runs"].as_array().cloned())
    .unwrap_or_default()
}

/// Polls `condition` every 50 ms until it holds; the daemon offers no push notification.
pub async fn wait_until<F, Fut>(what: &str, timeout: Duration, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !condition().await {
        assert!(start.elapsed() < timeout, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// How many runs of `strategy` are in `state`.
pub async fn runs_in_state(socket: &Path, strategy: &str, state: &str) -> usize {
    runs(socket, strategy)
        .await
        .iter()
        .filter(|r| r["state"] == state)
        .count()
}

/// SIGTERM, wait, and return the daemon's log.
pub async fn stop(supervisor: Child) -> String {
    sigterm(&supervisor).unwrap();
    let out = supervisor.wait_with_output().await.unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8_lossy(&out.stderr).into_owned()
}
