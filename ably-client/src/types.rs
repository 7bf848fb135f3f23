//! What the client hands to the supervisor, and what the supervisor persists to resume.

/// One message received on a channel, its payload decoded.
#[derive(Clone, Debug, PartialEq)]
pub struct InboundMessage {
    /// Ably's message id, unique per message; the client never delivers an id twice
    /// within its de-duplication window.
    pub id: String,
    /// The channel (strategy) it arrived on.
    pub channel: String,
    /// The event name, if the publisher set one.
    pub name: Option<String>,
    /// The payload decoded per its `encoding` (`json`, `utf-8`, `base64`, chained); a
    /// string holding a JSON object or array is parsed into it.
    pub data: serde_json::Value,
    /// When Ably received the message, in ms since the Unix epoch.
    pub timestamp_ms: Option<i64>,
    /// The channel serial to attach with to resume right after this message; set on the
    /// last message of each realtime delivery, `None` for messages recovered from history.
    pub serial: Option<String>,
}

/// What the client hands to the supervisor, in order per channel.
#[derive(Clone, Debug, PartialEq)]
pub enum Inbound {
    /// A message, live or recovered from history.
    Message(InboundMessage),
    /// Continuity was lost on a channel and its history no longer reaches back to the last
    /// message handled: messages published meanwhile may be lost for good.
    Gap(ContinuityGap),
}

/// A channel whose missed messages history could not all give back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContinuityGap {
    /// The channel (strategy).
    pub channel: String,
    /// The last message handled before the gap.
    pub last_message_id: String,
    /// Messages from this time (ms since the Unix epoch) on may have been missed.
    pub since_ms: i64,
}

/// The state of the realtime link, published on the watch channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkState {
    /// Opening a websocket or waiting for `CONNECTED`.
    Connecting,
    /// Connected; channels are (being) attached.
    Connected,
    /// Not connected; a reconnect is scheduled.
    Disconnected {
        /// Why the link went down (never contains the key).
        reason: String,
    },
    /// Ably refused the connection (e.g. invalid key); retried at the longest backoff.
    Failed {
        /// Ably's error (never contains the key).
        reason: String,
    },
}

/// Where a channel left off, as persisted by the supervisor, so that a restart recovers
/// the messages it missed: by attaching with the channel serial, or else from REST
/// history since the last message's timestamp.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResumePoint {
    /// The last channel serial seen ([`InboundMessage::serial`]).
    pub channel_serial: Option<String>,
    /// The id of the last message handled; it is not delivered again.
    pub last_message_id: Option<String>,
    /// The timestamp of the last message handled, in ms since the Unix epoch.
    pub last_timestamp_ms: Option<i64>,
}
