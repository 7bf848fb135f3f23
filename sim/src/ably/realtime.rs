//! One realtime websocket session: check the query parameters (`key`, `v`, `format`,
//! `heartbeats`, `resume`), answer `CONNECTED`, then serve `ATTACH`/`DETACH`/`CLOSE`/
//! `HEARTBEAT`/`MESSAGE` from the client and deliver what the hub queues, sending a
//! heartbeat after `maxIdleInterval` of silence unless heartbeats are switched off.
//! Channels are named to the client as it named them (`[?rewind=1]name` stays so).

use std::collections::BTreeMap;
use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio::time::{Instant, sleep_until};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

use crate::ably::faults::malformed_frames;
use crate::ably::hub::{Hub, Outbound, now_ms};
use crate::ably::protocol::{self, action};
use crate::ably::query;
use crate::ably::rewind::{QualifiedName, Rewind};
use crate::ably::state::{AttachFrom, NewMessage, SimError, codes};

type Ws = WebSocketStream<TcpStream>;

/// The connection parameters of the upgrade request.
struct Params {
    key: Option<String>,
    version: Option<String>,
    format: Option<String>,
    heartbeats: bool,
    resume: Option<String>,
}

impl Params {
    fn parse(query: Option<&str>) -> Self {
        let pairs = query::parse(query.unwrap_or(""));
        let get = |name| query::get(&pairs, name).map(str::to_string);
        Self {
            key: get("key"),
            version: get("v"),
            format: get("format"),
            heartbeats: get("heartbeats").as_deref() == Some("true"),
            resume: get("resume"),
        }
    }

    /// Why the connection is refused, if it is.
    fn refusal(&self, api_key: &str) -> Option<SimError> {
        if self.key.as_deref() != Some(api_key) {
            return Some(SimError::new(
                codes::INVALID_CREDENTIALS,
                "Invalid credentials: key not recognised",
            ));
        }
        let version_ok = self
            .version
            .as_deref()
            .and_then(|v| v.parse::<f64>().ok())
            .is_some_and(|v| v >= 2.0);
        if !version_ok {
            return Some(SimError::new(
                codes::UNSUPPORTED_PROTOCOL,
                "Unsupported protocol version: send v=2 or later",
            ));
        }
        // No `format` means JSON, as at Ably (Ably's own SDKs send none when not binary).
        if self.format.as_deref().is_some_and(|f| f != "json") {
            return Some(SimError::new(
                codes::BAD_REQUEST,
                "The simulator speaks format=json only",
            ));
        }
        None
    }
}

/// How a session ended.
enum End {
    /// Transport gone (or dropped on request): state kept for resume.
    Gone,
    /// `CLOSE` from the client: state disposed of.
    Closed,
}

/// Serves one websocket connection on `stream`.
pub(crate) async fn serve(hub: Arc<Hub>, stream: TcpStream) {
    let mut uri = None;
    // The error type is fixed by tungstenite's `Callback`.
    #[allow(clippy::result_large_err)]
    let capture = |request: &Request, response: Response| {
        uri = Some(request.uri().clone());
        Ok(response)
    };
    let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(stream, capture).await else {
        return;
    };
    let params = Params::parse(uri.as_ref().and_then(|u| u.query()));
    if let Some(refusal) = params.refusal(&hub.api_key) {
        if refusal.code == codes::INVALID_CREDENTIALS.0 {
            hub.refused_key();
        }
        let _ = send(&mut ws, &protocol::error(&refusal, None)).await;
        let _ = ws.close(None).await;
        return;
    }
    let mut registration = hub.open(params.resume.as_deref());
    let connection = registration.opened.id.clone();
    let mut session = Session {
        hub: &hub,
        connection: &connection,
        heartbeats_as_messages: params.heartbeats,
        attached: BTreeMap::new(),
        last_sent: Instant::now(),
    };
    let connected = protocol::connected(&registration.opened, hub.timing());
    let end = match session.send(&mut ws, &connected).await {
        Ok(()) => session.run(&mut ws, &mut registration.rx).await,
        Err(()) => End::Gone,
    };
    hub.ended(
        &connection,
        registration.generation,
        matches!(end, End::Closed),
    );
}

async fn send(ws: &mut Ws, message: &Value) -> Result<(), ()> {
    ws.send(Message::text(message.to_string()))
        .await
        .map_err(|_| ())
}

struct Session<'a> {
    hub: &'a Hub,
    connection: &'a str,
    heartbeats_as_messages: bool,
    /// Attached channels: the name, and the name as the client gave it.
    attached: BTreeMap<String, String>,
    last_sent: Instant,
}

impl Session<'_> {
    async fn send(&mut self, ws: &mut Ws, message: &Value) -> Result<(), ()> {
        self.last_sent = Instant::now();
        send(ws, message).await
    }

    async fn run(
        &mut self,
        ws: &mut Ws,
        rx: &mut tokio::sync::mpsc::UnboundedReceiver<Outbound>,
    ) -> End {
        let idle = self.hub.config.max_idle_interval;
        loop {
            tokio::select! {
                frame = ws.next() => match frame {
                    Some(Ok(Message::Text(text))) => {
                        match self.on_client_frame(ws, text.as_str()).await {
                            Ok(Some(end)) => return end,
                            Ok(None) => {}
                            Err(()) => return End::Gone,
                        }
                    }
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return End::Gone,
                    Some(Ok(_)) => {}
                },
                outbound = rx.recv() => match outbound {
                    Some(Outbound::Message(channel, stored)) => {
                        if let Some(as_sent) = self.attached.get(&channel).cloned()
                            && self.send(ws, &protocol::message(&as_sent, &stored)).await.is_err()
                        {
                            return End::Gone;
                        }
                    }
                    Some(Outbound::Malformed) => {
                        let channels: Vec<String> = self.attached.values().cloned().collect();
                        for frame in malformed_frames(&channels, now_ms()) {
                            self.last_sent = Instant::now();
                            if ws.send(Message::text(frame)).await.is_err() {
                                return End::Gone;
                            }
                        }
                    }
                    // Dropped abruptly: no close frame, as when a network path dies.
                    Some(Outbound::Drop) | None => return End::Gone,
                },
                () = sleep_until(self.last_sent + idle) => {
                    if !self.hub.faults.heartbeats() {
                        self.last_sent = Instant::now();
                        continue;
                    }
                    let sent = if self.heartbeats_as_messages {
                        self.send(ws, &protocol::bare(action::HEARTBEAT, None)).await
                    } else {
                        self.last_sent = Instant::now();
                        ws.send(Message::Ping(Vec::new().into())).await.map_err(|_| ())
                    };
                    if sent.is_err() {
                        return End::Gone;
                    }
                }
            }
        }
    }

    /// Answers an `ATTACH` of `as_sent`: `ATTACHED` (echoing a `rewind` it honoured) then
    /// the backlog, or a channel `ERROR` for a bad `rewind`.
    async fn attach(&mut self, ws: &mut Ws, message: &Value, as_sent: String) -> Result<(), ()> {
        let qualified = QualifiedName::parse(&as_sent);
        let (from, rewind) = match attach_from(message, &qualified) {
            Ok(found) => found,
            Err(error) => {
                return self
                    .send(ws, &protocol::error(&error, Some(&as_sent)))
                    .await;
            }
        };
        let attachment = self.hub.attach(self.connection, &qualified.name, from);
        self.attached
            .insert(qualified.name.clone(), as_sent.clone());
        let mut attached = protocol::attached(&as_sent, &attachment);
        if let Some(rewind) = rewind {
            attached["params"] = serde_json::json!({ "rewind": rewind });
        }
        self.send(ws, &attached).await?;
        for stored in &attachment.backlog {
            self.send(ws, &protocol::message(&as_sent, stored)).await?;
        }
        Ok(())
    }

    /// Handles one frame from the client; `Some` ends the session.
    async fn on_client_frame(&mut self, ws: &mut Ws, text: &str) -> Result<Option<End>, ()> {
        let Ok(message) = serde_json::from_str::<Value>(text) else {
            return Ok(None);
        };
        let channel = message
            .get("channel")
            .and_then(Value::as_str)
            .map(str::to_string);
        match (message.get("action").and_then(Value::as_i64), channel) {
            (Some(action::HEARTBEAT), _) => {
                let mut reply = protocol::bare(action::HEARTBEAT, None);
                if let Some(id) = message.get("id") {
                    reply["id"] = id.clone();
                }
                self.send(ws, &reply).await?;
            }
            (Some(action::ATTACH), Some(as_sent)) => self.attach(ws, &message, as_sent).await?,
            (Some(action::DETACH), Some(as_sent)) => {
                let name = QualifiedName::parse(&as_sent).name;
                self.hub.detach(self.connection, &name);
                self.attached.remove(&name);
                self.send(ws, &protocol::bare(action::DETACHED, Some(&as_sent)))
                    .await?;
            }
            (Some(action::MESSAGE), Some(as_sent)) => {
                let messages = published_by_client(&message, self.connection);
                let count = messages.len();
                self.hub
                    .publish(&QualifiedName::parse(&as_sent).name, messages);
                let mut ack = protocol::bare(action::ACK, None);
                ack["msgSerial"] = message.get("msgSerial").cloned().unwrap_or(Value::from(0));
                ack["count"] = Value::from(count);
                self.send(ws, &ack).await?;
            }
            (Some(action::CLOSE), _) => {
                self.send(ws, &protocol::bare(action::CLOSED, None)).await?;
                let _ = ws.close(None).await;
                return Ok(Some(End::Closed));
            }
            _ => {}
        }
        Ok(None)
    }
}

/// Where an `ATTACH` starts: after its `channelSerial` when it resumes (a rewind only
/// affects a first attachment), else at its `rewind`, from `params` or the qualifier.
fn attach_from<'a>(
    message: &'a Value,
    qualified: &'a QualifiedName,
) -> Result<(AttachFrom<'a>, Option<&'a str>), SimError> {
    if let Some(serial) = message.get("channelSerial").and_then(Value::as_str) {
        return Ok((AttachFrom::After(serial), None));
    }
    let rewind = message
        .get("params")
        .and_then(|params| params.get("rewind"))
        .and_then(Value::as_str)
        .or_else(|| query::get(&qualified.params, "rewind"));
    match rewind {
        Some(value) => Ok((AttachFrom::Rewind(Rewind::parse(value)?), Some(value))),
        None => Ok((AttachFrom::Now, None)),
    }
}

/// The messages of a client's `MESSAGE`, attributed to its connection.
fn published_by_client(message: &Value, connection: &str) -> Vec<NewMessage> {
    let text = |m: &Value, field: &str| m.get(field).and_then(Value::as_str).map(str::to_string);
    message
        .get("messages")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|m| NewMessage {
                    id: text(m, "id"),
                    name: text(m, "name"),
                    data: m.get("data").cloned(),
                    encoding: text(m, "encoding"),
                    client_id: text(m, "clientId"),
                    connection_id: Some(connection.to_string()),
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_are_checked_in_order_key_version_format() {
        let p = Params::parse(Some("key=k%3As&v=2&format=json&heartbeats=true"));
        assert!(p.refusal("k:s").is_none());
        assert!(p.heartbeats);
        assert_eq!(p.refusal("other").map(|e| e.code), Some(40101));
        let p = Params::parse(Some("key=k%3As&v=1.2&format=json"));
        assert_eq!(p.refusal("k:s").map(|e| e.code), Some(40017));
        let p = Params::parse(Some("key=k%3As&v=5"));
        assert!(p.refusal("k:s").is_none(), "no format means JSON");
        let p = Params::parse(Some("key=k%3As&v=2&format=msgpack"));
        assert_eq!(p.refusal("k:s").map(|e| e.code), Some(40000));
        assert!(Params::parse(None).refusal("k:s").is_some());
    }
}
