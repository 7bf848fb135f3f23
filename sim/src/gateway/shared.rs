//! State shared by every connection of one simulated gateway: the market, the connected
//! clients and their outbound queues, and what tests observe.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{broadcast, mpsc, watch};

use super::market::{Market, Notice};
use super::record::Recorder;
use super::wire::encode;
use super::wire::encoding::Encoding;

/// Most API clients one gateway serves at once.
pub const MAX_CLIENTS: usize = 32;

/// A connected client as tests see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionInfo {
    /// The client id given in START_API.
    pub client_id: i32,
    /// The client's address.
    pub peer: SocketAddr,
}

/// A frame the gateway sent, kept when recording is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentFrame {
    /// The receiving client (0 before START_API).
    pub client_id: i32,
    /// The whole frame: length, id and payload.
    pub bytes: Vec<u8>,
}

struct Client {
    peer: SocketAddr,
    encoding: Encoding,
    outbound: mpsc::UnboundedSender<Vec<u8>>,
    /// Executions sent to it so far.
    fills: u64,
}

/// Queued in place of a frame, tells the connection to hang up after what came before it
/// (a fault); no real frame is empty.
pub const HANG_UP: Vec<u8> = Vec::new();

/// Fills kept for clients that are slow to read them; a client that falls further behind
/// is sent every holding again.
const FILL_BACKLOG: usize = 1024;

/// A holding changed by a fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fill {
    /// The account.
    pub account: String,
    /// The symbol.
    pub symbol: String,
}

/// How the simulated gateway behaves towards clients, switchable at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GatewayState {
    /// Logged in and answering.
    #[default]
    Up,
    /// Not logged in to IB: the handshake and START_API complete, then error 1100
    /// (connectivity lost), no managed accounts, and no answer to any data request; the
    /// current time and the next order id are still answered.
    LoggedOut,
    /// Accepts connections and reads requests but never answers, not even the handshake.
    Hung,
}

/// Why a client id cannot be registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// TWS error 326.
    InUse,
    /// All [`MAX_CLIENTS`] slots are taken.
    Full,
}

pub(crate) struct Shared {
    market: Mutex<Market>,
    accepted: Mutex<Vec<i32>>,
    clients: Mutex<BTreeMap<i32, Client>>,
    connections: watch::Sender<usize>,
    changed: watch::Sender<u64>,
    fills: broadcast::Sender<Fill>,
    recording: Option<Mutex<Vec<SentFrame>>>,
    state: watch::Sender<GatewayState>,
    /// Bumped to make every connection close (a gateway restart).
    hang_ups: watch::Sender<u64>,
    /// Where orders, executions and cancels are recorded, once asked for.
    recorder: std::sync::OnceLock<Recorder>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub fn new(market: Market, record: bool) -> Arc<Self> {
        Arc::new(Self {
            market: Mutex::new(market),
            accepted: Mutex::new(Vec::new()),
            clients: Mutex::new(BTreeMap::new()),
            connections: watch::channel(0).0,
            changed: watch::channel(0).0,
            fills: broadcast::channel(FILL_BACKLOG).0,
            recording: record.then(|| Mutex::new(Vec::new())),
            state: watch::channel(GatewayState::Up).0,
            hang_ups: watch::channel(0).0,
            recorder: std::sync::OnceLock::new(),
        })
    }

    /// The state the gateway is in now.
    pub fn state(&self) -> GatewayState {
        *self.state.borrow()
    }

    /// Changes the state; connected clients hear of a login lost (error 1100) or restored
    /// (error 1102), as from a real gateway.
    pub fn set_state(&self, state: GatewayState) {
        let before = self.state.send_replace(state);
        let notice = match (before, state) {
            (GatewayState::Up, GatewayState::LoggedOut) => Some((
                1100,
                "Connectivity between IB and Trader Workstation has been lost.",
            )),
            (GatewayState::LoggedOut, GatewayState::Up) => Some((
                1102,
                "Connectivity between IB and Trader Workstation has been restored - data maintained.",
            )),
            _ => None,
        };
        if let Some((code, message)) = notice {
            for client in lock(&self.clients).values() {
                let _ = client
                    .outbound
                    .send(client.encoding.error(-1, code, message));
            }
        }
    }

    /// Closes every connection, as a gateway restart does.
    pub fn hang_up_all(&self) {
        self.hang_ups.send_modify(|n| *n += 1);
    }

    /// Fires when every connection must close.
    pub fn watch_hang_ups(&self) -> watch::Receiver<u64> {
        self.hang_ups.subscribe()
    }

    pub fn market(&self) -> MutexGuard<'_, Market> {
        lock(&self.market)
    }

    /// Tells waiting fills that quotes or the market state changed.
    pub fn market_changed(&self) {
        self.changed.send_modify(|v| *v += 1);
    }

    pub fn watch_market(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    /// Fills as they happen, for the subscriptions of every client.
    pub fn watch_fills(&self) -> broadcast::Receiver<Fill> {
        self.fills.subscribe()
    }

    /// Records orders, executions and cancels from now on with `recorder`; false if a
    /// recorder was already set.
    pub fn record_with(&self, recorder: Recorder) -> bool {
        self.recorder.set(recorder).is_ok()
    }

    /// Tells every client's subscriptions which holdings `notices` changed, and the
    /// record, when one is kept, what they did to orders.
    pub fn publish_fills(&self, notices: &[Notice]) {
        if let Some(recorder) = self.recorder.get() {
            recorder.notices(notices);
        }
        for notice in notices {
            if let Notice::Execution(execution) = notice {
                let _ = self.fills.send(Fill {
                    account: execution.order.order.account.clone(),
                    symbol: execution.order.order.symbol.clone(),
                });
            }
        }
    }

    pub fn watch_connections(&self) -> watch::Receiver<usize> {
        self.connections.subscribe()
    }

    pub fn register(
        &self,
        client_id: i32,
        peer: SocketAddr,
        encoding: Encoding,
        outbound: mpsc::UnboundedSender<Vec<u8>>,
    ) -> Result<(), Refusal> {
        let mut clients = lock(&self.clients);
        if clients.contains_key(&client_id) {
            return Err(Refusal::InUse);
        }
        if clients.len() >= MAX_CLIENTS {
            return Err(Refusal::Full);
        }
        clients.insert(
            client_id,
            Client {
                peer,
                encoding,
                outbound,
                fills: 0,
            },
        );
        lock(&self.accepted).push(client_id);
        self.connections.send_replace(clients.len());
        Ok(())
    }

    pub fn unregister(&self, client_id: i32) {
        let mut clients = lock(&self.clients);
        clients.remove(&client_id);
        self.connections.send_replace(clients.len());
    }

    /// The client ids that completed START_API since the gateway started, in order.
    pub fn accepted(&self) -> Vec<i32> {
        lock(&self.accepted).clone()
    }

    pub fn connections(&self) -> Vec<ConnectionInfo> {
        lock(&self.clients)
            .iter()
            .map(|(id, c)| ConnectionInfo {
                client_id: *id,
                peer: c.peer,
            })
            .collect()
    }

    /// Sends market notices to the client that owns them, in its encoding; a client that
    /// has gone misses them.
    pub fn notify(&self, client_id: i32, notices: &[Notice]) {
        self.publish_fills(notices);
        let (notices, drop_after) = {
            let market = self.market();
            (
                market.audible(client_id, notices),
                market.faults().drop_after_fills,
            )
        };
        if let Some(client) = lock(&self.clients).get_mut(&client_id) {
            for frame in frames_for(client.encoding, &notices) {
                let _ = client.outbound.send(frame);
            }
            let before = client.fills;
            client.fills += notices
                .iter()
                .filter(|n| matches!(n, Notice::Execution(_)))
                .count() as u64;
            if drop_after.is_some_and(|n| before < n && client.fills >= n) {
                let _ = client.outbound.send(HANG_UP);
            }
        }
    }

    pub fn record(&self, client_id: i32, bytes: &[u8]) {
        if let Some(recording) = &self.recording {
            lock(recording).push(SentFrame {
                client_id,
                bytes: bytes.to_vec(),
            });
        }
    }

    pub fn recorded(&self) -> Vec<SentFrame> {
        self.recording
            .as_ref()
            .map(|r| lock(r).clone())
            .unwrap_or_default()
    }
}

/// The frames that carry `notices` to their client. As the gateway does, an execution's
/// commission report follows the batch (after the order status that announces the fill).
pub fn frames_for(encoding: Encoding, notices: &[Notice]) -> Vec<Vec<u8>> {
    let mut frames = Vec::new();
    let mut commissions = Vec::new();
    for notice in notices {
        match notice {
            Notice::OpenOrder(record) => frames.push(encoding.reply(&encode::open_order(record))),
            Notice::OrderStatus(record) => {
                frames.push(encoding.reply(&encode::order_status(record)));
            }
            Notice::Execution(execution) => {
                let (details, commission) = encode::execution(-1, execution);
                frames.push(encoding.reply(&details));
                commissions.push(encoding.reply(&commission));
            }
            Notice::Error { id, code, message } => {
                frames.push(encoding.error(*id, *code, message));
            }
        }
    }
    frames.extend(commissions);
    frames
}
