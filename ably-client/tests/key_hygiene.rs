//! The API key never reaches the logs, on any path: delivery, resume, history recovery,
//! malformed input, a refused key. A test binary of its own: it captures logs with a
//! thread-local subscriber, which other tests running beside it would disturb.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::collections::HashMap;
use std::time::Duration;

use ably_client::LinkState;
use common::*;
use serde_json::json;
use sim::ably::AblySim;
use sim::logs::CapturedLogs;

#[tokio::test]
async fn the_key_never_appears_in_the_logs() {
    let captured = CapturedLogs::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // The test runtime is single-threaded, so the client's tasks log here too.
    let _guard = tracing::subscriber::set_default(subscriber);

    let sim = AblySim::start(0, KEY).await.unwrap();
    // A refused key, whose error goes through every error path.
    let wrong = "appX.keyY:WrongS3cretValue";
    let mut refused = start_client(
        settings(&sim, &["s"], wrong, Duration::from_millis(50)),
        HashMap::new(),
    );
    wait_state(&mut refused, |s| matches!(s, LinkState::Failed { .. })).await;
    stop(refused).await;

    // Delivery, resume, refused resume with history recovery, malformed input.
    let mut client = start(&sim, &["s"]).await;
    sim.publish("s", "e", json!(1));
    recv(&mut client).await;
    sim.drop_connections();
    sim.publish("s", "e", json!(2));
    recv(&mut client).await;
    sim.set_refuse_resume(true);
    sim.drop_connections();
    sim.publish("s", "e", json!(3));
    recv(&mut client).await;
    sim.send_malformed();
    sim.publish("s", "e", json!(4));
    recv(&mut client).await;
    stop(client).await;

    let logs = captured.text();
    for expected in [
        "Ably connected",
        "Ably connection resumed",
        "recovered from history",
        "skipping a malformed frame",
        "Ably refused the connection",
    ] {
        assert!(logs.contains(expected), "no `{expected}` in logs:\n{logs}");
    }
    assert!(logs.contains("channel=s"), "no channel field in logs");
    for secret in [KEY, SECRET, "WrongS3cretValue"] {
        assert!(
            !logs.contains(secret),
            "`{secret}` leaked into logs:\n{logs}"
        );
    }
}
