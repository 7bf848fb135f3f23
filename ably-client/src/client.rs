//! The client task: connect, run a session, and on its end publish the link state and
//! reconnect after an exponential, jittered delay, resuming the connection when a
//! connection key is known (RTN15). Fatal refusals (bad key) are retried at the longest
//! delay, without resume.

use std::collections::HashMap;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::backoff::Backoff;
use crate::channel::Channel;
use crate::connection::{self, Outcome};
use crate::delivery::Delivery;
use crate::history::History;
use crate::settings::{AblySettings, ClientTuning};
use crate::types::{Inbound, LinkState, ResumePoint};

/// Everything that outlives one connection.
pub(crate) struct Core {
    pub settings: AblySettings,
    pub tuning: ClientTuning,
    pub channels: Vec<Channel>,
    pub delivery: Delivery,
    pub history: History,
    pub stop: CancellationToken,
    /// The private key of the last connection, for `resume=` (RTN15b1).
    pub connection_key: Option<String>,
    /// The public id of the last connection, to tell a resume from a new connection.
    pub connection_id: Option<String>,
    /// How long the current connection may stay silent (RTN23a).
    pub idle_limit: Duration,
    state: watch::Sender<LinkState>,
}

impl Core {
    /// Publishes `state`, redacting any reason.
    pub(crate) fn set_state(&self, state: LinkState) {
        let key = &self.settings.api_key;
        let state = match state {
            LinkState::Disconnected { reason } => LinkState::Disconnected {
                reason: key.redact(&reason),
            },
            LinkState::Failed { reason } => LinkState::Failed {
                reason: key.redact(&reason),
            },
            other => other,
        };
        self.state.send_replace(state);
    }

    /// Forgets the connection so the next attempt is a fresh one.
    pub(crate) fn forget_connection(&mut self) {
        self.connection_key = None;
        self.connection_id = None;
    }
}

/// The client task's state.
pub(crate) struct Client {
    core: Core,
    backoff: Backoff,
}

impl Client {
    /// A client for `settings`, starting each channel from its entry in `resume_from`.
    pub(crate) fn new(
        settings: AblySettings,
        tuning: ClientTuning,
        resume_from: HashMap<String, ResumePoint>,
        out: mpsc::Sender<Inbound>,
        state: watch::Sender<LinkState>,
        stop: CancellationToken,
    ) -> Self {
        let mut delivery = Delivery::new(out, tuning.dedup_capacity, stop.clone());
        let mut channels: Vec<Channel> = Vec::new();
        for name in &settings.channels {
            if channels.iter().any(|c| &c.name == name) {
                continue;
            }
            let resume = resume_from.get(name);
            if let Some(id) = resume.and_then(|r| r.last_message_id.as_deref()) {
                delivery.mark_seen(id);
            }
            channels.push(Channel::new(
                name.clone(),
                resume,
                settings.reconnect_base,
                settings.reconnect_max,
            ));
        }
        let backoff = Backoff::new(settings.reconnect_base, settings.reconnect_max);
        let history = History::new(&settings, &tuning);
        // Ably's default maxIdleInterval until CONNECTED says otherwise.
        let idle_limit = Duration::from_secs(15) + tuning.request_timeout;
        Self {
            core: Core {
                settings,
                tuning,
                channels,
                delivery,
                history,
                stop,
                connection_key: None,
                connection_id: None,
                idle_limit,
                state,
            },
            backoff,
        }
    }

    /// Runs until stopped or the receiver is dropped.
    pub(crate) async fn run(mut self) {
        let names: Vec<&str> = self.core.channels.iter().map(|c| c.name.as_str()).collect();
        tracing::info!(
            key = self.core.settings.api_key.name(),
            channels = ?names,
            "Ably client starting"
        );
        loop {
            if self.core.stop.is_cancelled() {
                break;
            }
            self.core.set_state(LinkState::Connecting);
            let end = connection::run(&mut self.core).await;
            if end.reached_connected {
                self.backoff.reset();
            }
            let key = &self.core.settings.api_key;
            let delay = match end.outcome {
                Outcome::Stopped => break,
                Outcome::ReceiverGone => {
                    tracing::info!("message receiver closed; Ably client stopping");
                    self.core.set_state(LinkState::Disconnected {
                        reason: "message receiver closed".into(),
                    });
                    return;
                }
                Outcome::Retry(reason) => {
                    let reason = key.redact(&reason);
                    let delay = self.backoff.next_delay();
                    tracing::warn!(%reason, retry_in = ?delay, "Ably connection lost");
                    self.core.set_state(LinkState::Disconnected { reason });
                    delay
                }
                Outcome::Fatal(reason) => {
                    let reason = key.redact(&reason);
                    let delay = self.backoff.max();
                    tracing::error!(%reason, retry_in = ?delay, "Ably refused the connection");
                    self.core.forget_connection();
                    self.core.set_state(LinkState::Failed { reason });
                    delay
                }
            };
            tokio::select! {
                () = self.core.stop.cancelled() => break,
                () = tokio::time::sleep(delay) => {}
            }
        }
        tracing::info!("Ably client stopped");
        self.core.set_state(LinkState::Disconnected {
            reason: "stopped".into(),
        });
    }
}
