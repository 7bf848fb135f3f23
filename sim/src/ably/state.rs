//! The simulated Ably state, free of any wire handling: channels with ordered message
//! logs and serials, and connections with their keys and attachments.
//!
//! A channel serial is `{epoch}:{n}`, `n` counting the messages of the channel's log up to
//! and including the one it names, so attaching with a serial replays exactly what came
//! after it. Serials of another simulator instance (another epoch) are not recognised.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value, json};

use crate::ably::rewind::{self, Rewind};

/// Error codes and statuses the simulator answers with (Ably's `errors.json`).
pub mod codes {
    /// Bad request (wrong query parameters, e.g. `format`).
    pub const BAD_REQUEST: (i64, i64) = (40000, 400);
    /// The request body is not a message or an array of messages.
    pub const INVALID_BODY: (i64, i64) = (40001, 400);
    /// A query parameter has a bad value.
    pub const INVALID_PARAMETER: (i64, i64) = (40003, 400);
    /// The `v` query parameter is missing or too old.
    pub const UNSUPPORTED_PROTOCOL: (i64, i64) = (40017, 400);
    /// No credentials sent.
    pub const UNAUTHORIZED: (i64, i64) = (40100, 401);
    /// The key is not the simulator's.
    pub const INVALID_CREDENTIALS: (i64, i64) = (40101, 401);
    /// A resume that cannot be honoured (connection state expired or refused).
    pub const CONNECTION_EXPIRED: (i64, i64) = (80008, 400);
    /// A channel resume whose serial is not this simulator's (Ably: resumed in a
    /// different region).
    pub const RESUMED_ELSEWHERE: (i64, i64) = (90005, 404);
    /// A channel resume from a point no longer retained (continuity not guaranteed).
    pub const CHANNEL_MESSAGES_EXPIRED: (i64, i64) = (90003, 404);
    /// A rewind or resume asking for more messages than one replay delivers.
    pub const BACKLOG_TOO_LARGE: (i64, i64) = (90004, 404);
}

/// Where an `ATTACH` starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttachFrom<'a> {
    /// At the present position: only messages published from now on.
    Now,
    /// Right after this channel serial (a resume).
    After(&'a str),
    /// At a point in the past (the `rewind` parameter on a first attachment).
    Rewind(Rewind),
}

/// An Ably error object: `{code, statusCode, message}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimError {
    /// Ably error code.
    pub code: i64,
    /// HTTP-like status.
    pub status_code: i64,
    /// Human-readable description.
    pub message: String,
}

impl SimError {
    /// An error from one of [`codes`] and a message.
    pub fn new((code, status_code): (i64, i64), message: impl Into<String>) -> Self {
        Self {
            code,
            status_code,
            message: message.into(),
        }
    }

    /// The JSON object.
    pub fn to_json(&self) -> Value {
        json!({"code": self.code, "statusCode": self.status_code, "message": self.message})
    }
}

/// A message as stored in a channel's log.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredMessage {
    /// Unique message id.
    pub id: String,
    /// Event name.
    pub name: Option<String>,
    /// Payload as published (already encoded per `encoding`).
    pub data: Option<Value>,
    /// Encoding of `data`, e.g. `json` or `utf-8/base64`.
    pub encoding: Option<String>,
    /// Publisher's client id.
    pub client_id: Option<String>,
    /// Publisher's connection id (realtime publishes only).
    pub connection_id: Option<String>,
    /// When the simulator received it (ms since the epoch).
    pub timestamp: i64,
    /// The channel serial naming the position right after this message.
    pub serial: String,
}

impl StoredMessage {
    /// The `Message` object as sent on the wire and by REST history.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id));
        if let Some(name) = &self.name {
            m.insert("name".into(), json!(name));
        }
        if let Some(data) = &self.data {
            m.insert("data".into(), data.clone());
        }
        if let Some(encoding) = &self.encoding {
            m.insert("encoding".into(), json!(encoding));
        }
        if let Some(client_id) = &self.client_id {
            m.insert("clientId".into(), json!(client_id));
        }
        if let Some(connection_id) = &self.connection_id {
            m.insert("connectionId".into(), json!(connection_id));
        }
        m.insert("timestamp".into(), json!(self.timestamp));
        Value::Object(m)
    }
}

/// A message to publish.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewMessage {
    /// Client-chosen id (idempotent publishing); generated when absent.
    pub id: Option<String>,
    /// Event name.
    pub name: Option<String>,
    /// Payload, already encoded per `encoding`.
    pub data: Option<Value>,
    /// Encoding of `data`.
    pub encoding: Option<String>,
    /// Publisher's client id.
    pub client_id: Option<String>,
    /// Publisher's connection id.
    pub connection_id: Option<String>,
}

/// A history query (REST `GET /channels/{name}/messages`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryQuery {
    /// Earliest timestamp, inclusive.
    pub start: i64,
    /// Latest timestamp, inclusive.
    pub end: i64,
    /// Oldest first when true.
    pub forwards: bool,
    /// Page size.
    pub limit: usize,
    /// Items of the filtered, ordered result to skip (the page cursor).
    pub offset: usize,
}

/// One page of history.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryPage {
    /// The page's messages, in the query's order.
    pub items: Vec<StoredMessage>,
    /// The offset of the next page, if there is one.
    pub next_offset: Option<usize>,
}

/// How a websocket connection request was answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    /// Connection id (the same as before when resumed).
    pub id: String,
    /// The new private connection key.
    pub key: String,
    /// Whether the requested resume succeeded.
    pub resumed: bool,
    /// Why a requested resume failed.
    pub error: Option<SimError>,
}

/// How an `ATTACH` was answered.
#[derive(Clone, Debug, PartialEq)]
pub struct Attachment {
    /// Whether continuity from the requested serial is kept (`RESUMED` flag).
    pub resumed: bool,
    /// The channel serial for `ATTACHED`.
    pub serial: String,
    /// Messages after the requested serial, to send right after `ATTACHED`.
    pub backlog: Vec<StoredMessage>,
    /// Why a requested channel resume failed.
    pub error: Option<SimError>,
}

#[derive(Clone, Debug)]
struct ConnectionRecord {
    key: String,
    attached: BTreeSet<String>,
    live: bool,
    disconnected_at_ms: Option<i64>,
}

/// Channels and connections.
#[derive(Debug)]
pub struct SimState {
    epoch: String,
    channels: HashMap<String, Vec<StoredMessage>>,
    connections: HashMap<String, ConnectionRecord>,
    counter: u64,
    last_timestamp: i64,
    /// Messages older than this (ms) are gone from history and cannot be resumed over.
    retention_ms: i64,
}

impl SimState {
    /// Empty state whose serials and ids start with `epoch`.
    pub fn new(epoch: impl Into<String>) -> Self {
        Self {
            epoch: epoch.into(),
            channels: HashMap::new(),
            connections: HashMap::new(),
            counter: 0,
            last_timestamp: 0,
            retention_ms: i64::MAX,
        }
    }

    /// Keeps messages for `retention_ms` only, as a channel without persistence does.
    pub fn with_retention(mut self, retention_ms: i64) -> Self {
        self.retention_ms = retention_ms;
        self
    }

    /// Whether a message stamped `timestamp` is still kept at `now_ms`.
    fn retained(&self, timestamp: i64, now_ms: i64) -> bool {
        now_ms.saturating_sub(timestamp) <= self.retention_ms
    }

    fn next_token(&mut self) -> String {
        self.counter += 1;
        format!("{}{:x}", self.epoch, self.counter)
    }

    fn serial(&self, position: usize) -> String {
        format!("{}:{position}", self.epoch)
    }

    /// The position a serial names on `channel`, if it is one of this epoch's and within
    /// the log.
    pub fn position(&self, channel: &str, serial: &str) -> Option<usize> {
        let (epoch, n) = serial.rsplit_once(':')?;
        let n: usize = n.parse().ok()?;
        let len = self.channels.get(channel).map_or(0, Vec::len);
        (epoch == self.epoch && n <= len).then_some(n)
    }

    /// Appends `messages` to `channel` at `now_ms` (never before the previous message);
    /// a message whose client-chosen id is already in the log is not appended again.
    /// Returns the appended messages.
    pub fn publish(
        &mut self,
        channel: &str,
        messages: Vec<NewMessage>,
        now_ms: i64,
    ) -> Vec<StoredMessage> {
        let timestamp = now_ms.max(self.last_timestamp);
        self.last_timestamp = timestamp;
        let base = self.next_token();
        let mut appended = Vec::new();
        for (index, message) in messages.into_iter().enumerate() {
            let log = self.channels.entry(channel.to_string()).or_default();
            if let Some(id) = &message.id
                && log.iter().any(|m| &m.id == id)
            {
                continue;
            }
            let stored = StoredMessage {
                id: message.id.unwrap_or_else(|| format!("{base}:{index}")),
                name: message.name,
                data: message.data,
                encoding: message.encoding,
                client_id: message.client_id,
                connection_id: message.connection_id,
                timestamp,
                serial: format!("{}:{}", self.epoch, log.len() + 1),
            };
            log.push(stored.clone());
            appended.push(stored);
        }
        appended
    }

    /// Every message of `channel`, oldest first.
    pub fn messages(&self, channel: &str) -> &[StoredMessage] {
        self.channels.get(channel).map_or(&[], Vec::as_slice)
    }

    /// One page of `channel`'s history at `now_ms`: only messages still retained.
    pub fn history(&self, channel: &str, query: &HistoryQuery, now_ms: i64) -> HistoryPage {
        let in_range = |m: &&StoredMessage| {
            m.timestamp >= query.start
                && m.timestamp <= query.end
                && self.retained(m.timestamp, now_ms)
        };
        let matching: Vec<&StoredMessage> = if query.forwards {
            self.messages(channel).iter().filter(in_range).collect()
        } else {
            self.messages(channel)
                .iter()
                .rev()
                .filter(in_range)
                .collect()
        };
        let limit = query.limit.max(1);
        let items: Vec<StoredMessage> = matching
            .iter()
            .skip(query.offset)
            .take(limit)
            .map(|m| (*m).clone())
            .collect();
        let next = query.offset + items.len();
        HistoryPage {
            next_offset: (next < matching.len()).then_some(next),
            items,
        }
    }

    /// Answers a connection request, resuming `resume` (a connection key) unless
    /// `refuse` or it is unknown or older than `ttl_ms`.
    pub fn open(&mut self, resume: Option<&str>, refuse: bool, ttl_ms: i64, now_ms: i64) -> Opened {
        self.connections
            .retain(|_, c| c.live || c.disconnected_at_ms.is_none_or(|at| now_ms - at <= ttl_ms));
        let mut error = None;
        if let Some(resume) = resume {
            let found = self
                .connections
                .iter()
                .find(|(_, c)| c.key == resume)
                .map(|(id, _)| id.clone());
            match found {
                Some(id) if !refuse => {
                    let key = format!("{}!{}", id, self.next_token());
                    if let Some(record) = self.connections.get_mut(&id) {
                        record.key.clone_from(&key);
                        record.live = true;
                        record.disconnected_at_ms = None;
                        // The client re-attaches every channel (RTL3d) with its serial.
                        record.attached.clear();
                    }
                    return Opened {
                        id,
                        key,
                        resumed: true,
                        error: None,
                    };
                }
                Some(_) => {
                    error = Some(SimError::new(
                        codes::CONNECTION_EXPIRED,
                        "Unable to recover connection (connection expired)",
                    ));
                }
                None => {
                    error = Some(SimError::new(
                        codes::CONNECTION_EXPIRED,
                        "Unable to recover connection (connection expired)",
                    ));
                }
            }
        }
        let id = format!("c-{}", self.next_token());
        let key = format!("{}!{}", id, self.next_token());
        self.connections.insert(
            id.clone(),
            ConnectionRecord {
                key: key.clone(),
                attached: BTreeSet::new(),
                live: true,
                disconnected_at_ms: None,
            },
        );
        Opened {
            id,
            key,
            resumed: false,
            error,
        }
    }

    /// Attaches `connection` to `channel` at `now_ms` from `from`. A resume is refused
    /// when `refuse` or when the first message after the serial is no longer retained.
    pub fn attach(
        &mut self,
        connection: &str,
        channel: &str,
        from: AttachFrom<'_>,
        refuse: bool,
        now_ms: i64,
    ) -> Attachment {
        let latest = self.serial(self.messages(channel).len());
        let fresh = |error: Option<SimError>| Attachment {
            resumed: false,
            serial: latest.clone(),
            backlog: Vec::new(),
            error,
        };
        let attachment = match from {
            AttachFrom::Now => fresh(None),
            AttachFrom::Rewind(rewind) => {
                let (backlog, error) = self.rewound(channel, rewind, now_ms);
                Attachment {
                    backlog,
                    ..fresh(error)
                }
            }
            AttachFrom::After(requested) => match self.position(channel, requested) {
                Some(n) if !refuse && !self.expired_from(channel, n, now_ms) => Attachment {
                    resumed: true,
                    serial: requested.to_string(),
                    backlog: self.messages(channel)[n..].to_vec(),
                    error: None,
                },
                None if !refuse => fresh(Some(SimError::new(
                    codes::RESUMED_ELSEWHERE,
                    "Unable to recover channel (unable to resume from a different site)",
                ))),
                _ => fresh(Some(SimError::new(
                    codes::CHANNEL_MESSAGES_EXPIRED,
                    "Unable to recover channel (messages expired)",
                ))),
            },
        };
        if let Some(record) = self.connections.get_mut(connection) {
            record.attached.insert(channel.to_string());
        }
        attachment
    }

    /// Whether the message at `position` of `channel` (the first a resume would replay) has
    /// aged out of retention at `now_ms`.
    fn expired_from(&self, channel: &str, position: usize, now_ms: i64) -> bool {
        self.messages(channel)
            .get(position)
            .is_some_and(|first_missed| !self.retained(first_missed.timestamp, now_ms))
    }

    /// The backlog of a rewound attachment: retained messages within the rewind, at most
    /// [`rewind::MAX_MESSAGES`] of them (the newest), with 90004 when more were asked for.
    fn rewound(
        &self,
        channel: &str,
        rewind: Rewind,
        now_ms: i64,
    ) -> (Vec<StoredMessage>, Option<SimError>) {
        let retained: Vec<&StoredMessage> = self
            .messages(channel)
            .iter()
            .filter(|m| self.retained(m.timestamp, now_ms))
            .collect();
        let selected = match rewind {
            Rewind::Messages(n) => &retained[retained.len().saturating_sub(n)..],
            Rewind::Millis(ms) => {
                let since = now_ms.saturating_sub(ms);
                let first = retained.partition_point(|m| m.timestamp < since);
                &retained[first..]
            }
        };
        let over = selected.len().saturating_sub(rewind::MAX_MESSAGES);
        let backlog = selected[over..].iter().map(|m| (*m).clone()).collect();
        let error = (over > 0).then(|| {
            SimError::new(
                codes::BACKLOG_TOO_LARGE,
                "Unable to recover channel (message limit exceeded)",
            )
        });
        (backlog, error)
    }

    /// Detaches `connection` from `channel`.
    pub fn detach(&mut self, connection: &str, channel: &str) {
        if let Some(record) = self.connections.get_mut(connection) {
            record.attached.remove(channel);
        }
    }

    /// The transport of `connection` went away; its state is kept for resume.
    pub fn disconnect(&mut self, connection: &str, now_ms: i64) {
        if let Some(record) = self.connections.get_mut(connection) {
            record.live = false;
            record.disconnected_at_ms = Some(now_ms);
            record.attached.clear();
        }
    }

    /// `connection` closed (`CLOSE`): its state is disposed of.
    pub fn close(&mut self, connection: &str) {
        self.connections.remove(connection);
    }

    /// Live connections attached to `channel`.
    pub fn subscribers(&self, channel: &str) -> Vec<String> {
        self.connections
            .iter()
            .filter(|(_, c)| c.live && c.attached.contains(channel))
            .map(|(id, _)| id.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(data: &str) -> NewMessage {
        NewMessage {
            data: Some(json!(data)),
            ..NewMessage::default()
        }
    }

    #[test]
    fn serials_name_positions_and_attach_replays_after_them() {
        let mut s = SimState::new("e");
        let a = s.publish("ch", vec![text("1")], 10);
        s.publish("ch", vec![text("2"), text("3")], 11);
        assert_eq!(a[0].serial, "e:1");
        assert_eq!(s.position("ch", "e:1"), Some(1));
        assert_eq!(s.position("ch", "x:1"), None);
        assert_eq!(s.position("ch", "e:9"), None);
        let c = s.open(None, false, 1000, 0);
        let at = s.attach(&c.id, "ch", AttachFrom::After("e:1"), false, 0);
        assert!(at.resumed);
        let data: Vec<_> = at.backlog.iter().map(|m| m.data.clone()).collect();
        assert_eq!(data, [Some(json!("2")), Some(json!("3"))]);
        let fresh = s.attach(&c.id, "ch", AttachFrom::Now, false, 0);
        assert!(!fresh.resumed && fresh.backlog.is_empty());
        assert_eq!(fresh.serial, "e:3");
        let refused = s.attach(&c.id, "ch", AttachFrom::After("e:1"), true, 0);
        assert!(!refused.resumed && refused.backlog.is_empty() && refused.error.is_some());
        let foreign = s.attach(&c.id, "ch", AttachFrom::After("other:1"), false, 0);
        assert_eq!(foreign.error.map(|e| e.code), Some(90005));
        assert_eq!(s.subscribers("ch"), [c.id]);
    }

    #[test]
    fn a_rewind_replays_the_last_messages_or_the_last_seconds_up_to_a_hundred() {
        let mut s = SimState::new("e").with_retention(60_000);
        s.publish("ch", vec![text("old")], 0);
        for n in 0..150 {
            s.publish("ch", vec![text(&n.to_string())], 50_000 + n);
        }
        let c = s.open(None, false, 1000, 0);
        let now = 70_000;
        let data = |a: &Attachment| -> Vec<Value> {
            a.backlog.iter().filter_map(|m| m.data.clone()).collect()
        };
        let last_two = s.attach(
            &c.id,
            "ch",
            AttachFrom::Rewind(Rewind::Messages(2)),
            false,
            now,
        );
        assert_eq!(data(&last_two), [json!("148"), json!("149")]);
        assert!(last_two.error.is_none() && !last_two.resumed);
        assert_eq!(last_two.serial, "e:151");
        // 20 s back reaches 50 000..: 150 messages, of which the newest 100 are replayed.
        let by_time = s.attach(
            &c.id,
            "ch",
            AttachFrom::Rewind(Rewind::Millis(20_000)),
            false,
            now,
        );
        assert_eq!(by_time.backlog.len(), 100);
        assert_eq!(by_time.backlog[0].data, Some(json!("50")));
        assert_eq!(by_time.error.map(|e| e.code), Some(90004));
        // Past the retention window nothing is replayed, however far back it asks.
        let all = s.attach(
            &c.id,
            "ch",
            AttachFrom::Rewind(Rewind::Messages(1000)),
            false,
            now,
        );
        assert!(!data(&all).contains(&json!("old")));
        let late = s.attach(
            &c.id,
            "ch",
            AttachFrom::Rewind(Rewind::Messages(5)),
            false,
            200_000,
        );
        assert!(late.backlog.is_empty());
    }

    #[test]
    fn timestamps_never_go_backwards_and_client_ids_are_idempotent() {
        let mut s = SimState::new("e");
        s.publish("ch", vec![text("1")], 100);
        let m = s.publish(
            "ch",
            vec![NewMessage {
                id: Some("fixed".into()),
                ..text("2")
            }],
            50,
        );
        assert_eq!(m[0].timestamp, 100);
        assert!(
            s.publish(
                "ch",
                vec![NewMessage {
                    id: Some("fixed".into()),
                    ..text("2")
                }],
                200
            )
            .is_empty()
        );
        assert_eq!(s.messages("ch").len(), 2);
    }

    #[test]
    fn history_filters_orders_and_pages() {
        let mut s = SimState::new("e");
        for t in 1..=5 {
            s.publish("ch", vec![text(&t.to_string())], t);
        }
        let q = HistoryQuery {
            start: 2,
            end: i64::MAX,
            forwards: true,
            limit: 2,
            offset: 0,
        };
        let p1 = s.history("ch", &q, 0);
        let ts: Vec<_> = p1.items.iter().map(|m| m.timestamp).collect();
        assert_eq!((ts, p1.next_offset), (vec![2, 3], Some(2)));
        let p3 = s.history(
            "ch",
            &HistoryQuery {
                offset: 4,
                ..q.clone()
            },
            0,
        );
        assert!(p3.items.is_empty() && p3.next_offset.is_none());
        let p2 = s.history(
            "ch",
            &HistoryQuery {
                offset: 2,
                ..q.clone()
            },
            0,
        );
        assert_eq!(p2.items.len(), 2);
        assert_eq!(p2.next_offset, None);
        let back = s.history(
            "ch",
            &HistoryQuery {
                forwards: false,
                end: 4,
                ..q.clone()
            },
            0,
        );
        let ts: Vec<_> = back.items.iter().map(|m| m.timestamp).collect();
        assert_eq!(ts, vec![4, 3]);
        let mut kept = SimState::new("e").with_retention(1);
        for t in 1..=4 {
            kept.publish("ch", vec![NewMessage::default()], t);
        }
        let recent = kept.history("ch", &q, 4);
        let ts: Vec<_> = recent.items.iter().map(|m| m.timestamp).collect();
        assert_eq!(ts, vec![3, 4], "older than the retention window: gone");
    }

    #[test]
    fn resume_keeps_the_id_unless_refused_unknown_or_expired() {
        let mut s = SimState::new("e");
        let first = s.open(None, false, 1000, 0);
        s.disconnect(&first.id, 10);
        let again = s.open(Some(&first.key), false, 1000, 20);
        assert!(again.resumed);
        assert_eq!(again.id, first.id);
        assert_ne!(again.key, first.key);
        s.disconnect(&again.id, 30);
        let refused = s.open(Some(&again.key), true, 1000, 40);
        assert!(!refused.resumed);
        assert_ne!(refused.id, first.id);
        assert_eq!(refused.error.map(|e| e.code), Some(80008));
        let unknown = s.open(Some("nope"), false, 1000, 50);
        assert!(!unknown.resumed && unknown.error.is_some());
        // Expired: the record is gone after the TTL.
        let old = s.open(None, false, 1000, 0);
        s.disconnect(&old.id, 0);
        assert!(!s.open(Some(&old.key), false, 1000, 5000).resumed);
    }
}
