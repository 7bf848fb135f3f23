//! The Ably realtime client: one websocket connection (JSON, protocol version 2) carrying
//! one channel per strategy, with connection resume, channel resume by `channelSerial`,
//! recovery from REST history when continuity is lost, and de-duplication by message id.
//!
//! The supervisor calls [`spawn`] once; decoded messages (and word of a continuity gap
//! history could not close) arrive on an mpsc channel in order per channel, and the link
//! state on a watch channel. The API key never reaches a
//! log line or an error message.
//!
//! - [`settings`]: what the supervisor configures ([`AblySettings`], [`ApiKey`],
//!   [`ClientTuning`]).
//! - [`types`]: what the client hands back ([`Inbound`], [`LinkState`]) and what a
//!   restart starts from ([`ResumePoint`]).
//! - [`error`]: the library's error type.
//! - `protocol`: realtime protocol messages, actions and flags (wire types).
//! - `encoding`: message payload decoding per the `encoding` field.
//! - `endpoint`: realtime and REST URLs, key redaction.
//! - `transport`: one websocket, frames in and out.
//! - `connection`: one connected session (CONNECTED, ATTACH, dispatch, idle detection).
//! - `client`: the reconnect loop with backoff and the link state.
//! - `channel`: per-channel attach state and continuity bookkeeping.
//! - `delivery`: live and recovered messages to the supervisor, de-duplicated.
//! - `history`: the REST history client used for recovery.
//! - `dedup`, `backoff`: bounded recent-id set, retry delays with jitter.

mod backoff;
mod channel;
mod client;
mod connection;
mod dedup;
mod delivery;
mod encoding;
mod endpoint;
pub mod error;
mod history;
mod protocol;
pub mod settings;
mod transport;
pub mod types;

use std::collections::HashMap;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use error::AblyError;
pub use protocol::ErrorInfo;
pub use settings::{AblySettings, ApiKey, ClientTuning};
pub use types::{ContinuityGap, Inbound, InboundMessage, LinkState, ResumePoint};

/// The realtime protocol version this client speaks (`v` query parameter, `X-Ably-Version`
/// header): version 2 is the first with `channelSerial`-based continuity.
pub const PROTOCOL_VERSION: &str = "2";

/// Starts the client task with the default [`ClientTuning`].
///
/// It connects, attaches every channel in `settings.channels` (resuming from
/// `resume_from` where a channel has a persisted point), sends each decoded message to
/// `out` exactly once and in order per channel, publishes the link state on `state`, and
/// reconnects with backoff until `stop` is cancelled or `out` is closed. On stop it closes
/// the connection politely (`CLOSE`) and the task ends.
pub fn spawn(
    settings: AblySettings,
    resume_from: HashMap<String, ResumePoint>,
    out: mpsc::Sender<Inbound>,
    state: watch::Sender<LinkState>,
    stop: CancellationToken,
) -> JoinHandle<()> {
    spawn_with_tuning(
        settings,
        ClientTuning::default(),
        resume_from,
        out,
        state,
        stop,
    )
}

/// Like [`spawn`], with explicit timeouts and limits (tests use short ones).
pub fn spawn_with_tuning(
    settings: AblySettings,
    tuning: ClientTuning,
    resume_from: HashMap<String, ResumePoint>,
    out: mpsc::Sender<Inbound>,
    state: watch::Sender<LinkState>,
    stop: CancellationToken,
) -> JoinHandle<()> {
    let client = client::Client::new(settings, tuning, resume_from, out, state, stop);
    tokio::spawn(client.run())
}
