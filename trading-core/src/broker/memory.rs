//! An in-memory broker for unit tests: one account, fixed quotes, orders that fill at once
//! (market at bid/ask, limit when marketable) unless told to reject or hold them.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use tokio::sync::mpsc;

use super::{
    AccountState, Broker, BrokerError, ExecutionRecord, OpenOrder, OrderEvent, OrderKind,
    OrderRequest, OrderStatus,
};
use crate::calculator::Action;
use crate::snapshot::{Position, Quote};

/// Commission charged per execution.
const COMMISSION: f64 = 1.0;

struct Order {
    request: OrderRequest,
    status: OrderStatus,
    client_id: i32,
}

/// The client id the in-memory broker trades under.
pub const MEMORY_CLIENT_ID: i32 = 1;

struct State {
    account_id: String,
    cash: f64,
    positions: BTreeMap<String, f64>,
    quotes: BTreeMap<String, Quote>,
    next_id: i64,
    orders: BTreeMap<i64, Order>,
    rejected_symbols: HashSet<String>,
    unreachable_symbols: HashSet<String>,
    hold_orders: bool,
    withhold_commissions: bool,
    placed: Vec<OrderRequest>,
    cancel_requests: Vec<i64>,
    executions: Vec<ExecutionRecord>,
    silent_symbols: HashSet<String>,
    lost_symbols: HashSet<String>,
    unconfirmed_symbols: HashSet<String>,
    lost_submissions: HashSet<String>,
}

/// A broker holding one account in memory.
pub struct MemoryBroker {
    state: Mutex<State>,
    sender: mpsc::UnboundedSender<Result<OrderEvent, BrokerError>>,
    events: tokio::sync::Mutex<mpsc::UnboundedReceiver<Result<OrderEvent, BrokerError>>>,
}

impl MemoryBroker {
    /// An account with `cash`, `positions` (symbol, shares) and quotes (symbol, bid, ask).
    pub fn new(
        account_id: &str,
        cash: f64,
        positions: &[(&str, f64)],
        quotes: &[(&str, f64, f64)],
    ) -> Self {
        let (sender, receiver) = mpsc::unbounded_channel();
        Self {
            state: Mutex::new(State {
                account_id: account_id.to_string(),
                cash,
                positions: positions.iter().map(|(s, q)| (s.to_string(), *q)).collect(),
                quotes: quotes
                    .iter()
                    .map(|(s, bid, ask)| {
                        (
                            s.to_string(),
                            Quote {
                                bid: *bid,
                                ask: *ask,
                                last: None,
                            },
                        )
                    })
                    .collect(),
                next_id: 1,
                orders: BTreeMap::new(),
                rejected_symbols: HashSet::new(),
                unreachable_symbols: HashSet::new(),
                hold_orders: false,
                withhold_commissions: false,
                placed: Vec::new(),
                cancel_requests: Vec::new(),
                executions: Vec::new(),
                silent_symbols: HashSet::new(),
                lost_symbols: HashSet::new(),
                unconfirmed_symbols: HashSet::new(),
                lost_submissions: HashSet::new(),
            }),
            sender,
            events: tokio::sync::Mutex::new(receiver),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Orders for `symbol` are rejected (TWS error 201).
    pub fn reject(self, symbol: &str) -> Self {
        self.lock().rejected_symbols.insert(symbol.to_string());
        self
    }

    /// Placing an order for `symbol` fails, as when the gateway stops answering.
    pub fn fail_placing(self, symbol: &str) -> Self {
        self.lock().unreachable_symbols.insert(symbol.to_string());
        self
    }

    /// Orders for `symbol` are accepted and fill, but no update about them ever arrives, as
    /// when their acknowledgement is lost: only open orders and executions show them.
    pub fn silence(self, symbol: &str) -> Self {
        self.lock().silent_symbols.insert(symbol.to_string());
        self
    }

    /// The updates about the order for `symbol` are lost on the way and a lag notice comes
    /// in their place, as when the client falls behind the gateway.
    pub fn lose_updates(self, symbol: &str) -> Self {
        self.lock().lost_symbols.insert(symbol.to_string());
        self
    }

    /// Sending the order for `symbol` times out although the broker got it.
    pub fn leave_unconfirmed(self, symbol: &str) -> Self {
        self.lock().unconfirmed_symbols.insert(symbol.to_string());
        self
    }

    /// Sending the order for `symbol` times out and the broker never got it.
    pub fn lose_submission(self, symbol: &str) -> Self {
        self.lock().lost_submissions.insert(symbol.to_string());
        self
    }

    /// Fills come without their commission reports.
    pub fn withhold_commissions(self) -> Self {
        self.lock().withhold_commissions = true;
        self
    }

    /// Orders are accepted but never fill (a closed market).
    pub fn hold_orders(self) -> Self {
        self.lock().hold_orders = true;
        self
    }

    /// A working order already at the broker under this broker's client id, e.g. left by a
    /// crashed run.
    pub fn with_open_order(self, request: OrderRequest) -> Self {
        self.with_open_order_of(MEMORY_CLIENT_ID, request)
    }

    /// An inactive order already at the broker under this broker's client id (rejected,
    /// say, but not yet over: it could become active again).
    pub fn with_inactive_order(self, request: OrderRequest) -> Self {
        let with = self.with_open_order(request);
        {
            let mut state = with.lock();
            let last = state.next_id - 1;
            if let Some(order) = state.orders.get_mut(&last) {
                order.status = OrderStatus::Inactive;
            }
        }
        with
    }

    /// A working order placed under another `client_id` (another connection or tool).
    pub fn with_open_order_of(self, client_id: i32, request: OrderRequest) -> Self {
        {
            let mut state = self.lock();
            let id = state.next_id;
            state.next_id += 1;
            state.orders.insert(
                id,
                Order {
                    request,
                    status: OrderStatus::Submitted,
                    client_id,
                },
            );
        }
        self
    }

    /// Every order placed through this broker, in order.
    pub fn placed(&self) -> Vec<OrderRequest> {
        self.lock().placed.clone()
    }

    /// Every order id a cancel was asked for, in order.
    pub fn cancel_requests(&self) -> Vec<i64> {
        self.lock().cancel_requests.clone()
    }

    /// Shares held of `symbol`.
    pub fn position(&self, symbol: &str) -> f64 {
        self.lock().positions.get(symbol).copied().unwrap_or(0.0)
    }

    /// Cash balance.
    pub fn cash(&self) -> f64 {
        self.lock().cash
    }

    /// Sends an update about an order for `symbol`, unless that order's updates are
    /// silenced or lost.
    fn emit(&self, state: &mut State, symbol: &str, event: OrderEvent) {
        if state.silent_symbols.contains(symbol) {
            return;
        }
        let event = if state.lost_symbols.contains(symbol) {
            Err(BrokerError::UpdatesLost(format!(
                "simulated lag: an update about the {symbol} order was dropped"
            )))
        } else {
            Ok(event)
        };
        // The receiver lives as long as the broker, so sending cannot fail.
        let _ = self.sender.send(event);
    }

    fn fill(&self, state: &mut State, id: i64, price: f64) {
        let withhold_commissions = state.withhold_commissions;
        let Some(order) = state.orders.get_mut(&id) else {
            return;
        };
        order.status = OrderStatus::Filled;
        let quantity = order.request.quantity as f64;
        let signed = match order.request.action {
            Action::Buy => quantity,
            Action::Sell => -quantity,
        };
        let symbol = order.request.symbol.clone();
        let record = ExecutionRecord {
            // Shaped like the gateway's: unique up to the last period, which numbers
            // corrections.
            exec_id: format!("0000mem0.{id:08x}.01.01"),
            order_id: id,
            client_id: order.client_id,
            perm_id: 1_000_000 + id,
            account: order.request.account.clone(),
            symbol: symbol.clone(),
            con_id: 0,
            action: order.request.action,
            shares: quantity,
            price,
            order_ref: order.request.order_ref.clone(),
            commission: (!withhold_commissions).then_some(COMMISSION),
        };
        let exec_id = record.exec_id.clone();
        state.executions.push(record);
        *state.positions.entry(symbol.clone()).or_insert(0.0) += signed;
        state.cash -= signed * price + COMMISSION;
        self.emit(
            state,
            &symbol,
            OrderEvent::Execution {
                order_id: id,
                exec_id: exec_id.clone(),
                shares: quantity,
                price,
            },
        );
        self.emit(
            state,
            &symbol,
            OrderEvent::Status {
                order_id: id,
                status: OrderStatus::Filled,
                filled: quantity,
                remaining: 0.0,
                avg_fill_price: price,
            },
        );
        // As the gateway does: the commission report comes after the fill.
        if !withhold_commissions {
            self.emit(
                state,
                &symbol,
                OrderEvent::Commission {
                    exec_id,
                    commission: COMMISSION,
                },
            );
        }
    }
}

impl Broker for MemoryBroker {
    async fn account_state(&self, account: &str) -> Result<AccountState, BrokerError> {
        let state = self.lock();
        if account != state.account_id {
            return Err(BrokerError::Api(format!("unknown account {account}")));
        }
        let invested: f64 = state
            .positions
            .iter()
            .map(|(s, q)| q * state.quotes.get(s).map_or(0.0, Quote::mid))
            .sum();
        Ok(AccountState {
            account_id: state.account_id.clone(),
            net_liquidation: state.cash + invested,
            cash: state.cash,
            settled_cash: Some(state.cash),
            buying_power: Some(state.cash.max(0.0)),
            available_funds: Some(state.cash.max(0.0)),
            positions: state
                .positions
                .iter()
                .filter(|(_, q)| **q != 0.0)
                .map(|(s, q)| Position {
                    symbol: s.clone(),
                    quantity: *q,
                })
                .collect(),
            held_not_traded: Vec::new(),
        })
    }

    async fn quotes(&self, symbols: &[String]) -> Result<BTreeMap<String, Quote>, BrokerError> {
        let state = self.lock();
        symbols
            .iter()
            .map(|s| match state.quotes.get(s) {
                Some(q) => Ok((s.clone(), *q)),
                None => Err(BrokerError::UnknownSymbol { symbol: s.clone() }),
            })
            .collect()
    }

    async fn place_order(&self, request: &OrderRequest) -> Result<i64, BrokerError> {
        let mut state = self.lock();
        if state.unreachable_symbols.contains(&request.symbol) {
            return Err(BrokerError::Disconnected(format!(
                "placing the {} order: simulated failure",
                request.symbol
            )));
        }
        let id = state.next_id;
        state.next_id += 1;
        if state.lost_submissions.contains(&request.symbol) {
            return Err(BrokerError::SubmitUnconfirmed {
                order_id: id,
                symbol: request.symbol.clone(),
                reason: "simulated: no answer within 10s".into(),
            });
        }
        state.placed.push(request.clone());
        state.orders.insert(
            id,
            Order {
                request: request.clone(),
                status: OrderStatus::Submitted,
                client_id: MEMORY_CLIENT_ID,
            },
        );
        if state.rejected_symbols.contains(&request.symbol) {
            if let Some(order) = state.orders.get_mut(&id) {
                order.status = OrderStatus::Inactive;
            }
            self.emit(
                &mut state,
                &request.symbol,
                OrderEvent::Error {
                    order_id: id,
                    code: 201,
                    message: "Order rejected - reason: simulated".into(),
                },
            );
            return Ok(id);
        }
        self.emit(
            &mut state,
            &request.symbol,
            OrderEvent::Status {
                order_id: id,
                status: OrderStatus::Submitted,
                filled: 0.0,
                remaining: request.quantity as f64,
                avg_fill_price: 0.0,
            },
        );
        let Some(quote) = state.quotes.get(&request.symbol).copied() else {
            return Ok(id);
        };
        let price = match (request.action, request.kind) {
            (Action::Buy, OrderKind::Market) => Some(quote.ask),
            (Action::Sell, OrderKind::Market) => Some(quote.bid),
            (Action::Buy, OrderKind::Limit(limit)) => (limit >= quote.ask).then_some(quote.ask),
            (Action::Sell, OrderKind::Limit(limit)) => (limit <= quote.bid).then_some(quote.bid),
        };
        if let (Some(price), false) = (price, state.hold_orders) {
            self.fill(&mut state, id, price);
        }
        if state.unconfirmed_symbols.contains(&request.symbol) {
            return Err(BrokerError::SubmitUnconfirmed {
                order_id: id,
                symbol: request.symbol.clone(),
                reason: "simulated: no answer within 10s".into(),
            });
        }
        Ok(id)
    }

    async fn cancel_order(&self, order_id: i64) -> Result<(), BrokerError> {
        let mut state = self.lock();
        state.cancel_requests.push(order_id);
        let Some(order) = state
            .orders
            .get_mut(&order_id)
            .filter(|o| o.client_id == MEMORY_CLIENT_ID)
        else {
            return Err(BrokerError::Rejected {
                what: format!("cancel of order {order_id}"),
                code: 10147,
                message: "unknown order".into(),
            });
        };
        if !order.status.is_done() {
            order.status = OrderStatus::Cancelled;
            let remaining = order.request.quantity as f64;
            let symbol = order.request.symbol.clone();
            self.emit(
                &mut state,
                &symbol,
                OrderEvent::Status {
                    order_id,
                    status: OrderStatus::Cancelled,
                    filled: 0.0,
                    remaining,
                    avg_fill_price: 0.0,
                },
            );
        }
        Ok(())
    }

    async fn next_event(&self, deadline: Instant) -> Result<Option<OrderEvent>, BrokerError> {
        let mut events = self.events.lock().await;
        match tokio::time::timeout_at(deadline.into(), events.recv()).await {
            Ok(Some(event)) => event.map(Some),
            Ok(None) | Err(_) => Ok(None),
        }
    }

    fn client_id(&self) -> i32 {
        MEMORY_CLIENT_ID
    }

    async fn open_orders(&self, account: &str) -> Result<Vec<OpenOrder>, BrokerError> {
        let state = self.lock();
        Ok(state
            .orders
            .iter()
            .filter(|(_, o)| !o.status.is_done() && o.request.account == account)
            .map(|(id, o)| OpenOrder {
                order_id: *id,
                client_id: o.client_id,
                perm_id: 1_000_000 + *id,
                account: o.request.account.clone(),
                symbol: o.request.symbol.clone(),
                action: o.request.action,
                quantity: o.request.quantity as f64,
                order_ref: o.request.order_ref.clone(),
                status: o.status.clone(),
            })
            .collect())
    }

    async fn executions(&self, account: &str) -> Result<Vec<ExecutionRecord>, BrokerError> {
        Ok(self
            .lock()
            .executions
            .iter()
            .filter(|e| e.account == account)
            .cloned()
            .collect())
    }

    async fn disconnect(self) {}
}
