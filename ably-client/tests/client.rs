//! The Ably client against the Ably simulator on loopback: decoding, resume, history
//! recovery, idle detection, malformed input, link states, restarts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ably_client::{ContinuityGap, Inbound, InboundMessage, LinkState, ResumePoint};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::*;
use serde_json::json;
use sim::ably::{AblySim, SimConfig};

#[tokio::test]
async fn messages_on_two_channels_arrive_with_decoded_data() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    let mut client = start(&sim, &["alpha", "beta"]).await;
    assert_eq!(*client.state.borrow(), LinkState::Connected);

    let a1 = sim.publish("alpha", "rebalance", json!({"target": "VTI", "w": 0.6}));
    let b1 = sim.publish_raw(
        "beta",
        json!({"name": "rebalance", "data": "{\"strategy\":\"b\"}"}),
    );
    let a2 = sim.publish_raw(
        "alpha",
        json!({"data": STANDARD.encode(br#"{"k":"v"}"#), "encoding": "json/utf-8/base64"}),
    );
    let b2 = sim.publish_raw(
        "beta",
        json!({"data": STANDARD.encode("héllo".as_bytes()), "encoding": "utf-8/base64"}),
    );
    let a3 = sim.publish("alpha", "note", json!("just text"));

    let mut got = Vec::new();
    for _ in 0..5 {
        got.push(recv(&mut client).await);
    }
    let on = |channel: &str| -> Vec<InboundMessage> {
        got.iter()
            .filter(|m| m.channel == channel)
            .cloned()
            .collect()
    };
    let alpha = on("alpha");
    let beta = on("beta");
    assert_eq!(
        alpha.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        [a1.as_str(), a2.as_str(), a3.as_str()]
    );
    assert_eq!(
        beta.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        [b1.as_str(), b2.as_str()]
    );
    assert_eq!(
        datas(&alpha),
        [
            json!({"target": "VTI", "w": 0.6}),
            json!({"k": "v"}),
            json!("just text")
        ]
    );
    assert_eq!(datas(&beta), [json!({"strategy": "b"}), json!("héllo")]);
    assert_eq!(alpha[0].name.as_deref(), Some("rebalance"));
    assert_eq!(alpha[1].name, None);
    for m in &got {
        assert!(m.timestamp_ms.is_some_and(|t| t > 1_600_000_000_000));
        assert!(m.serial.is_some(), "{m:?}");
    }
    let serials: std::collections::HashSet<_> = alpha.iter().map(|m| m.serial.clone()).collect();
    assert_eq!(serials.len(), 3);
    stop(client).await;
}

#[tokio::test]
async fn a_dropped_connection_is_resumed_and_each_message_arrives_once() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    let mut client = start(&sim, &["s"]).await;
    let m1 = sim.publish("s", "e", json!({"n": 1}));
    assert_eq!(recv(&mut client).await.id, m1);

    sim.drop_connections();
    // Queued behind the drop, so the client only learns of it by resuming.
    let m2 = sim.publish("s", "e", json!({"n": 2}));
    assert!(
        sim.wait_until(WAIT, |s| s.stats().resumes == 1 && s.attached("s") == 1)
            .await
    );
    let m3 = sim.publish("s", "e", json!({"n": 3}));
    let got = [recv(&mut client).await, recv(&mut client).await];
    assert_eq!(
        [got[0].id.as_str(), got[1].id.as_str()],
        [m2.as_str(), m3.as_str()]
    );
    assert_eq!(datas(&got), [json!({"n": 2}), json!({"n": 3})]);
    assert_next_is_sentinel(&sim, &mut client, "s").await;
    let stats = sim.stats();
    assert_eq!(
        (stats.resumes, stats.failed_resumes, stats.history_requests),
        (1, 0, 0)
    );
    stop(client).await;
}

#[tokio::test]
async fn a_refused_resume_recovers_missed_messages_from_history_in_order_once() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    sim.set_refuse_resume(true);
    let mut client = start(&sim, &["s", "quiet"]).await;
    let m1 = sim.publish("s", "e", json!("one"));
    assert_eq!(recv(&mut client).await.id, m1);

    sim.drop_connections();
    let m2 = sim.publish("s", "e", json!("two"));
    let m3 = sim.publish("s", "e", json!("three"));
    assert!(
        sim.wait_until(WAIT, |s| s.stats().failed_resumes == 1
            && s.attached("s") == 1
            && s.attached("quiet") == 1)
            .await
    );
    let m4 = sim.publish("s", "e", json!("four"));
    let got = [
        recv(&mut client).await,
        recv(&mut client).await,
        recv(&mut client).await,
    ];
    let ids: Vec<_> = got.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, [m2.as_str(), m3.as_str(), m4.as_str()]);
    assert_eq!(datas(&got), [json!("two"), json!("three"), json!("four")]);
    // Recovered messages carry no channel serial; live ones do.
    assert_eq!(got[0].serial, None);
    assert_next_is_sentinel(&sim, &mut client, "s").await;
    assert!(sim.stats().history_requests >= 1);
    assert_eq!(sim.stats().resumes, 0);
    stop(client).await;
}

#[tokio::test]
async fn a_silent_connection_is_detected_and_replaced() {
    let config = SimConfig {
        max_idle_interval: Duration::from_millis(300),
        ..SimConfig::default()
    };
    let sim = AblySim::start_with(0, KEY, config).await.unwrap();
    let mut client = start(&sim, &["s"]).await;
    sim.set_heartbeats(false);
    let down = wait_state(&mut client, |s| matches!(s, LinkState::Disconnected { .. })).await;
    let LinkState::Disconnected { reason } = down else {
        unreachable!()
    };
    assert!(reason.contains("idle"), "{reason}");
    sim.set_heartbeats(true);
    wait_state(&mut client, |s| *s == LinkState::Connected).await;
    attached(&sim, &["s"]).await;
    assert!(sim.stats().connects >= 2);
    let id = sim.publish("s", "e", json!("after"));
    assert_eq!(recv(&mut client).await.id, id);
    stop(client).await;
}

#[tokio::test]
async fn malformed_frames_are_skipped_and_later_messages_still_arrive() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    let mut client = start(&sim, &["a", "b"]).await;
    sim.send_malformed();
    let good = sim.publish("b", "e", json!({"ok": true}));
    let first = recv(&mut client).await;
    assert_eq!(
        first.id, good,
        "a malformed message was delivered: {first:?}"
    );
    assert_eq!(first.data, json!({"ok": true}));
    assert_eq!(*client.state.borrow(), LinkState::Connected);
    assert_eq!(sim.stats().connects, 1, "the connection was not kept");
    stop(client).await;
}

#[tokio::test]
async fn link_state_transitions_are_published() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    let client = start_client(
        settings(&sim, &["s"], KEY, Duration::from_millis(400)),
        HashMap::new(),
    );
    let seen = Arc::new(Mutex::new(vec![client.state.borrow().clone()]));
    let mut watcher = client.state.clone();
    let recorder = {
        let seen = seen.clone();
        tokio::spawn(async move {
            while watcher.changed().await.is_ok() {
                let state = watcher.borrow_and_update().clone();
                seen.lock().unwrap().push(state);
            }
        })
    };
    attached(&sim, &["s"]).await;
    sim.drop_connections();
    assert!(sim.wait_until(WAIT, |s| s.stats().resumes == 1).await);
    attached(&sim, &["s"]).await;
    stop(client).await;
    tokio::time::timeout(WAIT, recorder).await.unwrap().unwrap();

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0], LinkState::Connecting);
    let kinds: Vec<&str> = seen
        .iter()
        .map(|s| match s {
            LinkState::Connecting => "connecting",
            LinkState::Connected => "connected",
            LinkState::Disconnected { .. } => "disconnected",
            LinkState::Failed { .. } => "failed",
        })
        .collect();
    let expected = [
        "connecting",
        "connected",
        "disconnected",
        "connected",
        "disconnected",
    ];
    let mut rest = kinds.iter();
    for want in expected {
        assert!(
            rest.any(|k| *k == want),
            "{want} missing in order from {kinds:?}"
        );
    }
    assert_eq!(
        seen.last(),
        Some(&LinkState::Disconnected {
            reason: "stopped".into()
        })
    );
    // Stopping closed the connection politely.
    assert!(sim.wait_until(WAIT, |s| s.connections() == 0).await);
}

#[tokio::test]
async fn a_wrong_key_fails_without_revealing_it() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    let wrong = "appX.keyY:WrongS3cretValue";
    let mut client = start_client(
        settings(&sim, &["s"], wrong, Duration::from_millis(50)),
        HashMap::new(),
    );
    let failed = wait_state(&mut client, |s| matches!(s, LinkState::Failed { .. })).await;
    let LinkState::Failed { reason } = failed else {
        unreachable!()
    };
    assert!(reason.contains("40101"), "{reason}");
    assert!(!reason.contains("WrongS3cretValue"), "{reason}");
    assert!(sim.stats().refused_keys >= 1);
    assert_eq!(sim.connections(), 0);
    stop(client).await;
}

/// Receives one message, stops, publishes two more and restarts from the first message's
/// resume point (with or without its channel serial); asserts the restarted client gets
/// exactly the two missed messages in order and returns how many history requests the
/// simulator served.
async fn restart_after_two_missed_messages(keep_serial: bool) -> usize {
    let sim = AblySim::start(0, KEY).await.unwrap();
    let mut first = start(&sim, &["s"]).await;
    sim.publish("s", "e", json!(1));
    let last = recv(&mut first).await;
    stop(first).await;
    let m2 = sim.publish("s", "e", json!(2));
    let m3 = sim.publish("s", "e", json!(3));

    let resume = HashMap::from([(
        "s".to_string(),
        ResumePoint {
            channel_serial: last.serial.clone().filter(|_| keep_serial),
            last_message_id: Some(last.id.clone()),
            last_timestamp_ms: last.timestamp_ms,
        },
    )]);
    let mut second = start_client(
        settings(&sim, &["s"], KEY, Duration::from_millis(50)),
        resume,
    );
    let got = [recv(&mut second).await, recv(&mut second).await];
    assert_eq!(
        [got[0].id.as_str(), got[1].id.as_str()],
        [m2.as_str(), m3.as_str()]
    );
    assert_next_is_sentinel(&sim, &mut second, "s").await;
    let history_requests = sim.stats().history_requests;
    stop(second).await;
    history_requests
}

#[tokio::test]
async fn a_restart_after_the_history_window_reports_the_gap_then_what_history_still_holds() {
    let retention = Duration::from_millis(600);
    let config = SimConfig {
        history_retention: retention,
        ..SimConfig::default()
    };
    let sim = AblySim::start_with(0, KEY, config).await.unwrap();
    let mut first = start(&sim, &["s"]).await;
    sim.publish("s", "e", json!(1));
    let last = recv(&mut first).await;
    stop(first).await;
    let lost = sim.publish("s", "e", json!("lost"));
    // Both messages age out of the window; then one more arrives while the client is away.
    tokio::time::sleep(retention + Duration::from_millis(100)).await;
    let kept = sim.publish("s", "e", json!("kept"));
    let resume = HashMap::from([(
        "s".to_string(),
        ResumePoint {
            channel_serial: last.serial.clone(),
            last_message_id: Some(last.id.clone()),
            last_timestamp_ms: last.timestamp_ms,
        },
    )]);
    let mut second = start_client(
        settings(&sim, &["s"], KEY, Duration::from_millis(50)),
        resume,
    );
    assert_eq!(
        recv_item(&mut second).await,
        Inbound::Gap(ContinuityGap {
            channel: "s".into(),
            last_message_id: last.id.clone(),
            since_ms: last.timestamp_ms.unwrap(),
        }),
        "the channel serial is too old to resume over and history lost the last message"
    );
    let next = recv(&mut second).await;
    assert_eq!(next.id, kept, "{lost} is gone; {kept} is still in history");
    assert_next_is_sentinel(&sim, &mut second, "s").await;
    stop(second).await;
}

#[tokio::test]
async fn a_restart_resumes_from_the_persisted_channel_serial() {
    assert_eq!(
        restart_after_two_missed_messages(true).await,
        0,
        "the serial alone should suffice"
    );
}

#[tokio::test]
async fn a_restart_without_a_serial_recovers_from_history() {
    assert_eq!(restart_after_two_missed_messages(false).await, 1);
}
