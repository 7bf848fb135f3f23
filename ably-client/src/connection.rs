//! One connection: open the websocket, wait for `CONNECTED` (RTN15c: same connection id
//! means resumed), `ATTACH` every channel with its serial (RTL3d, RTL4c1), then dispatch
//! frames until the link ends. A channel attached without the `RESUMED` flag lost
//! continuity: its missed messages come from REST history before any live one. A
//! connection silent for longer than `maxIdleInterval` plus the request timeout is
//! dropped (RTN23a).

use std::future::pending;
use std::time::{Duration, Instant};

use crate::channel::AttachState;
use crate::client::Core;
use crate::delivery::Halt;
use crate::endpoint;
use crate::error::AblyError;
use crate::protocol::{Action, ErrorInfo, FLAG_RESUMED, ProtocolMessage};
use crate::transport::{Incoming, Transport};
use crate::types::LinkState;

/// Ably's default `maxIdleInterval` when `CONNECTED` does not carry one.
const DEFAULT_MAX_IDLE: Duration = Duration::from_secs(15);
/// The longest wait for `CLOSED` when stopping.
const CLOSE_WAIT: Duration = Duration::from_secs(2);

/// How a connection ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The stop token was cancelled.
    Stopped,
    /// The supervisor dropped its receiver.
    ReceiverGone,
    /// Lost or refused for a reason that retrying can fix.
    Retry(String),
    /// Refused for a reason that retrying will not fix (e.g. invalid key).
    Fatal(String),
}

/// A connection's outcome and whether it got as far as `CONNECTED`.
#[derive(Debug)]
pub(crate) struct SessionEnd {
    pub outcome: Outcome,
    pub reached_connected: bool,
}

impl From<Halt> for Outcome {
    fn from(halt: Halt) -> Self {
        match halt {
            Halt::Stopped => Outcome::Stopped,
            Halt::ReceiverGone => Outcome::ReceiverGone,
        }
    }
}

impl From<AblyError> for Outcome {
    fn from(e: AblyError) -> Self {
        Outcome::Retry(e.to_string())
    }
}

/// Runs one connection to its end.
pub(crate) async fn run(core: &mut Core) -> SessionEnd {
    let mut reached_connected = false;
    let outcome = connect_and_serve(core, &mut reached_connected).await;
    SessionEnd {
        outcome,
        reached_connected,
    }
}

async fn connect_and_serve(core: &mut Core, reached_connected: &mut bool) -> Outcome {
    let timeout = core.tuning.request_timeout;
    let key = core.settings.api_key.clone();
    let url = match endpoint::realtime(
        &core.settings.realtime_url,
        &key,
        core.connection_key.as_deref(),
    ) {
        Ok(url) => url,
        Err(e) => return Outcome::Fatal(e.to_string()),
    };
    let resuming = core.connection_key.is_some();
    tracing::info!(
        endpoint = %key.redact(&core.settings.realtime_url),
        resuming,
        "connecting to Ably"
    );
    let mut transport = tokio::select! {
        () = core.stop.cancelled() => return Outcome::Stopped,
        opened = Transport::connect(&url, &key, timeout) => match opened {
            Ok(transport) => transport,
            Err(e) => return e.into(),
        },
    };
    drop(url);
    let connected = match await_connected(core, &mut transport, resuming).await {
        Ok(message) => message,
        Err(outcome) => {
            transport.close(CLOSE_WAIT.min(timeout)).await;
            return outcome;
        }
    };
    *reached_connected = true;
    on_connected(core, &connected, resuming);
    core.set_state(LinkState::Connected);
    for channel in &mut core.channels {
        channel.attach = AttachState::Idle;
    }
    let outcome = match attach_due(core, &mut transport).await {
        Ok(()) => serve(core, &mut transport).await,
        Err(e) => e.into(),
    };
    if matches!(outcome, Outcome::Stopped) {
        close_politely(core, transport).await;
    } else {
        transport.close(CLOSE_WAIT.min(timeout)).await;
    }
    outcome
}

/// Waits for `CONNECTED`; `ERROR`, `DISCONNECTED`, a close or the timeout end the attempt.
async fn await_connected(
    core: &mut Core,
    transport: &mut Transport,
    resuming: bool,
) -> Result<ProtocolMessage, Outcome> {
    let timeout = core.tuning.request_timeout;
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let incoming = tokio::select! {
            biased;
            () = core.stop.cancelled() => return Err(Outcome::Stopped),
            incoming = transport.recv() => incoming,
            () = tokio::time::sleep_until(deadline) => {
                return Err(AblyError::Timeout(timeout, "CONNECTED").into());
            }
        };
        match incoming {
            Incoming::Protocol(message) => match message.kind() {
                Some(Action::Connected) => return Ok(*message),
                Some(Action::Error) => {
                    let error = message.error.unwrap_or_default();
                    // A refused resume key is not the key's fault: start afresh.
                    if resuming && !matches!(error.status_code, Some(401 | 403)) {
                        core.forget_connection();
                        return Err(Outcome::Retry(format!("resume refused: {error}")));
                    }
                    return Err(connection_error(&error));
                }
                Some(Action::Disconnected) => {
                    return Err(Outcome::Retry(reason("disconnected by Ably", &message)));
                }
                _ => tracing::debug!(action = message.action, "ignored before CONNECTED"),
            },
            Incoming::Malformed { channel, detail } => warn_malformed(channel, &detail),
            Incoming::Activity => {}
            Incoming::Closed(why) => return Err(Outcome::Retry(why)),
        }
    }
}

/// Logs how a connection attempt was answered (RTN15c6/c7) and records it.
fn on_connected(core: &mut Core, message: &ProtocolMessage, resuming: bool) {
    if resuming {
        let resumed = message.connection_id.is_some()
            && message.connection_id == core.connection_id
            && message.error.is_none();
        if resumed {
            tracing::info!("Ably connection resumed");
        } else {
            tracing::warn!(
                error = %message.error.clone().unwrap_or_default(),
                "Ably connection could not be resumed; channels recover what they missed"
            );
        }
    } else {
        tracing::info!("Ably connected");
    }
    record_connection(core, message);
}

/// Records the connection's id and key (RTN15e: the key may change on every
/// `CONNECTED`, RTN21: its details override earlier ones), and the idle limit they imply.
fn record_connection(core: &mut Core, message: &ProtocolMessage) {
    let details = message.connection_details.clone().unwrap_or_default();
    core.connection_key = details
        .connection_key
        .clone()
        .or_else(|| message.connection_key.clone());
    core.connection_id = message.connection_id.clone();
    // CD2h allows 0 ("no limit"); every wait here has a bound, so 0 means the default.
    let max_idle = details
        .max_idle_interval
        .filter(|ms| *ms > 0)
        .map_or(DEFAULT_MAX_IDLE, Duration::from_millis);
    core.idle_limit = max_idle + core.tuning.request_timeout;
}

/// Dispatches frames until the connection ends.
async fn serve(core: &mut Core, transport: &mut Transport) -> Outcome {
    let mut last_activity = Instant::now();
    loop {
        let idle_limit = core.idle_limit;
        let idle_deadline = last_activity + idle_limit;
        let attach_deadline = core
            .channels
            .iter()
            .filter_map(|c| c.attach_deadline(core.tuning.request_timeout))
            .min();
        tokio::select! {
            biased;
            () = core.stop.cancelled() => return Outcome::Stopped,
            incoming = transport.recv() => {
                last_activity = Instant::now();
                match incoming {
                    Incoming::Protocol(message) => {
                        if let Some(outcome) = dispatch(core, transport, *message).await {
                            return outcome;
                        }
                    }
                    Incoming::Malformed { channel, detail } => warn_malformed(channel, &detail),
                    Incoming::Activity => {}
                    Incoming::Closed(why) => return Outcome::Retry(why),
                }
            }
            () = tokio::time::sleep_until(idle_deadline.into()) => {
                return Outcome::Retry(format!("no activity from Ably for {idle_limit:?}; connection idle"));
            }
            () = sleep_until(attach_deadline) => {
                if let Err(e) = attach_due(core, transport).await {
                    return e.into();
                }
            }
        }
    }
}

/// Handles one protocol message; `Some` ends the connection.
async fn dispatch(
    core: &mut Core,
    transport: &mut Transport,
    message: ProtocolMessage,
) -> Option<Outcome> {
    match message.kind() {
        Some(Action::Heartbeat) => {
            tracing::trace!("heartbeat");
            None
        }
        Some(Action::Message) => on_message(core, message).await,
        Some(Action::Attached) => on_attached(core, message).await,
        Some(Action::Detached) => on_detached(core, transport, message).await,
        Some(Action::Error) => match message.channel.as_deref() {
            Some(name) => {
                on_channel_error(core, name, message.error.clone());
                None
            }
            None => Some(connection_error(&message.error.unwrap_or_default())),
        },
        Some(Action::Connected) => {
            // RTN24: a CONNECTED on a live connection only updates its details.
            tracing::debug!("connection details updated");
            record_connection(core, &message);
            None
        }
        Some(Action::Disconnected) => {
            Some(Outcome::Retry(reason("disconnected by Ably", &message)))
        }
        Some(Action::Closed) => {
            core.forget_connection();
            Some(Outcome::Retry(reason(
                "connection closed by Ably",
                &message,
            )))
        }
        other => {
            tracing::debug!(
                action = message.action,
                known = other.is_some(),
                channel = message.channel.as_deref().unwrap_or(""),
                "ignored protocol message"
            );
            None
        }
    }
}

async fn on_message(core: &mut Core, message: ProtocolMessage) -> Option<Outcome> {
    let name = message.channel.clone().unwrap_or_default();
    let Some(channel) = core.channels.iter_mut().find(|c| c.name == name) else {
        tracing::warn!(channel = %name, "skipping a message for a channel not subscribed");
        return None;
    };
    if channel.attach != AttachState::Attached {
        // RTL17: nothing is delivered on a channel that is not attached.
        tracing::debug!(channel = %name, "skipping a message on a channel not attached");
        return None;
    }
    core.delivery
        .live(channel, message)
        .await
        .err()
        .map(Into::into)
}

async fn on_attached(core: &mut Core, message: ProtocolMessage) -> Option<Outcome> {
    let name = message.channel.clone().unwrap_or_default();
    let Some(index) = core.channels.iter().position(|c| c.name == name) else {
        tracing::warn!(channel = %name, "ATTACHED for a channel not subscribed");
        return None;
    };
    let resumed = message.has_flag(FLAG_RESUMED);
    if let Some(error) = &message.error {
        tracing::warn!(channel = %name, %error, resumed, "attached with an error");
    }
    let channel = &core.channels[index];
    // RTL12: a further ATTACHED on an attached channel matters only if continuity broke.
    let extra = channel.attach == AttachState::Attached;
    if !resumed && let Some(start_ms) = channel.recovery_start() {
        tracing::info!(channel = %name, start_ms, "channel continuity lost; recovering from history");
        if let Err(outcome) = recover(core, index, start_ms).await {
            return Some(outcome);
        }
    }
    let channel = &mut core.channels[index];
    if let Some(serial) = message.channel_serial {
        channel.serial = Some(serial);
    }
    channel.attach = AttachState::Attached;
    channel.retry.reset();
    if channel.live_since_ms.is_none() {
        channel.live_since_ms = Some(now_ms());
    }
    if !extra {
        tracing::info!(channel = %name, resumed, "channel attached");
    }
    None
}

/// Delivers what `channel` missed since `start_ms`. A history failure ends the
/// connection without taking the new attach point, so the next one tries again.
async fn recover(core: &mut Core, index: usize, start_ms: i64) -> Result<(), Outcome> {
    let name = core.channels[index].name.clone();
    let fetched = tokio::select! {
        biased;
        () = core.stop.cancelled() => return Err(Outcome::Stopped),
        fetched = core.history.since(&name, start_ms) => fetched,
    };
    let messages = fetched.map_err(|e| {
        tracing::warn!(channel = %name, error = %e, "history recovery failed");
        Outcome::Retry(format!("history recovery for channel {name} failed: {e}"))
    })?;
    let fetched_count = messages.len();
    let delivered = core
        .delivery
        .recovered(&mut core.channels[index], messages)
        .await?;
    tracing::info!(channel = %name, fetched = fetched_count, delivered, "recovered from history");
    Ok(())
}

async fn on_detached(
    core: &mut Core,
    transport: &mut Transport,
    message: ProtocolMessage,
) -> Option<Outcome> {
    let name = message.channel.clone().unwrap_or_default();
    let channel = core.channels.iter_mut().find(|c| c.name == name)?;
    tracing::warn!(
        channel = %name,
        error = %message.error.clone().unwrap_or_default(),
        "channel detached by Ably; re-attaching"
    );
    if matches!(channel.attach, AttachState::Attaching(_)) {
        // RTL13b: a refused attach waits before the next try.
        channel.attach = AttachState::RetryAt(Instant::now() + channel.retry.next_delay());
        return None;
    }
    // RTL13a: an attached channel re-attaches at once.
    let attach = ProtocolMessage::attach(&channel.name, channel.serial.as_deref());
    channel.attach = AttachState::Attaching(Instant::now());
    transport
        .send(&attach, core.tuning.request_timeout)
        .await
        .err()
        .map(Into::into)
}

fn on_channel_error(core: &mut Core, name: &str, error: Option<ErrorInfo>) {
    let Some(channel) = core.channels.iter_mut().find(|c| c.name == name) else {
        return;
    };
    let delay = channel.retry.next_delay();
    tracing::warn!(
        channel = %name,
        error = %error.unwrap_or_default(),
        retry_in = ?delay,
        "channel failed"
    );
    // RTL15b2: a failed channel forgets its serial; recovery uses history instead.
    channel.serial = None;
    channel.attach = AttachState::RetryAt(Instant::now() + delay);
}

/// Sends `ATTACH` for every channel not yet attached whose turn has come, and again for
/// those whose `ATTACHED` is overdue (RTL4f).
async fn attach_due(core: &mut Core, transport: &mut Transport) -> Result<(), AblyError> {
    let now = Instant::now();
    let timeout = core.tuning.request_timeout;
    for channel in &mut core.channels {
        let due = match channel.attach {
            AttachState::Idle => true,
            AttachState::Attaching(since) => {
                let overdue = since + timeout <= now;
                if overdue {
                    tracing::warn!(channel = %channel.name, "no ATTACHED in time; attaching again");
                }
                overdue
            }
            AttachState::RetryAt(at) => at <= now,
            AttachState::Attached => false,
        };
        if due {
            tracing::debug!(channel = %channel.name, serial = channel.serial.as_deref().unwrap_or(""), "attaching");
            let attach = ProtocolMessage::attach(&channel.name, channel.serial.as_deref());
            transport.send(&attach, timeout).await?;
            channel.attach = AttachState::Attaching(Instant::now());
        }
    }
    Ok(())
}

/// `CLOSE`, then waits briefly for `CLOSED` (RTN12).
async fn close_politely(core: &mut Core, mut transport: Transport) {
    let wait = CLOSE_WAIT.min(core.tuning.request_timeout);
    if transport
        .send(&ProtocolMessage::new(Action::Close), wait)
        .await
        .is_ok()
    {
        let _ = tokio::time::timeout(wait, async {
            loop {
                match transport.recv().await {
                    Incoming::Protocol(m) if m.kind() == Some(Action::Closed) => break,
                    Incoming::Closed(_) => break,
                    _ => {}
                }
            }
        })
        .await;
    }
    core.forget_connection();
    transport.close(wait).await;
}

/// `ERROR` without a channel: fatal unless retrying can help.
fn connection_error(error: &ErrorInfo) -> Outcome {
    if error.is_retryable() {
        Outcome::Retry(format!("Ably error: {error}"))
    } else {
        Outcome::Fatal(format!("Ably error: {error}"))
    }
}

fn reason(what: &str, message: &ProtocolMessage) -> String {
    match &message.error {
        Some(error) => format!("{what}: {error}"),
        None => what.to_string(),
    }
}

fn warn_malformed(channel: Option<String>, detail: &str) {
    tracing::warn!(
        channel = channel.as_deref().unwrap_or(""),
        detail,
        "skipping a malformed frame"
    );
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => pending().await,
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
