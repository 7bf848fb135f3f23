//! Emitting protocol events: stamped with run id and time, sent to one consumer in order.

use std::sync::Arc;

use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use trading_core::protocol::{Event, EventBody};

/// A cheap, cloneable handle that emits events for one run.
#[derive(Clone)]
pub struct Events {
    run_id: Arc<str>,
    sender: mpsc::UnboundedSender<Event>,
}

impl Events {
    /// A handle and the receiving end of its events.
    pub fn channel(run_id: &str) -> (Self, mpsc::UnboundedReceiver<Event>) {
        let (sender, receiver) = mpsc::unbounded_channel();
        (
            Self {
                run_id: run_id.into(),
                sender,
            },
            receiver,
        )
    }

    /// Emits one event now.
    pub fn emit(&self, body: EventBody) {
        let event = Event {
            run_id: self.run_id.to_string(),
            ts: now(),
            body,
        };
        // The consumer lives until every handle is dropped.
        let _ = self.sender.send(event);
    }
}

/// The current time, RFC 3339 in UTC.
fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Writes every event as one JSON line on stdout, flushing each, until the senders are gone.
pub fn to_stdout(mut events: mpsc::UnboundedReceiver<Event>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut stdout = tokio::io::stdout();
        while let Some(event) = events.recv().await {
            let mut line = match serde_json::to_vec(&event) {
                Ok(line) => line,
                Err(err) => {
                    tracing::error!(%err, "cannot encode an event");
                    continue;
                }
            };
            line.push(b'\n');
            if let Err(err) = async {
                stdout.write_all(&line).await?;
                stdout.flush().await
            }
            .await
            {
                tracing::error!(%err, "cannot write events to stdout");
                return;
            }
        }
    })
}
