//! What the Ably client's integration tests share: settings for the simulator, a client
//! started against it, and ways to wait for its messages and states.
#![allow(dead_code, reason = "each test binary uses a part")]

use std::collections::HashMap;
use std::time::Duration;

use ably_client::{
    AblySettings, ApiKey, ClientTuning, Inbound, InboundMessage, LinkState, ResumePoint,
    spawn_with_tuning,
};
use serde_json::{Value, json};
use sim::ably::AblySim;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub const KEY: &str = "appX.keyY:Sup3rS3cretValue";
pub const SECRET: &str = "Sup3rS3cretValue";
pub const WAIT: Duration = Duration::from_secs(10);

pub struct Client {
    pub rx: mpsc::Receiver<Inbound>,
    pub state: watch::Receiver<LinkState>,
    pub stop: CancellationToken,
    pub task: JoinHandle<()>,
}

pub fn settings(sim: &AblySim, channels: &[&str], key: &str, base: Duration) -> AblySettings {
    AblySettings {
        realtime_url: sim.realtime_url(),
        rest_url: sim.rest_url(),
        api_key: ApiKey::new(key.to_string()),
        channels: channels.iter().map(|c| c.to_string()).collect(),
        reconnect_base: base,
        reconnect_max: base * 4,
    }
}

pub fn tuning() -> ClientTuning {
    ClientTuning {
        request_timeout: Duration::from_millis(700),
        ..ClientTuning::default()
    }
}

pub fn start_client(settings: AblySettings, resume: HashMap<String, ResumePoint>) -> Client {
    let (tx, rx) = mpsc::channel(64);
    let (state_tx, state) = watch::channel(LinkState::Connecting);
    let stop = CancellationToken::new();
    let task = spawn_with_tuning(settings, tuning(), resume, tx, state_tx, stop.clone());
    Client {
        rx,
        state,
        stop,
        task,
    }
}

pub async fn start(sim: &AblySim, channels: &[&str]) -> Client {
    let client = start_client(
        settings(sim, channels, KEY, Duration::from_millis(50)),
        HashMap::new(),
    );
    attached(sim, channels).await;
    client
}

/// Waits until every channel has one attached connection.
pub async fn attached(sim: &AblySim, channels: &[&str]) {
    assert!(
        sim.wait_until(WAIT, |s| channels.iter().all(|c| s.attached(c) == 1))
            .await,
        "channels never attached"
    );
}

pub async fn recv(client: &mut Client) -> InboundMessage {
    match recv_item(client).await {
        Inbound::Message(message) => message,
        Inbound::Gap(gap) => panic!("a message, not {gap:?}"),
    }
}

pub async fn recv_item(client: &mut Client) -> Inbound {
    tokio::time::timeout(WAIT, client.rx.recv())
        .await
        .expect("a message in time")
        .expect("the client running")
}

pub async fn wait_state(client: &mut Client, what: impl FnMut(&LinkState) -> bool) -> LinkState {
    tokio::time::timeout(WAIT, client.state.wait_for(what))
        .await
        .expect("the state in time")
        .expect("the client running")
        .clone()
}

pub async fn stop(client: Client) {
    client.stop.cancel();
    tokio::time::timeout(WAIT, client.task)
        .await
        .expect("the client to stop")
        .expect("no panic");
}

/// Publishes a sentinel and checks it is the very next message: nothing (no duplicate)
/// came before it.
pub async fn assert_next_is_sentinel(sim: &AblySim, client: &mut Client, channel: &str) {
    let id = sim.publish(channel, "sentinel", json!("end"));
    let next = recv(client).await;
    assert_eq!(
        next.id, id,
        "unexpected message before the sentinel: {next:?}"
    );
}

pub fn datas(messages: &[InboundMessage]) -> Vec<Value> {
    messages.iter().map(|m| m.data.clone()).collect()
}
