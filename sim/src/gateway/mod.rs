//! A simulated IB Gateway speaking the TWS API socket protocol over one simulated market,
//! observable by tests through this API. Each client is served at the highest version both
//! sides offer: protobuf from v213 (`ibapi` 5.x gets v226), the classic text encoding at
//! v164..178 (`ib_async` 2.x gets v178).
//!
//! - [`scenario`]: what the gateway starts from (accounts, quotes, fills, faults).
//! - [`market`]: the state behind every encoding: orders, fills, positions, cash.
//! - [`wire`]: framing, message ids, both encodings, requests and replies.
//! - `accounts`: account answers and the subscriptions that push their changes.
//! - `session`: one client connection; `shared`: what every connection shares.
//! - [`control`]: the HTTP control endpoint; [`record`]: the JSON-lines record of orders,
//!   executions and cancels.

pub mod control;
pub mod market;
pub mod record;
pub mod scenario;
pub mod wire;

mod accounts;
mod session;
mod shared;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::{mpsc, oneshot};

pub use market::{Execution, OrderRecord};
pub use scenario::{
    AccountKind, AccountSeed, ETF_QUOTES, Faults, FillModel, InstrumentSeed, Latency, LatencyRange,
    QuoteSeed, Scenario, Walk,
};
pub use session::{PACING_PER_SECOND, PACING_STRIKES, SERVER_VERSION};
pub use shared::{ConnectionInfo, GatewayState, MAX_CLIENTS, SentFrame};

use market::Market;
use shared::Shared;

/// A running gateway simulator; stops accepting when dropped (open connections end with
/// the runtime).
pub struct GatewaySim {
    addr: SocketAddr,
    shared: Arc<Shared>,
    restarts: mpsc::UnboundedSender<Restart>,
    _stop: oneshot::Sender<()>,
}

/// A restart asked for: how long the port stays closed, and who waits for it to close.
struct Restart {
    window: Duration,
    closed: oneshot::Sender<()>,
}

/// Walks every quote one step each `walk.step_ms` until the gateway is gone, waking the
/// orders waiting for a price.
async fn walk_quotes(shared: std::sync::Weak<Shared>, walk: scenario::Walk) {
    let mut rng = fastrand::Rng::with_seed(walk.seed);
    let step = Duration::from_millis(walk.step_ms.max(1));
    loop {
        tokio::time::sleep(step).await;
        let Some(shared) = shared.upgrade() else {
            return;
        };
        shared
            .market()
            .walk_step(&mut rng, walk.volatility_bps, walk.tick);
        shared.market_changed();
    }
}

/// A listening socket on `addr` that can be bound again right after it closes.
fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}

impl GatewaySim {
    /// Starts on 127.0.0.1:`port` (0 picks a free port).
    pub async fn start(scenario: &Scenario, port: u16) -> std::io::Result<Self> {
        Self::launch(scenario, port, false).await
    }

    /// Starts like [`GatewaySim::start`] and keeps a copy of every frame sent.
    pub async fn start_recording(scenario: &Scenario, port: u16) -> std::io::Result<Self> {
        Self::launch(scenario, port, true).await
    }

    async fn launch(scenario: &Scenario, port: u16, record: bool) -> std::io::Result<Self> {
        let listener = listen(SocketAddr::from(([127, 0, 0, 1], port)))?;
        let addr = listener.local_addr()?;
        let shared = Shared::new(Market::new(scenario), record);
        if let Some(walk) = scenario.walk.clone() {
            tokio::spawn(walk_quotes(Arc::downgrade(&shared), walk));
        }
        let (stop, mut stopped) = oneshot::channel::<()>();
        let (restarts, mut restart_requests) = mpsc::unbounded_channel::<Restart>();
        let accepting = shared.clone();
        tokio::spawn(async move {
            let mut listener = listener;
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    restart = restart_requests.recv() => {
                        let Some(Restart { window, closed }) = restart else { break };
                        drop(listener);
                        accepting.hang_up_all();
                        let _ = closed.send(());
                        tokio::time::sleep(window).await;
                        listener = match listen(addr) {
                            Ok(listener) => listener,
                            Err(err) => {
                                eprintln!("gateway simulator: cannot listen again on {addr}: {err}");
                                break;
                            }
                        };
                    }
                    accepted = listener.accept() => match accepted {
                        Ok((stream, peer)) => {
                            let _ = stream.set_nodelay(true);
                            tokio::spawn(session::serve(accepting.clone(), stream, peer));
                        }
                        Err(err) => eprintln!("gateway simulator: accept failed: {err}"),
                    },
                }
            }
        });
        Ok(Self {
            addr,
            shared,
            restarts,
            _stop: stop,
        })
    }

    /// Writes every order placed, execution, cancel and rejection from now on to `path` as
    /// JSON lines ([`record`]).
    pub async fn record_to(&self, path: &std::path::Path) -> std::io::Result<()> {
        let recorder = record::Recorder::to_file(path).await?;
        if self.shared.record_with(recorder) {
            Ok(())
        } else {
            Err(std::io::Error::other("the record is already being written"))
        }
    }

    /// A symbol's quote now (it moves in a walking market).
    pub fn quote(&self, symbol: &str) -> Option<QuoteSeed> {
        self.shared.market().quote(symbol)
    }

    /// The state the gateway is in.
    pub fn state(&self) -> GatewayState {
        self.shared.state()
    }

    /// The scenario's account ids, sorted.
    pub fn account_ids(&self) -> Vec<String> {
        self.shared.market().account_ids()
    }

    /// An account's settled cash as reported (cash less sale proceeds not settled yet).
    pub fn settled_cash(&self, account: &str) -> Option<f64> {
        self.shared.market().settled_cash(account)
    }

    /// Switches how the gateway behaves: logged in, logged out or hung.
    pub fn set_state(&self, state: GatewayState) {
        self.shared.set_state(state);
    }

    /// Restarts the gateway as its daily restart does: every connection closes and new ones
    /// are refused for `window`, then accepted again on the same port. Returns once the port
    /// is closed.
    pub async fn restart(&self, window: Duration) {
        let (closed, done) = oneshot::channel();
        if self.restarts.send(Restart { window, closed }).is_ok() {
            let _ = done.await;
        }
    }

    /// The address clients connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Clients connected now.
    pub fn connections(&self) -> Vec<ConnectionInfo> {
        self.shared.connections()
    }

    /// How many clients have started the API since the gateway started.
    pub fn clients_accepted(&self) -> usize {
        self.shared.accepted().len()
    }

    /// The client ids that started the API since the gateway started, in order.
    pub fn accepted_client_ids(&self) -> Vec<i32> {
        self.shared.accepted()
    }

    /// Waits until exactly `count` clients are connected; false if `timeout` passes first.
    pub async fn wait_for_connections(&self, count: usize, timeout: Duration) -> bool {
        let mut watch = self.shared.watch_connections();
        tokio::time::timeout(timeout, watch.wait_for(|n| *n == count))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Every order received, with its state now.
    pub fn orders(&self) -> Vec<OrderRecord> {
        self.shared.market().orders().to_vec()
    }

    /// Every execution so far.
    pub fn executions(&self) -> Vec<Execution> {
        self.shared.market().executions().to_vec()
    }

    /// Shares held by an account, by symbol (as they are, even while reports lag).
    pub fn positions(&self, account: &str) -> BTreeMap<String, f64> {
        self.shared
            .market()
            .book_positions(account)
            .into_iter()
            .map(|(s, (q, _))| (s, q))
            .collect()
    }

    /// The contract id of a stock the market quotes.
    pub fn con_id(&self, symbol: &str) -> Option<i64> {
        self.shared.market().con_id(symbol)
    }

    /// An account's cash (as it is, even while reports lag).
    pub fn cash(&self, account: &str) -> Option<f64> {
        self.shared.market().book_cash(account)
    }

    /// An account's net liquidation as the gateway reports it (positions at the bid/ask
    /// midpoint).
    pub fn net_liquidation(&self, account: &str) -> Option<f64> {
        self.shared.market().net_liquidation(account)
    }

    /// Changes a quote; resting orders that become marketable fill.
    pub fn set_quote(&self, symbol: &str, quote: QuoteSeed) {
        self.shared.market().set_quote(symbol, quote);
        self.shared.market_changed();
    }

    /// Opens or closes the market; orders rest while it is closed.
    pub fn set_market_open(&self, open: bool) {
        self.shared.market().set_market_open(open);
        self.shared.market_changed();
    }

    /// Makes reported positions and cash lag each later fill by `lag` (zero: no lag).
    pub fn set_position_lag(&self, lag: std::time::Duration) {
        self.shared.market().set_position_lag(lag);
    }

    /// Drops each connection right after it was sent `fills` executions (`None`: never).
    pub fn set_drop_after_fills(&self, fills: Option<u64>) {
        self.shared.market().set_drop_after_fills(fills);
    }

    /// Halts or resumes trading in `symbol`; its orders rest while it is halted.
    pub fn set_halted(&self, symbol: &str, halted: bool) {
        self.shared.market().set_halted(symbol, halted);
        self.shared.market_changed();
    }

    /// Frames sent so far (only when started with [`GatewaySim::start_recording`]).
    pub fn sent_frames(&self) -> Vec<SentFrame> {
        self.shared.recorded()
    }
}
