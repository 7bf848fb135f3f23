//! Hands messages to the supervisor: decoded, de-duplicated by id, in order, and with the
//! channel's continuity bookkeeping updated. A message that cannot be decoded is logged
//! with its channel and skipped; it never stops the ones after it.

use serde_json::Value;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::channel::Channel;
use crate::dedup::RecentIds;
use crate::encoding;
use crate::protocol::{ProtocolMessage, WireMessage};
use crate::types::{ContinuityGap, Inbound, InboundMessage};

/// Why delivery stopped.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Halt {
    /// The client is stopping.
    Stopped,
    /// The supervisor dropped its receiver.
    ReceiverGone,
}

/// The outbound side: the supervisor's channel and the ids already delivered.
pub(crate) struct Delivery {
    out: mpsc::Sender<Inbound>,
    seen: RecentIds,
    stop: CancellationToken,
}

impl Delivery {
    /// Delivers to `out`, remembering `capacity` ids; `stop` interrupts a blocked send.
    pub(crate) fn new(
        out: mpsc::Sender<Inbound>,
        capacity: usize,
        stop: CancellationToken,
    ) -> Self {
        Self {
            out,
            seen: RecentIds::new(capacity),
            stop,
        }
    }

    /// Remembers `id` as delivered (the last message of a previous run).
    pub(crate) fn mark_seen(&mut self, id: &str) {
        self.seen.insert(id);
    }

    /// Delivers the messages of one `MESSAGE` protocol message on `channel`.
    pub(crate) async fn live(
        &mut self,
        channel: &mut Channel,
        message: ProtocolMessage,
    ) -> Result<(), Halt> {
        let items = message.messages.unwrap_or_default();
        let count = items.len();
        for (index, raw) in items.into_iter().enumerate() {
            let wire = match serde_json::from_value::<WireMessage>(raw) {
                Ok(wire) => wire,
                Err(e) => {
                    tracing::warn!(channel = %channel.name, error = %e, "skipping a malformed message");
                    continue;
                }
            };
            // TM2a: a message without an id takes its protocol message's id and index.
            let id = wire
                .id
                .clone()
                .or_else(|| message.id.as_ref().map(|pm_id| format!("{pm_id}:{index}")));
            let Some(id) = id else {
                tracing::warn!(channel = %channel.name, "skipping a message without an id");
                continue;
            };
            // TM2f: a message without a timestamp takes its protocol message's.
            let timestamp = wire.timestamp.or(message.timestamp);
            let serial = if index + 1 == count {
                message.channel_serial.clone()
            } else {
                None
            };
            self.one(channel, id, wire, timestamp, serial).await?;
        }
        if let Some(serial) = message.channel_serial {
            channel.serial = Some(serial);
        }
        Ok(())
    }

    /// Delivers messages recovered from history (oldest first), skipping those up to and
    /// including the channel's last handled message. When the channel had handled a
    /// message and history (fetched from that message's time) no longer holds it, the
    /// messages between may be gone: a [`ContinuityGap`] goes out first. Returns how many
    /// messages were delivered.
    pub(crate) async fn recovered(
        &mut self,
        channel: &mut Channel,
        messages: Vec<WireMessage>,
    ) -> Result<usize, Halt> {
        let found = channel
            .last_id
            .as_ref()
            .map(|last| messages.iter().position(|m| m.id.as_ref() == Some(last)));
        if let (Some(None), Some(last)) = (found, channel.last_id.clone()) {
            let since_ms = channel.last_ts.unwrap_or_default();
            tracing::warn!(channel = %channel.name, last_message_id = %last, since_ms, "history no longer reaches back to the last message handled: messages may be lost");
            self.send(Inbound::Gap(ContinuityGap {
                channel: channel.name.clone(),
                last_message_id: last,
                since_ms,
            }))
            .await?;
        }
        let skip = found.flatten().map_or(0, |at| at + 1);
        let mut delivered = 0;
        for wire in messages.into_iter().skip(skip) {
            let Some(id) = wire.id.clone() else {
                tracing::warn!(channel = %channel.name, "skipping a history item without an id");
                continue;
            };
            let timestamp = wire.timestamp;
            if self.one(channel, id, wire, timestamp, None).await? {
                delivered += 1;
            }
        }
        Ok(delivered)
    }

    /// Decodes and sends one message unless already seen; `true` if it was sent.
    async fn one(
        &mut self,
        channel: &mut Channel,
        id: String,
        wire: WireMessage,
        timestamp: Option<i64>,
        serial: Option<String>,
    ) -> Result<bool, Halt> {
        if !self.seen.insert(&id) {
            tracing::debug!(channel = %channel.name, id, "duplicate message skipped");
            return Ok(false);
        }
        channel.handled(&id, timestamp);
        let data: Value = match encoding::decode(wire.data, wire.encoding.as_deref()) {
            Ok(data) => data,
            Err(e) => {
                tracing::warn!(
                    channel = %channel.name,
                    id,
                    encoding = wire.encoding.as_deref().unwrap_or(""),
                    error = %e,
                    "skipping a message that cannot be decoded"
                );
                return Ok(false);
            }
        };
        let inbound = InboundMessage {
            id,
            channel: channel.name.clone(),
            name: wire.name,
            data,
            timestamp_ms: timestamp,
            serial,
        };
        tracing::debug!(channel = %channel.name, id = %inbound.id, "message received");
        self.send(Inbound::Message(inbound)).await?;
        Ok(true)
    }

    /// Sends one item, unless the client stops first.
    async fn send(&self, item: Inbound) -> Result<(), Halt> {
        tokio::select! {
            biased;
            sent = self.out.send(item) => sent.map_err(|_| Halt::ReceiverGone),
            () = self.stop.cancelled() => Err(Halt::Stopped),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Action;
    use serde_json::json;
    use std::time::Duration;

    fn setup(capacity: usize) -> (Delivery, mpsc::Receiver<Inbound>, Channel) {
        let (tx, rx) = mpsc::channel(16);
        let channel = Channel::new(
            "c".into(),
            None,
            Duration::from_millis(1),
            Duration::from_millis(2),
        );
        (
            Delivery::new(tx, capacity, CancellationToken::new()),
            rx,
            channel,
        )
    }

    fn message_pm(messages: serde_json::Value, serial: &str) -> ProtocolMessage {
        ProtocolMessage {
            id: Some("conn:7".into()),
            channel: Some("c".into()),
            channel_serial: Some(serial.into()),
            timestamp: Some(99),
            messages: serde_json::from_value(messages).ok(),
            ..ProtocolMessage::new(Action::Message)
        }
    }

    #[tokio::test]
    async fn live_messages_are_decoded_deduplicated_and_bad_ones_skipped() {
        let (mut d, mut rx, mut ch) = setup(100);
        let pm = message_pm(
            json!([
                {"id": "a", "data": "{\"x\":1}", "encoding": "json", "timestamp": 5},
                {"id": 7},
                {"id": "b", "data": "%%", "encoding": "base64"},
                {"name": "n", "data": "plain"}
            ]),
            "ser:2",
        );
        d.live(&mut ch, pm.clone()).await.unwrap();
        let a = message(rx.try_recv().unwrap());
        assert_eq!(
            (a.id.as_str(), &a.data, a.timestamp_ms),
            ("a", &json!({"x": 1}), Some(5))
        );
        assert_eq!(a.serial, None);
        let last = message(rx.try_recv().unwrap());
        assert_eq!(last.id, "conn:7:3");
        assert_eq!(last.timestamp_ms, Some(99));
        assert_eq!(last.serial.as_deref(), Some("ser:2"));
        assert!(rx.try_recv().is_err());
        assert_eq!(ch.serial.as_deref(), Some("ser:2"));
        assert_eq!(ch.last_id.as_deref(), Some("conn:7:3"));
        // The same delivery again is entirely duplicate.
        d.live(&mut ch, pm).await.unwrap();
        assert!(rx.try_recv().is_err());
    }

    #[tokio::test]
    async fn recovered_messages_skip_through_the_last_handled_one() {
        let (mut d, mut rx, mut ch) = setup(100);
        ch.last_id = Some("m2".into());
        let history: Vec<WireMessage> = serde_json::from_value(json!([
            {"id": "m1", "data": "1", "timestamp": 1},
            {"id": "m2", "data": "2", "timestamp": 2},
            {"id": "m3", "data": "3", "timestamp": 3},
            {"id": "m4", "data": "4", "timestamp": 4}
        ]))
        .unwrap();
        assert_eq!(d.recovered(&mut ch, history).await.unwrap(), 2);
        let ids: Vec<_> = std::iter::from_fn(|| rx.try_recv().ok())
            .map(|m| message(m).id)
            .collect();
        assert_eq!(ids, ["m3", "m4"]);
        assert_eq!(ch.last_ts, Some(4));
    }

    #[tokio::test]
    async fn history_that_no_longer_holds_the_last_message_is_a_gap() {
        let (mut d, mut rx, mut ch) = setup(100);
        ch.last_id = Some("m1".into());
        ch.last_ts = Some(1);
        let history: Vec<WireMessage> = serde_json::from_value(json!([
            {"id": "m3", "data": "3", "timestamp": 3}
        ]))
        .unwrap();
        assert_eq!(d.recovered(&mut ch, history).await.unwrap(), 1);
        assert_eq!(
            rx.try_recv().unwrap(),
            Inbound::Gap(ContinuityGap {
                channel: "c".into(),
                last_message_id: "m1".into(),
                since_ms: 1,
            })
        );
        assert_eq!(message(rx.try_recv().unwrap()).id, "m3");
        // A channel that never handled a message has nothing to reach back to.
        let (mut d, mut rx, mut fresh) = setup(100);
        d.recovered(&mut fresh, Vec::new()).await.unwrap();
        assert!(rx.try_recv().is_err());
    }

    fn message(item: Inbound) -> InboundMessage {
        match item {
            Inbound::Message(message) => message,
            Inbound::Gap(gap) => panic!("a message, not {gap:?}"),
        }
    }

    #[tokio::test]
    async fn a_closed_receiver_halts_delivery() {
        let (mut d, rx, mut ch) = setup(100);
        drop(rx);
        let pm = message_pm(json!([{"id": "a", "data": "x"}]), "s");
        assert_eq!(d.live(&mut ch, pm).await, Err(Halt::ReceiverGone));
    }
}
