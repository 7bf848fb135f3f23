//! One websocket to Ably: JSON protocol messages out, frames in. Every wait is bounded by
//! the caller's timeout; receiving is cancel-safe so it can sit in a `select!`.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::error::AblyError;
use crate::protocol::ProtocolMessage;
use crate::settings::ApiKey;

/// What one received frame turned out to be.
#[derive(Debug)]
pub(crate) enum Incoming {
    /// A well-formed protocol message.
    Protocol(Box<ProtocolMessage>),
    /// A frame that is not a protocol message; skipped by the caller.
    Malformed {
        /// The `channel` field, if the frame was JSON with one.
        channel: Option<String>,
        /// Why it was rejected.
        detail: String,
    },
    /// A ping or pong: proof of life only.
    Activity,
    /// The websocket ended.
    Closed(String),
}

/// A connected websocket.
pub(crate) struct Transport {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Transport {
    /// Opens the websocket at `url` (which carries the key) within `timeout`.
    pub(crate) async fn connect(
        url: &str,
        key: &ApiKey,
        timeout: Duration,
    ) -> Result<Self, AblyError> {
        match tokio::time::timeout(timeout, tokio_tungstenite::connect_async(url)).await {
            Err(_) => Err(AblyError::Timeout(timeout, "the websocket to open")),
            Ok(Err(e)) => Err(AblyError::Transport(key.redact(&e.to_string()))),
            Ok(Ok((ws, _response))) => Ok(Self { ws }),
        }
    }

    /// Sends `message` as one text frame within `timeout`.
    pub(crate) async fn send(
        &mut self,
        message: &ProtocolMessage,
        timeout: Duration,
    ) -> Result<(), AblyError> {
        let text = serde_json::to_string(message)
            .map_err(|e| AblyError::Transport(format!("cannot encode a protocol message: {e}")))?;
        match tokio::time::timeout(timeout, self.ws.send(Message::text(text))).await {
            Err(_) => Err(AblyError::Timeout(timeout, "a frame to be sent")),
            Ok(Err(e)) => Err(AblyError::Transport(e.to_string())),
            Ok(Ok(())) => Ok(()),
        }
    }

    /// The next frame; cancel-safe.
    pub(crate) async fn recv(&mut self) -> Incoming {
        match self.ws.next().await {
            None => Incoming::Closed("the connection ended".into()),
            Some(Err(e)) => Incoming::Closed(e.to_string()),
            Some(Ok(Message::Text(text))) => parse(text.as_str()),
            Some(Ok(Message::Binary(bytes))) => Incoming::Malformed {
                channel: None,
                detail: format!("unexpected binary frame of {} bytes", bytes.len()),
            },
            Some(Ok(Message::Close(frame))) => Incoming::Closed(match frame {
                Some(f) => format!("closed by the server ({}: {})", f.code, f.reason),
                None => "closed by the server".into(),
            }),
            Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => Incoming::Activity,
        }
    }

    /// Closes the websocket, waiting at most `timeout`.
    pub(crate) async fn close(mut self, timeout: Duration) {
        let _ = tokio::time::timeout(timeout, self.ws.close(None)).await;
    }
}

/// Parses one text frame.
pub(crate) fn parse(text: &str) -> Incoming {
    match serde_json::from_str::<ProtocolMessage>(text) {
        Ok(message) => Incoming::Protocol(Box::new(message)),
        Err(e) => {
            let channel = serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| v.get("channel")?.as_str().map(str::to_string));
            Incoming::Malformed {
                channel,
                detail: format!("not a protocol message: {e}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_protocol_messages_and_names_the_channel_of_bad_ones() {
        assert!(matches!(parse(r#"{"action":0}"#), Incoming::Protocol(_)));
        match parse(r#"{"action":"x","channel":"c1"}"#) {
            Incoming::Malformed { channel, .. } => assert_eq!(channel.as_deref(), Some("c1")),
            other => panic!("{other:?}"),
        }
        match parse("not json") {
            Incoming::Malformed { channel, .. } => assert_eq!(channel, None),
            other => panic!("{other:?}"),
        }
    }
}
