//! Ably's official Python SDK against the Ably simulator: it connects as it would to Ably
//! (protocol v5, no `format` parameter: JSON), attaches, decodes what is published, and
//! resumes a dropped connection without losing or repeating a message, and rewinds. An independent
//! client, so that our client and our simulator are not each other's only witness.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use serde_json::json;
use sim::ably::AblySim;
use sim::ably_sdk::AblySdk;

const KEY: &str = "appX.keyY:sdk-test-secret";
const WAIT: std::time::Duration = std::time::Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_sdk_receives_what_is_published_and_resumes_after_a_drop() {
    let dir = tempfile::tempdir().unwrap();
    let Some(sdk) = AblySdk::install_or_skip(dir.path(), "ably_sdk").await else {
        return;
    };
    let sim = AblySim::start(0, KEY).await.unwrap();
    let host = sim.realtime_url().trim_start_matches("ws://").to_string();
    let mut subscriber = sdk.subscribe(&host, KEY, "alpha", 3, None).await.unwrap();

    let first = sim.publish("alpha", "rebalance", json!({"exec": "rebalance"}));
    let got = subscriber.next().await.unwrap();
    assert_eq!(got["id"], first.as_str());
    assert_eq!(got["name"], "rebalance");
    assert_eq!(
        got["data"],
        json!({"exec": "rebalance"}),
        "JSON data decoded"
    );

    sim.publish("alpha", "note", json!("plain text"));
    assert_eq!(subscriber.next().await.unwrap()["data"], "plain text");

    // The connection drops; the SDK resumes it (same connection) and re-attaches.
    sim.drop_connections();
    assert!(
        sim.wait_until(WAIT, |s| s.stats().resumes == 1 && s.attached("alpha") == 1)
            .await,
        "the SDK resumed: {:?}",
        sim.stats()
    );
    let third = sim.publish("alpha", "rebalance", json!({"exec": "print-positions"}));
    let got = subscriber.next().await.unwrap();
    assert_eq!(got["id"], third.as_str(), "the next message, none repeated");
    subscriber.finish().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_sdk_rewinds_to_the_last_messages_on_its_first_attach() {
    let dir = tempfile::tempdir().unwrap();
    let Some(sdk) = AblySdk::install_or_skip(dir.path(), "ably_sdk").await else {
        return;
    };
    let sim = AblySim::start(0, KEY).await.unwrap();
    let host = sim.realtime_url().trim_start_matches("ws://").to_string();
    for n in 1..=3 {
        sim.publish("beta", "rebalance", json!({ "n": n }));
    }
    let mut subscriber = sdk
        .subscribe(&host, KEY, "beta", 3, Some("2"))
        .await
        .unwrap();
    assert_eq!(subscriber.next().await.unwrap()["data"], json!({"n": 2}));
    assert_eq!(subscriber.next().await.unwrap()["data"], json!({"n": 3}));
    let live = sim.publish("beta", "rebalance", json!({"n": 4}));
    let got = subscriber.next().await.unwrap();
    assert_eq!(
        got["id"],
        live.as_str(),
        "live delivery follows the rewound backlog"
    );
    subscriber.finish().await.unwrap();
}
