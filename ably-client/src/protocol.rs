//! The realtime protocol subset this client speaks: `ProtocolMessage` (one per websocket
//! text frame, JSON), its numeric actions and bit flags, `ConnectionDetails`, `ErrorInfo`
//! and the `Message` objects carried by `MESSAGE` and returned by REST history.
//!
//! Field names and values follow Ably's protocol definition and features spec (TR3, TR4,
//! CD2, TM2, TI1). Unknown fields are ignored; absent and `null` fields are both accepted.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `ProtocolMessage.action` values (TR2 / protocol definition).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    Heartbeat,
    Ack,
    Nack,
    Connect,
    Connected,
    Disconnect,
    Disconnected,
    Close,
    Closed,
    Error,
    Attach,
    Attached,
    Detach,
    Detached,
    Presence,
    Message,
    Sync,
    Auth,
}

impl Action {
    /// The wire value.
    pub(crate) fn code(self) -> i64 {
        match self {
            Action::Heartbeat => 0,
            Action::Ack => 1,
            Action::Nack => 2,
            Action::Connect => 3,
            Action::Connected => 4,
            Action::Disconnect => 5,
            Action::Disconnected => 6,
            Action::Close => 7,
            Action::Closed => 8,
            Action::Error => 9,
            Action::Attach => 10,
            Action::Attached => 11,
            Action::Detach => 12,
            Action::Detached => 13,
            Action::Presence => 14,
            Action::Message => 15,
            Action::Sync => 16,
            Action::Auth => 17,
        }
    }

    /// The action for a wire value; `None` for values this client does not know.
    pub(crate) fn from_code(code: i64) -> Option<Self> {
        const ALL: [Action; 18] = [
            Action::Heartbeat,
            Action::Ack,
            Action::Nack,
            Action::Connect,
            Action::Connected,
            Action::Disconnect,
            Action::Disconnected,
            Action::Close,
            Action::Closed,
            Action::Error,
            Action::Attach,
            Action::Attached,
            Action::Detach,
            Action::Detached,
            Action::Presence,
            Action::Message,
            Action::Sync,
            Action::Auth,
        ];
        ALL.into_iter().find(|a| a.code() == code)
    }
}

/// `ProtocolMessage.flags` bit: the channel (on `ATTACHED`) or connection kept continuity.
pub(crate) const FLAG_RESUMED: i64 = 1 << 2;

/// One protocol message, the unit of every websocket frame.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProtocolMessage {
    pub action: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_serial: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_details: Option<ConnectionDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
    /// Kept raw so that one malformed message does not discard its siblings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<Value>>,
}

impl ProtocolMessage {
    /// A message with only `action` set.
    pub(crate) fn new(action: Action) -> Self {
        Self {
            action: action.code(),
            ..Self::default()
        }
    }

    /// `ATTACH` for `channel`, resuming after `channel_serial` when given (RTL4c1).
    pub(crate) fn attach(channel: &str, channel_serial: Option<&str>) -> Self {
        Self {
            channel: Some(channel.to_string()),
            channel_serial: channel_serial.map(str::to_string),
            ..Self::new(Action::Attach)
        }
    }

    /// The action, if known.
    pub(crate) fn kind(&self) -> Option<Action> {
        Action::from_code(self.action)
    }

    /// Whether `flag` is set.
    pub(crate) fn has_flag(&self, flag: i64) -> bool {
        self.flags.unwrap_or(0) & flag != 0
    }
}

/// `CONNECTED.connectionDetails` (CD2); durations in ms.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ConnectionDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_idle_interval: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_state_ttl: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_id: Option<String>,
}

/// Ably's error object (TI1), in `ERROR`, `CONNECTED`, `ATTACHED`, `DETACHED`,
/// `DISCONNECTED` and REST error bodies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorInfo {
    /// Ably's error code, e.g. 40101 (invalid credentials).
    #[serde(default)]
    pub code: Option<i64>,
    /// The HTTP-like status, e.g. 401.
    #[serde(default)]
    pub status_code: Option<i64>,
    /// A description for developers.
    #[serde(default)]
    pub message: Option<String>,
}

impl ErrorInfo {
    /// Whether retrying the connection can help: server-side (5xx) and token errors, or
    /// no status at all. Other 4xx errors (bad key, no permission) are fatal.
    pub(crate) fn is_retryable(&self) -> bool {
        match self.status_code {
            None => true,
            Some(s) if s >= 500 => true,
            Some(_) => matches!(self.code, Some(c) if (40140..40150).contains(&c)),
        }
    }
}

/// A `Message` as carried by `MESSAGE` and REST history (TM2).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WireMessage {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub data: Option<Value>,
    #[serde(default)]
    pub encoding: Option<String>,
    #[serde(default)]
    pub timestamp: Option<i64>,
}

/// A REST error body: `{"error": {...}}`.
#[derive(Debug, Deserialize)]
pub(crate) struct ErrorBody {
    pub error: ErrorInfo,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_codes_match_the_protocol() {
        let expected = [
            (Action::Heartbeat, 0),
            (Action::Ack, 1),
            (Action::Nack, 2),
            (Action::Connect, 3),
            (Action::Connected, 4),
            (Action::Disconnect, 5),
            (Action::Disconnected, 6),
            (Action::Close, 7),
            (Action::Closed, 8),
            (Action::Error, 9),
            (Action::Attach, 10),
            (Action::Attached, 11),
            (Action::Detach, 12),
            (Action::Detached, 13),
            (Action::Presence, 14),
            (Action::Message, 15),
            (Action::Sync, 16),
            (Action::Auth, 17),
        ];
        for (action, code) in expected {
            assert_eq!(action.code(), code);
            assert_eq!(Action::from_code(code), Some(action));
        }
        assert_eq!(Action::from_code(99), None);
    }

    #[test]
    fn attach_serialises_camel_case_and_omits_absent_fields() {
        let json = serde_json::to_string(&ProtocolMessage::attach("s1", Some("ser:1"))).unwrap();
        assert_eq!(
            json,
            r#"{"action":10,"channel":"s1","channelSerial":"ser:1"}"#
        );
        let json = serde_json::to_string(&ProtocolMessage::attach("s1", None)).unwrap();
        assert_eq!(json, r#"{"action":10,"channel":"s1"}"#);
    }

    #[test]
    fn connected_parses_details_flags_and_nulls() {
        let pm: ProtocolMessage = serde_json::from_str(
            r#"{"action":4,"connectionId":"c1","connectionKey":null,"flags":4,
                "connectionDetails":{"connectionKey":"k1","maxIdleInterval":15000,
                "connectionStateTtl":120000,"serverId":"x"},"error":null,"unknown":1}"#,
        )
        .unwrap();
        assert_eq!(pm.kind(), Some(Action::Connected));
        assert!(pm.has_flag(FLAG_RESUMED));
        let details = pm.connection_details.unwrap();
        assert_eq!(details.connection_key.as_deref(), Some("k1"));
        assert_eq!(details.max_idle_interval, Some(15000));
        assert!(pm.error.is_none());
    }

    #[test]
    fn error_retryability() {
        let e = |code, status| ErrorInfo {
            code: Some(code),
            status_code: Some(status),
            message: None,
        };
        assert!(!e(40101, 401).is_retryable());
        assert!(e(40142, 401).is_retryable());
        assert!(e(50000, 500).is_retryable());
        assert!(!e(40160, 401).is_retryable());
        assert!(ErrorInfo::default().is_retryable());
    }
}
