//! The allocation client against the fake allocation API on loopback: headers, retries,
//! refusals, timeouts, and that the key never shows in errors or logs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::time::Duration;

use sim::allocations::{AllocationsApi, Canned};
use trading_core::allocations::{Allocation, AllocationClient, AllocationError, ApiKey};
use trading_core::config::AllocationApiSettings;

const KEY: &str = "test-key-5f1d";

fn client(api: &AllocationsApi, attempts: u32, timeout: Duration) -> AllocationClient {
    let settings = AllocationApiSettings {
        base_url: api.base_url(),
        timeout,
        max_attempts: attempts,
        retry_delay: Duration::from_millis(10),
        max_weight_drop: 0.25,
    };
    AllocationClient::new(settings, ApiKey::new(KEY)).expect("client")
}

fn assert_key_hidden(err: &AllocationError) {
    assert!(!err.to_string().contains(KEY), "key leaked: {err}");
    assert!(!format!("{err:?}").contains(KEY), "key leaked: {err:?}");
}

#[tokio::test]
async fn fetches_with_the_key_header_and_validates() {
    let api = AllocationsApi::start(0, Some(KEY)).await.unwrap();
    api.set(
        "etf-blend",
        [Canned::allocations(&[("vti", 0.6), ("BND", 0.4)])],
    );
    let got = client(&api, 3, Duration::from_secs(5))
        .fetch("etf-blend")
        .await
        .unwrap();
    assert_eq!(
        got,
        vec![
            Allocation {
                symbol: "VTI".into(),
                weight: 0.6
            },
            Allocation {
                symbol: "BND".into(),
                weight: 0.4
            },
        ]
    );
    let received = api.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].api_key.as_deref(), Some(KEY));
    assert_eq!(received[0].strategy, "etf-blend");
}

#[tokio::test]
async fn server_errors_are_retried_then_succeed() {
    let api = AllocationsApi::start(0, Some(KEY)).await.unwrap();
    api.set(
        "s",
        [
            Canned::raw(503, "busy"),
            Canned::raw(500, "oops"),
            Canned::allocations(&[("VTI", 1.0)]),
        ],
    );
    let got = client(&api, 3, Duration::from_secs(5))
        .fetch("s")
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(api.received().len(), 3);
}

#[tokio::test]
async fn persistent_server_errors_give_up_after_max_attempts() {
    let api = AllocationsApi::start(0, Some(KEY)).await.unwrap();
    api.set("s", [Canned::raw(502, "bad gateway")]);
    let err = client(&api, 4, Duration::from_secs(5))
        .fetch("s")
        .await
        .unwrap_err();
    assert_eq!(api.received().len(), 4);
    assert!(
        matches!(err, AllocationError::Unavailable { attempts: 4, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("HTTP 502"), "{err}");
    assert_key_hidden(&err);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let api = AllocationsApi::start(0, Some("a-different-key"))
        .await
        .unwrap();
    api.set("s", [Canned::allocations(&[("VTI", 1.0)])]);
    let err = client(&api, 3, Duration::from_secs(5))
        .fetch("s")
        .await
        .unwrap_err();
    assert_eq!(api.received().len(), 1);
    assert!(
        matches!(err, AllocationError::Refused { status: 401, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("invalid API key"), "{err}");
    assert_key_hidden(&err);

    api.set(
        "gone",
        [Canned::raw(404, format!("no strategy; you sent {KEY}"))],
    );
    let err = AllocationClient::new(
        AllocationApiSettings {
            base_url: api.base_url(),
            ..Default::default()
        },
        ApiKey::new("a-different-key"),
    )
    .unwrap()
    .fetch("gone")
    .await
    .unwrap_err();
    assert!(err.to_string().contains("HTTP 404"), "{err}");
    assert!(
        !err.to_string().contains("a-different-key"),
        "echoed key must be redacted: {err}"
    );
}

#[tokio::test]
async fn slow_responses_time_out_and_are_retried() {
    let api = AllocationsApi::start(0, Some(KEY)).await.unwrap();
    api.set(
        "s",
        [Canned::allocations(&[("VTI", 1.0)]).delayed(Duration::from_secs(5))],
    );
    let err = client(&api, 2, Duration::from_millis(200))
        .fetch("s")
        .await
        .unwrap_err();
    assert_eq!(api.received().len(), 2);
    assert!(err.to_string().contains("timed out"), "{err}");
}

#[tokio::test]
async fn malformed_and_invalid_bodies_are_rejected_without_retry() {
    let api = AllocationsApi::start(0, Some(KEY)).await.unwrap();
    api.set(
        "broken",
        [Canned::raw(200, "{\"status\":\"success\",\"data\":")],
    );
    api.set(
        "too-much",
        [Canned::allocations(&[("VTI", 0.8), ("BND", 0.3)])],
    );
    let client = client(&api, 3, Duration::from_secs(5));
    let err = client.fetch("broken").await.unwrap_err();
    assert!(matches!(err, AllocationError::Malformed { .. }), "{err}");
    let err = client.fetch("too-much").await.unwrap_err();
    assert!(matches!(err, AllocationError::SumAboveOne { .. }), "{err}");
    assert_eq!(api.received().len(), 2);
}

#[tokio::test]
async fn unreachable_api_is_reported_after_retries() {
    let api = AllocationsApi::start(0, None).await.unwrap();
    let base_url = api.base_url();
    drop(api);
    let settings = AllocationApiSettings {
        base_url,
        timeout: Duration::from_secs(2),
        max_attempts: 2,
        retry_delay: Duration::from_millis(10),
        max_weight_drop: 0.25,
    };
    let err = AllocationClient::new(settings, ApiKey::new(KEY))
        .unwrap()
        .fetch("s")
        .await
        .unwrap_err();
    assert!(
        matches!(err, AllocationError::Unavailable { attempts: 2, .. }),
        "{err}"
    );
    assert_key_hidden(&err);
}
