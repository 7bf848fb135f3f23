//! The Ably simulator's wire protocol, checked with a raw websocket client and raw HTTP:
//! what a real Ably client library would see.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use sim::ably::protocol::{FLAG_RESUMED, action};
use sim::ably::{AblySim, SimConfig};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

const KEY: &str = "app1.key1:s3cr3t";
const WAIT: Duration = Duration::from_secs(5);

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

fn url(sim: &AblySim, key: &str, extra: &str) -> String {
    format!(
        "{}/?key={}&v=2&format=json&heartbeats=true&echo=false{extra}",
        sim.realtime_url(),
        escape_query(key)
    )
}

async fn open(url: &str) -> Ws {
    tokio_tungstenite::connect_async(url).await.unwrap().0
}

/// The next protocol message, skipping heartbeats and pings.
async fn next(ws: &mut Ws) -> Value {
    loop {
        let v = next_any(ws).await;
        if v["action"] != action::HEARTBEAT {
            return v;
        }
    }
}

/// The next protocol message, heartbeats included.
async fn next_any(ws: &mut Ws) -> Value {
    loop {
        let frame = tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("a frame in time")
            .expect("the socket open")
            .expect("a frame");
        match frame {
            Message::Text(text) => return serde_json::from_str(text.as_str()).unwrap(),
            Message::Ping(_) | Message::Pong(_) => {}
            other => panic!("unexpected frame {other:?}"),
        }
    }
}

/// The next raw text frame.
async fn next_text(ws: &mut Ws) -> String {
    loop {
        match tokio::time::timeout(WAIT, ws.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap()
        {
            Message::Text(text) => return text.as_str().to_string(),
            Message::Ping(_) | Message::Pong(_) => {}
            other => panic!("unexpected frame {other:?}"),
        }
    }
}

async fn send(ws: &mut Ws, v: Value) {
    ws.send(Message::text(v.to_string())).await.unwrap();
}

async fn attach(ws: &mut Ws, channel: &str, serial: Option<&str>) -> Value {
    let mut msg = json!({"action": action::ATTACH, "channel": channel});
    if let Some(serial) = serial {
        msg["channelSerial"] = json!(serial);
    }
    send(ws, msg).await;
    let attached = next(ws).await;
    assert_eq!(attached["action"], action::ATTACHED, "{attached}");
    assert_eq!(attached["channel"], channel);
    attached
}

/// Waits until the socket ends (the simulator dropped it).
async fn ended(ws: &mut Ws) {
    tokio::time::timeout(WAIT, async { while let Some(Ok(_)) = ws.next().await {} })
        .await
        .expect("the socket to end");
}

fn flags(v: &Value) -> i64 {
    v["flags"].as_i64().unwrap_or(0)
}

fn rest() -> reqwest::Client {
    reqwest::Client::new()
}

fn with_key(request: reqwest::RequestBuilder, key: &str) -> reqwest::RequestBuilder {
    let (name, secret) = key.split_once(':').unwrap();
    request.basic_auth(name, Some(secret))
}

#[tokio::test]
async fn connected_carries_connection_id_key_and_details() {
    let config = SimConfig {
        max_idle_interval: Duration::from_millis(1500),
        ..SimConfig::default()
    };
    let sim = AblySim::start_with(0, KEY, config).await.unwrap();
    assert!(sim.realtime_url().starts_with("ws://127.0.0.1:"));
    let mut ws = open(&url(&sim, KEY, "")).await;
    let connected = next(&mut ws).await;
    assert_eq!(connected["action"], action::CONNECTED);
    let id = connected["connectionId"].as_str().unwrap();
    assert!(!id.is_empty());
    let details = &connected["connectionDetails"];
    assert_eq!(details["connectionKey"], connected["connectionKey"]);
    assert!(!details["connectionKey"].as_str().unwrap().is_empty());
    assert_eq!(details["maxIdleInterval"], 1500);
    assert_eq!(details["connectionStateTtl"], 120_000);
    assert!(connected.get("error").is_none());
    assert_eq!(flags(&connected) & FLAG_RESUMED, 0);
    assert!(sim.wait_until(WAIT, |s| s.connections() == 1).await);
    assert_eq!(sim.stats().connects, 1);
}

#[tokio::test]
async fn rest_publish_reaches_the_attached_socket_as_a_message() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    let mut ws = open(&url(&sim, KEY, "")).await;
    next(&mut ws).await;
    let attached = attach(&mut ws, "strategy-a", None).await;
    assert!(attached["channelSerial"].is_string());
    assert_eq!(flags(&attached) & FLAG_RESUMED, 0);
    assert_eq!(sim.attached("strategy-a"), 1);

    let response = with_key(
        rest().post(format!("{}/channels/strategy-a/messages", sim.rest_url())),
        KEY,
    )
    .json(&json!({"name": "rebalance", "data": "{\"x\":1}", "encoding": "json"}))
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["channel"], "strategy-a");
    let message_id = body["messageId"].as_str().unwrap().to_string();

    let msg = next(&mut ws).await;
    assert_eq!(msg["action"], action::MESSAGE);
    assert_eq!(msg["channel"], "strategy-a");
    assert!(msg["channelSerial"].is_string());
    assert_ne!(msg["channelSerial"], attached["channelSerial"]);
    let m = &msg["messages"][0];
    assert_eq!(m["id"], message_id.as_str());
    assert_eq!(m["name"], "rebalance");
    assert_eq!(m["data"], "{\"x\":1}");
    assert_eq!(m["encoding"], "json");
    assert!(m["timestamp"].as_i64().unwrap() > 1_600_000_000_000);

    // The test API publishes the same way and returns the id it delivered.
    let id = sim.publish("strategy-a", "e", json!({"k": [1, 2]}));
    let msg = next(&mut ws).await;
    assert_eq!(msg["messages"][0]["id"], id.as_str());
    assert_eq!(msg["messages"][0]["data"], r#"{"k":[1,2]}"#);
    assert_eq!(sim.published("strategy-a").len(), 2);
}

#[tokio::test]
async fn history_filters_orders_and_pages() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    let ids: Vec<String> = (1..=5)
        .map(|n| sim.publish("h", "e", json!(format!("m{n}"))))
        .collect();
    let history = format!("{}/channels/h/messages", sim.rest_url());

    let response = with_key(rest().get(&history), KEY)
        .query(&[("direction", "forwards"), ("limit", "2")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let next_link = response
        .headers()
        .get_all("link")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("rel=\"next\""))
        .expect("a next link")
        .to_string();
    let page: Vec<Value> = response.json().await.unwrap();
    let got: Vec<_> = page.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(got, [ids[0].as_str(), ids[1].as_str()]);

    let target = next_link.trim_start_matches('<').split('>').next().unwrap();
    let next_url = reqwest::Url::parse(&history).unwrap().join(target).unwrap();
    let page: Vec<Value> = with_key(rest().get(next_url), KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let got: Vec<_> = page.iter().map(|m| m["data"].as_str().unwrap()).collect();
    assert_eq!(got, ["m3", "m4"]);

    // Default direction is backwards: newest first.
    let page: Vec<Value> = with_key(rest().get(&history), KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page.len(), 5);
    assert_eq!(page[0]["id"], ids[4].as_str());

    // start is inclusive and in ms.
    let after = sim.published("h")[4]["timestamp"].as_i64().unwrap() + 1;
    let page: Vec<Value> = with_key(rest().get(&history), KEY)
        .query(&[("start", after.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(page.is_empty());
    assert_eq!(sim.stats().history_requests, 4);

    let bad = with_key(rest().get(&history), KEY)
        .query(&[("direction", "sideways")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn a_wrong_key_is_refused_on_both_endpoints() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    let mut ws = open(&url(&sim, "app1.key1:wrong", "")).await;
    let error = next(&mut ws).await;
    assert_eq!(error["action"], action::ERROR);
    assert_eq!(error["error"]["code"], 40101);
    assert_eq!(error["error"]["statusCode"], 401);
    assert!(error.get("channel").is_none());
    ended(&mut ws).await;
    assert_eq!(sim.connections(), 0);
    assert_eq!(sim.stats().refused_keys, 1);

    let history = format!("{}/channels/c/messages", sim.rest_url());
    let wrong = with_key(rest().get(&history), "app1.key1:wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert_eq!(wrong.headers()["x-ably-errorcode"], "40101");
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["error"]["code"], 40101);
    let none = rest()
        .post(&history)
        .json(&json!({"data": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 401);
    assert!(sim.published("c").is_empty());
}

#[tokio::test]
async fn old_protocol_versions_and_other_formats_are_refused() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    let old = format!(
        "{}/?key={}&v=1.2&format=json",
        sim.realtime_url(),
        escape_query(KEY)
    );
    let mut ws = open(&old).await;
    assert_eq!(next(&mut ws).await["error"]["code"], 40017);
    let msgpack = format!(
        "{}/?key={}&v=2&format=msgpack",
        sim.realtime_url(),
        escape_query(KEY)
    );
    let mut ws = open(&msgpack).await;
    assert_eq!(next(&mut ws).await["error"]["code"], 40000);
}

#[tokio::test]
async fn resume_replays_what_was_published_while_away() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    let mut ws = open(&url(&sim, KEY, "")).await;
    let connected = next(&mut ws).await;
    let key = connected["connectionDetails"]["connectionKey"]
        .as_str()
        .unwrap()
        .to_string();
    attach(&mut ws, "r", None).await;
    sim.publish("r", "e", json!("one"));
    let first = next(&mut ws).await;
    let serial = first["channelSerial"].as_str().unwrap().to_string();

    sim.drop_connections();
    // Queued behind the drop: never sent on the old socket.
    sim.publish("r", "e", json!("two"));
    sim.publish("r", "e", json!("three"));
    ended(&mut ws).await;
    assert!(sim.wait_until(WAIT, |s| s.connections() == 0).await);

    let mut ws = open(&url(&sim, KEY, &format!("&resume={}", escape_query(&key)))).await;
    let resumed = next(&mut ws).await;
    assert_eq!(resumed["action"], action::CONNECTED);
    assert_eq!(resumed["connectionId"], connected["connectionId"]);
    assert!(resumed.get("error").is_none());
    assert_ne!(flags(&resumed) & FLAG_RESUMED, 0);
    assert_ne!(resumed["connectionDetails"]["connectionKey"], key.as_str());

    let attached = attach(&mut ws, "r", Some(&serial)).await;
    assert_ne!(flags(&attached) & FLAG_RESUMED, 0);
    let two = next(&mut ws).await;
    let three = next(&mut ws).await;
    assert_eq!(two["messages"][0]["data"], "two");
    assert_eq!(three["messages"][0]["data"], "three");
    assert_eq!(sim.stats().resumes, 1);

    // Live delivery continues after the backlog, with nothing repeated.
    sim.publish("r", "e", json!("four"));
    assert_eq!(next(&mut ws).await["messages"][0]["data"], "four");
}

#[tokio::test]
async fn a_refused_resume_gives_a_new_connection_and_no_backlog() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    sim.set_refuse_resume(true);
    let mut ws = open(&url(&sim, KEY, "")).await;
    let connected = next(&mut ws).await;
    let key = connected["connectionKey"].as_str().unwrap().to_string();
    let attached = attach(&mut ws, "r", None).await;
    let serial = attached["channelSerial"].as_str().unwrap().to_string();
    sim.drop_connections();
    sim.publish("r", "e", json!("missed"));
    ended(&mut ws).await;

    let mut ws = open(&url(&sim, KEY, &format!("&resume={}", escape_query(&key)))).await;
    let fresh = next(&mut ws).await;
    assert_eq!(fresh["action"], action::CONNECTED);
    assert_ne!(fresh["connectionId"], connected["connectionId"]);
    assert_eq!(fresh["error"]["code"], 80008);
    assert_eq!(flags(&fresh) & FLAG_RESUMED, 0);
    let attached = attach(&mut ws, "r", Some(&serial)).await;
    assert_eq!(flags(&attached) & FLAG_RESUMED, 0);
    assert!(attached["error"]["code"].is_i64());
    // No backlog: the next message is the next live one.
    sim.publish("r", "e", json!("live"));
    assert_eq!(next(&mut ws).await["messages"][0]["data"], "live");
    assert_eq!(sim.stats().failed_resumes, 1);
    assert_eq!(sim.stats().resumes, 0);
}

#[tokio::test]
async fn heartbeats_come_while_idle_and_can_be_silenced() {
    let config = SimConfig {
        max_idle_interval: Duration::from_millis(200),
        ..SimConfig::default()
    };
    let sim = AblySim::start_with(0, KEY, config).await.unwrap();
    let mut ws = open(&url(&sim, KEY, "")).await;
    next(&mut ws).await;
    assert_eq!(next_any(&mut ws).await["action"], action::HEARTBEAT);
    assert_eq!(next_any(&mut ws).await["action"], action::HEARTBEAT);

    sim.set_heartbeats(false);
    // Drain a heartbeat that may already be on its way, then expect silence.
    let _ = tokio::time::timeout(Duration::from_millis(300), ws.next()).await;
    let silent = tokio::time::timeout(Duration::from_millis(800), ws.next()).await;
    assert!(silent.is_err(), "expected silence, got {silent:?}");

    sim.set_heartbeats(true);
    assert_eq!(next_any(&mut ws).await["action"], action::HEARTBEAT);
}

#[tokio::test]
async fn malformed_frames_are_sent_to_attached_connections() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    let mut ws = open(&url(&sim, KEY, "")).await;
    next(&mut ws).await;
    attach(&mut ws, "m", None).await;
    sim.send_malformed();
    let text = next_text(&mut ws).await;
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    let bad = next(&mut ws).await;
    assert_eq!(bad["action"], action::MESSAGE);
    assert_eq!(bad["channel"], "m");
    assert_eq!(bad["messages"][0]["encoding"], "json/base64");
    assert!(bad.get("channelSerial").is_none());
    // Not part of the channel's history.
    assert!(sim.published("m").is_empty());
}

#[tokio::test]
async fn detach_stops_delivery_and_close_disposes_of_the_connection() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    let mut ws = open(&url(&sim, KEY, "")).await;
    let connected = next(&mut ws).await;
    attach(&mut ws, "a", None).await;
    attach(&mut ws, "b", None).await;
    send(&mut ws, json!({"action": action::DETACH, "channel": "a"})).await;
    let detached = next(&mut ws).await;
    assert_eq!(detached["action"], action::DETACHED);
    assert_eq!(detached["channel"], "a");
    sim.publish("a", "e", json!("not for us"));
    sim.publish("b", "e", json!("for us"));
    let msg = next(&mut ws).await;
    assert_eq!(
        (msg["channel"].as_str(), msg["messages"][0]["data"].as_str()),
        (Some("b"), Some("for us"))
    );

    // A realtime publish is acknowledged and stored.
    send(
        &mut ws,
        json!({"action": action::MESSAGE, "channel": "b", "msgSerial": 0, "messages": [{"name": "n", "data": "hi"}]}),
    )
    .await;
    let mut seen_ack = false;
    for _ in 0..2 {
        let v = next(&mut ws).await;
        if v["action"] == action::ACK {
            assert_eq!(
                (v["msgSerial"].as_i64(), v["count"].as_i64()),
                (Some(0), Some(1))
            );
            seen_ack = true;
        }
    }
    assert!(seen_ack);
    assert_eq!(sim.published("b").len(), 2);

    send(&mut ws, json!({"action": action::CLOSE})).await;
    assert_eq!(next(&mut ws).await["action"], action::CLOSED);
    assert!(sim.wait_until(WAIT, |s| s.connections() == 0).await);
    // A closed connection cannot be resumed.
    let key = connected["connectionKey"].as_str().unwrap();
    let mut ws = open(&url(&sim, KEY, &format!("&resume={}", escape_query(key)))).await;
    let again = next(&mut ws).await;
    assert_ne!(again["connectionId"], connected["connectionId"]);
    assert_eq!(again["error"]["code"], 80008);
}

#[tokio::test]
async fn rewind_replays_the_last_messages_through_params_or_a_qualified_name() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    for n in 1..=4 {
        sim.publish("w", "e", json!(n.to_string()));
    }
    let mut ws = open(&url(&sim, KEY, "")).await;
    next(&mut ws).await;
    send(
        &mut ws,
        json!({"action": action::ATTACH, "channel": "w", "params": {"rewind": "2"}}),
    )
    .await;
    let attached = next(&mut ws).await;
    assert_eq!(attached["action"], action::ATTACHED);
    assert_eq!(attached["params"]["rewind"], "2");
    assert_eq!(
        flags(&attached) & FLAG_RESUMED,
        0,
        "a rewind is not a resume"
    );
    assert_eq!(next(&mut ws).await["messages"][0]["data"], "3");
    assert_eq!(next(&mut ws).await["messages"][0]["data"], "4");

    // The qualifier form: replies and deliveries keep the name as the client gave it.
    let qualified = "[?rewind=1]w";
    attach(&mut ws, qualified, None).await;
    let rewound = next(&mut ws).await;
    assert_eq!(rewound["channel"], qualified);
    assert_eq!(rewound["messages"][0]["data"], "4");
    sim.publish("w", "e", json!("5"));
    let live = next(&mut ws).await;
    assert_eq!(
        (
            live["channel"].as_str(),
            live["messages"][0]["data"].as_str()
        ),
        (Some(qualified), Some("5"))
    );
}

#[tokio::test]
async fn a_resume_ignores_rewind_and_a_bad_rewind_fails_the_channel_with_40003() {
    let sim = AblySim::start(0, KEY).await.unwrap();
    sim.publish("v", "e", json!("one"));
    let mut ws = open(&url(&sim, KEY, "")).await;
    next(&mut ws).await;
    let attached = attach(&mut ws, "v", None).await;
    let serial = attached["channelSerial"].as_str().unwrap().to_string();
    sim.publish("v", "e", json!("two"));
    assert_eq!(next(&mut ws).await["messages"][0]["data"], "two");

    // Re-attaching with the serial of "one" and a rewind of 10: continuity, not the rewind.
    send(
        &mut ws,
        json!({"action": action::ATTACH, "channel": "v", "channelSerial": serial, "params": {"rewind": "10"}}),
    )
    .await;
    let resumed = next(&mut ws).await;
    assert_ne!(flags(&resumed) & FLAG_RESUMED, 0);
    assert_eq!(next(&mut ws).await["messages"][0]["data"], "two");

    send(
        &mut ws,
        json!({"action": action::ATTACH, "channel": "u", "params": {"rewind": "1h"}}),
    )
    .await;
    let refused = next(&mut ws).await;
    assert_eq!(refused["action"], action::ERROR);
    assert_eq!(refused["channel"], "u");
    assert_eq!(
        (
            refused["error"]["code"].as_i64(),
            refused["error"]["statusCode"].as_i64()
        ),
        (Some(40003), Some(400))
    );
    assert_eq!(sim.attached("u"), 0);
}

#[tokio::test]
async fn a_rewind_reaches_no_further_back_than_history_retention() {
    let config = SimConfig {
        history_retention: Duration::from_millis(300),
        ..SimConfig::default()
    };
    let sim = AblySim::start_with(0, KEY, config).await.unwrap();
    sim.publish("t", "e", json!("gone"));
    // Time passing is the scenario: the first message ages out of the window.
    tokio::time::sleep(Duration::from_millis(400)).await;
    sim.publish("t", "e", json!("kept"));
    let mut ws = open(&url(&sim, KEY, "")).await;
    next(&mut ws).await;
    send(
        &mut ws,
        json!({"action": action::ATTACH, "channel": "t", "params": {"rewind": "2m"}}),
    )
    .await;
    assert_eq!(next(&mut ws).await["action"], action::ATTACHED);
    assert_eq!(next(&mut ws).await["messages"][0]["data"], "kept");
}

/// `text` escaped for a query string value.
fn escape_query(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
