//! The realtime wire format the simulator speaks: JSON protocol messages with numeric
//! actions (Ably protocol definition; TR3 flags; CD2 connection details).

use serde_json::{Map, Value, json};

use crate::ably::state::{Attachment, Opened, SimError, StoredMessage};

/// `ProtocolMessage.action` values.
pub mod action {
    /// Keep-alive, either direction.
    pub const HEARTBEAT: i64 = 0;
    /// Publish acknowledged.
    pub const ACK: i64 = 1;
    /// Publish refused.
    pub const NACK: i64 = 2;
    /// Connection established.
    pub const CONNECTED: i64 = 4;
    /// Transport about to close, connection state kept.
    pub const DISCONNECTED: i64 = 6;
    /// Client asks to close the connection.
    pub const CLOSE: i64 = 7;
    /// Connection closed and disposed of.
    pub const CLOSED: i64 = 8;
    /// Fatal connection error, or a channel error.
    pub const ERROR: i64 = 9;
    /// Client asks to attach a channel.
    pub const ATTACH: i64 = 10;
    /// Channel attached.
    pub const ATTACHED: i64 = 11;
    /// Client asks to detach a channel.
    pub const DETACH: i64 = 12;
    /// Channel detached.
    pub const DETACHED: i64 = 13;
    /// Messages on a channel, either direction.
    pub const MESSAGE: i64 = 15;
}

/// `ProtocolMessage.flags` bit: continuity kept (on `ATTACHED` and a resumed `CONNECTED`).
pub const FLAG_RESUMED: i64 = 1 << 2;

/// Timing advertised in `CONNECTED.connectionDetails`, in ms.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// `maxIdleInterval`.
    pub max_idle_interval_ms: u64,
    /// `connectionStateTtl`.
    pub connection_state_ttl_ms: u64,
}

/// `CONNECTED` for an opened connection.
pub fn connected(opened: &Opened, timing: Timing) -> Value {
    let mut m = Map::new();
    m.insert("action".into(), json!(action::CONNECTED));
    m.insert("connectionId".into(), json!(opened.id));
    m.insert("connectionKey".into(), json!(opened.key));
    m.insert(
        "connectionDetails".into(),
        json!({
            "connectionKey": opened.key,
            "maxIdleInterval": timing.max_idle_interval_ms,
            "connectionStateTtl": timing.connection_state_ttl_ms,
            "maxMessageSize": 65536,
            "maxFrameSize": 524288,
            "maxInboundRate": 50,
            "serverId": "sim",
        }),
    );
    if opened.resumed {
        m.insert("flags".into(), json!(FLAG_RESUMED));
    }
    if let Some(error) = &opened.error {
        m.insert("error".into(), error.to_json());
    }
    Value::Object(m)
}

/// `ERROR`, for the connection or (with `channel`) one channel.
pub fn error(error: &SimError, channel: Option<&str>) -> Value {
    let mut m = Map::new();
    m.insert("action".into(), json!(action::ERROR));
    if let Some(channel) = channel {
        m.insert("channel".into(), json!(channel));
    }
    m.insert("error".into(), error.to_json());
    Value::Object(m)
}

/// `ATTACHED` for `channel`.
pub fn attached(channel: &str, attachment: &Attachment) -> Value {
    let mut m = Map::new();
    m.insert("action".into(), json!(action::ATTACHED));
    m.insert("channel".into(), json!(channel));
    m.insert("channelSerial".into(), json!(attachment.serial));
    // Mode flags PUBLISH | SUBSCRIBE, as a default attach grants.
    let mut flags = (1 << 17) | (1 << 18);
    if attachment.resumed {
        flags |= FLAG_RESUMED;
    }
    m.insert("flags".into(), json!(flags));
    if let Some(error) = &attachment.error {
        m.insert("error".into(), error.to_json());
    }
    Value::Object(m)
}

/// `MESSAGE` carrying one stored message, with its channel serial.
pub fn message(channel: &str, stored: &StoredMessage) -> Value {
    json!({
        "action": action::MESSAGE,
        "id": format!("{}:0", stored.id.rsplit_once(':').map_or(stored.id.as_str(), |(base, _)| base)),
        "channel": channel,
        "channelSerial": stored.serial,
        "connectionId": stored.connection_id,
        "timestamp": stored.timestamp,
        "messages": [stored.to_json()],
    })
}

/// A message with only `action` (and optionally `channel`) set.
pub fn bare(action: i64, channel: Option<&str>) -> Value {
    match channel {
        Some(channel) => json!({"action": action, "channel": channel}),
        None => json!({"action": action}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connected_carries_details_flags_and_error() {
        let opened = Opened {
            id: "c1".into(),
            key: "c1!k".into(),
            resumed: true,
            error: None,
        };
        let timing = Timing {
            max_idle_interval_ms: 2000,
            connection_state_ttl_ms: 120_000,
        };
        let v = connected(&opened, timing);
        assert_eq!(v["action"], 4);
        assert_eq!(v["connectionDetails"]["connectionKey"], "c1!k");
        assert_eq!(v["connectionDetails"]["maxIdleInterval"], 2000);
        assert_eq!(v["flags"], FLAG_RESUMED);
        let failed = Opened {
            resumed: false,
            error: Some(SimError::new((80008, 400), "x")),
            ..opened
        };
        let v = connected(&failed, timing);
        assert!(v.get("flags").is_none());
        assert_eq!(v["error"]["code"], 80008);
    }

    #[test]
    fn attached_sets_resumed_only_when_resumed() {
        let mut at = Attachment {
            resumed: false,
            serial: "e:3".into(),
            backlog: vec![],
            error: None,
        };
        assert_eq!(
            attached("c", &at)["flags"].as_i64().unwrap() & FLAG_RESUMED,
            0
        );
        at.resumed = true;
        assert_ne!(
            attached("c", &at)["flags"].as_i64().unwrap() & FLAG_RESUMED,
            0
        );
        assert_eq!(attached("c", &at)["channelSerial"], "e:3");
    }
}
