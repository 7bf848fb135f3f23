//! An Ably simulator speaking the realtime protocol subset the supervisor uses (JSON over
//! websocket, protocol version 2: `CONNECTED` with connection details, `ATTACH`/
//! `ATTACHED` with channel serials and `rewind`, `MESSAGE`, `HEARTBEAT`, `DETACH`, `CLOSE`, connection
//! and channel resume) and the REST publish and history endpoints, on one loopback port.
//!
//! - [`state`]: channels with ordered message logs and serials, connections (no I/O).
//! - [`protocol`]: the realtime wire messages.
//! - [`faults`]: refused resumes, silenced heartbeats, malformed frames.
//! - `hub`: the state behind a lock plus each session's outbound queue.
//! - `realtime`: one websocket session; `rest`: the HTTP routes; `server`: the listener.
//! - [`query`]: query-string lookups; [`rewind`]: the `rewind` channel parameter.

pub mod faults;
mod hub;
pub mod protocol;
pub mod query;
mod realtime;
mod rest;
pub mod rewind;
mod server;
pub mod state;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use hub::{SimConfig, SimStats};

use hub::{Hub, Outbound};
use state::NewMessage;

/// A running Ably simulator on 127.0.0.1; it stops, dropping every connection, when
/// dropped.
pub struct AblySim {
    addr: SocketAddr,
    hub: Arc<Hub>,
    shutdown: watch::Sender<bool>,
}

impl AblySim {
    /// Starts on 127.0.0.1:`port` (0 picks a free port) with the default [`SimConfig`];
    /// `api_key` is the only key accepted (`appId.keyId:secret`).
    pub async fn start(port: u16, api_key: &str) -> std::io::Result<Self> {
        Self::start_with(port, api_key, SimConfig::default()).await
    }

    /// Starts with an explicit configuration (e.g. a shorter `maxIdleInterval`).
    pub async fn start_with(port: u16, api_key: &str, config: SimConfig) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let hub = Arc::new(Hub::new(api_key, config));
        let (shutdown, stopped) = watch::channel(false);
        server::spawn(listener, hub.clone(), stopped);
        Ok(Self {
            addr,
            hub,
            shutdown,
        })
    }

    /// The realtime endpoint, `ws://127.0.0.1:PORT`.
    pub fn realtime_url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    /// The REST endpoint, `http://127.0.0.1:PORT` (the same port).
    pub fn rest_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Publishes as an SDK would: a string as is, anything else as JSON text with
    /// `encoding: "json"`. Returns the message id.
    pub fn publish(&self, channel: &str, name: &str, data: Value) -> String {
        let (data, encoding) = match data {
            Value::String(s) => (Value::String(s), None),
            other => (Value::String(other.to_string()), Some("json".to_string())),
        };
        self.publish_message(
            channel,
            NewMessage {
                name: Some(name.to_string()),
                data: Some(data),
                encoding,
                ..NewMessage::default()
            },
        )
    }

    /// Publishes a raw message object (`name`, `data`, `encoding`, `id`, `clientId`) with
    /// its payload exactly as given, e.g. base64 text with `encoding: "utf-8/base64"`.
    /// Returns the message id.
    pub fn publish_raw(&self, channel: &str, message: Value) -> String {
        let text = |field: &str| {
            message
                .get(field)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        self.publish_message(
            channel,
            NewMessage {
                id: text("id"),
                name: text("name"),
                data: message.get("data").cloned(),
                encoding: text("encoding"),
                client_id: text("clientId"),
                connection_id: None,
            },
        )
    }

    fn publish_message(&self, channel: &str, message: NewMessage) -> String {
        let wanted = message.id.clone();
        self.hub
            .publish(channel, vec![message])
            .into_iter()
            .next()
            .map(|m| m.id)
            .or(wanted)
            .unwrap_or_default()
    }

    /// Live realtime connections.
    pub fn connections(&self) -> usize {
        self.hub.connections()
    }

    /// Live connections attached to `channel`.
    pub fn attached(&self, channel: &str) -> usize {
        self.hub.attached(channel)
    }

    /// What the simulator has done so far.
    pub fn stats(&self) -> SimStats {
        self.hub.stats()
    }

    /// Waits until `condition` holds, re-checking on every change of the simulator's
    /// state; `false` if `timeout` passes first.
    pub async fn wait_until(
        &self,
        timeout: Duration,
        mut condition: impl FnMut(&Self) -> bool,
    ) -> bool {
        let mut changes = self.hub.subscribe();
        let check = async {
            loop {
                if condition(self) {
                    return;
                }
                if changes.changed().await.is_err() {
                    std::future::pending::<()>().await;
                }
            }
        };
        tokio::time::timeout(timeout, check).await.is_ok()
    }

    /// Drops every realtime connection abruptly (no close frame), keeping their state so
    /// that clients can resume.
    pub fn drop_connections(&self) {
        self.hub.broadcast(|| Outbound::Drop);
    }

    /// Refuses (or again honours) connection and channel resumes.
    pub fn set_refuse_resume(&self, on: bool) {
        self.hub.faults.set_refuse_resume(on);
    }

    /// Sends heartbeats on idle connections (default), or nothing at all when off, so
    /// that clients must detect the silence themselves.
    pub fn set_heartbeats(&self, on: bool) {
        self.hub.faults.set_heartbeats(on);
    }

    /// Sends every connection a non-JSON frame and `MESSAGE`s whose payloads cannot be
    /// decoded (see [`faults::malformed_frames`]).
    pub fn send_malformed(&self) {
        self.hub.broadcast(|| Outbound::Malformed);
    }

    /// Every message published on `channel`, oldest first, as REST history returns them
    /// (`id`, `name`, `data`, `encoding`, `timestamp`, ...).
    pub fn published(&self, channel: &str) -> Vec<Value> {
        self.hub
            .messages(channel)
            .iter()
            .map(state::StoredMessage::to_json)
            .collect()
    }

    /// The configuration it runs with.
    pub fn config(&self) -> SimConfig {
        self.hub.config
    }
}

impl Drop for AblySim {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
        self.hub.broadcast(|| Outbound::Drop);
    }
}
