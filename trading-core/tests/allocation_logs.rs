//! The allocation client's logs name the strategy and never the API key. Alone in its test
//! binary: tracing caches per-callsite interest process-wide, so a scoped subscriber can
//! miss events while other tests run the same callsites on other threads.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::time::Duration;

use sim::allocations::{AllocationsApi, Canned};
use sim::logs::CapturedLogs;
use trading_core::allocations::{AllocationClient, ApiKey};
use trading_core::config::AllocationApiSettings;

const KEY: &str = "test-key-5f1d";

#[tokio::test]
async fn retry_logs_name_the_strategy_but_never_the_key() {
    let captured = CapturedLogs::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let api = AllocationsApi::start(0, Some(KEY)).await.unwrap();
    api.set(
        "s",
        [
            Canned::raw(503, "busy"),
            Canned::allocations(&[("VTI", 1.0)]),
        ],
    );
    let settings = AllocationApiSettings {
        base_url: api.base_url(),
        timeout: Duration::from_secs(5),
        max_attempts: 2,
        retry_delay: Duration::from_millis(10),
        max_weight_drop: 0.25,
    };
    AllocationClient::new(settings, ApiKey::new(KEY))
        .unwrap()
        .fetch("s")
        .await
        .unwrap();
    let logs = captured.text();
    assert!(
        logs.contains("allocation request failed; retrying"),
        "{logs}"
    );
    assert!(logs.contains("strategy=\"s\""), "{logs}");
    assert!(!logs.contains(KEY), "key leaked into logs: {logs}");
}
