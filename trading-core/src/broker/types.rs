//! Values that cross the broker seam.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::calculator::Action;
use crate::config::TimeInForce;
use crate::snapshot::{HeldNotTraded, Position};

/// An account's balances and positions as the broker reports them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountState {
    /// The IBKR account id.
    pub account_id: String,
    /// Net liquidation value (USD).
    pub net_liquidation: f64,
    /// Total cash value (USD).
    pub cash: f64,
    /// Settled cash (USD), when reported.
    pub settled_cash: Option<f64>,
    /// Buying power (USD), when reported.
    pub buying_power: Option<f64>,
    /// Funds available for new orders (USD), when reported: in a cash account the settled
    /// cash, so unsettled sale proceeds cannot be spent yet.
    #[serde(default)]
    pub available_funds: Option<f64>,
    /// US-dollar stock positions: what a plan may trade.
    pub positions: Vec<Position>,
    /// Everything else held (options, bonds, futures, other currencies): counted in net
    /// liquidation by the gateway, listed in the plan, never traded.
    pub held_not_traded: Vec<HeldNotTraded>,
}

/// Market or limit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum OrderKind {
    /// Market order.
    Market,
    /// Limit order at this price.
    Limit(f64),
}

/// An order to place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderRequest {
    /// Account the order is for.
    pub account: String,
    /// Stock symbol (US, SMART routing, USD).
    pub symbol: String,
    /// Buy or sell.
    pub action: Action,
    /// Whole shares.
    pub quantity: u64,
    /// Market or limit.
    pub kind: OrderKind,
    /// Time in force.
    pub tif: TimeInForce,
    /// `rb:<run_id>:<account>:<symbol>`, how a later run recognises this order.
    pub order_ref: String,
}

/// An order's state as TWS names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderStatus {
    /// Sent, not yet acknowledged.
    PendingSubmit,
    /// Accepted but not yet working at the exchange (e.g. outside market hours).
    PreSubmitted,
    /// Working.
    Submitted,
    /// A cancel was asked for.
    PendingCancel,
    /// Cancelled (by us, the system or the exchange).
    Cancelled,
    /// Completely filled.
    Filled,
    /// Rejected or otherwise inactive.
    Inactive,
    /// Any other status string.
    Other(String),
}

impl OrderStatus {
    /// Reads a TWS status string.
    pub fn parse(status: &str) -> Self {
        match status {
            "PendingSubmit" | "ApiPending" => Self::PendingSubmit,
            "PreSubmitted" => Self::PreSubmitted,
            "Submitted" => Self::Submitted,
            "PendingCancel" => Self::PendingCancel,
            "Cancelled" | "ApiCancelled" => Self::Cancelled,
            "Filled" => Self::Filled,
            "Inactive" => Self::Inactive,
            other => Self::Other(other.to_string()),
        }
    }

    /// Whether the order can no longer fill as things stand.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Cancelled | Self::Filled | Self::Inactive)
    }

    /// Whether the order is over for good: filled or cancelled. An inactive order is not:
    /// the gateway can hold one that becomes active again.
    pub fn is_done(&self) -> bool {
        matches!(self, Self::Cancelled | Self::Filled)
    }
}

/// An update about an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OrderEvent {
    /// The order's status and cumulative fill.
    Status {
        /// Order id.
        order_id: i64,
        /// New status.
        status: OrderStatus,
        /// Shares filled so far.
        filled: f64,
        /// Shares still to fill.
        remaining: f64,
        /// Average price of the shares filled.
        avg_fill_price: f64,
    },
    /// One execution (a fill or part fill).
    Execution {
        /// Order id.
        order_id: i64,
        /// Execution id, which commission reports refer to.
        exec_id: String,
        /// Shares in this execution.
        shares: f64,
        /// Price of this execution.
        price: f64,
    },
    /// Commission charged for one execution.
    Commission {
        /// The execution's id.
        exec_id: String,
        /// Commission in USD.
        commission: f64,
    },
    /// An error the gateway reported for the order (rejection, cancel confirmation).
    Error {
        /// Order id.
        order_id: i64,
        /// TWS error code.
        code: i32,
        /// TWS message.
        message: String,
    },
}

impl OrderEvent {
    /// The order the event is about, when it names one.
    pub fn order_id(&self) -> Option<i64> {
        match self {
            Self::Status { order_id, .. }
            | Self::Execution { order_id, .. }
            | Self::Error { order_id, .. } => Some(*order_id),
            Self::Commission { .. } => None,
        }
    }
}

/// An order the broker still lists as open: working, or inactive (which can become active
/// again).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenOrder {
    /// Order id: unique only per client id.
    pub order_id: i64,
    /// The API client id that placed it; only that client can cancel it.
    pub client_id: i32,
    /// The gateway's permanent id, unique across clients.
    pub perm_id: i64,
    /// Account.
    pub account: String,
    /// Symbol.
    pub symbol: String,
    /// Buy or sell.
    pub action: Action,
    /// Total quantity.
    pub quantity: f64,
    /// The order's reference (`rb:...` for ours).
    pub order_ref: String,
    /// Status.
    pub status: OrderStatus,
}

/// One execution of the day, as the gateway reports it to any client that asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecutionRecord {
    /// Execution id; a correction keeps all but the part after the last period.
    pub exec_id: String,
    /// The order's id, unique only per client id.
    pub order_id: i64,
    /// The API client id that placed the order.
    pub client_id: i32,
    /// The order's permanent id, unique across clients.
    pub perm_id: i64,
    /// Account.
    pub account: String,
    /// Symbol.
    pub symbol: String,
    /// Contract id.
    pub con_id: i64,
    /// Bought or sold.
    pub action: Action,
    /// Shares in this execution.
    pub shares: f64,
    /// Price of this execution.
    pub price: f64,
    /// The order's reference (`rb:...` for ours).
    pub order_ref: String,
    /// Commission charged, when its report came with the execution.
    pub commission: Option<f64>,
}

impl ExecutionRecord {
    /// Shares with their sign: bought positive, sold negative.
    pub fn signed_shares(&self) -> f64 {
        match self.action {
            Action::Buy => self.shares,
            Action::Sell => -self.shares,
        }
    }
}

/// What went wrong talking to the broker.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BrokerError {
    /// The connection could not be made.
    #[error("cannot connect to the gateway at {address}: {reason}")]
    Connect {
        /// host:port.
        address: String,
        /// Why.
        reason: String,
    },
    /// The gateway speaks an API version too old for the protobuf client.
    #[error(
        "IB Gateway at {address} speaks API server version {found}; this rebalancer needs {needed} or later: upgrade IB Gateway (10.43 or later is known to qualify; the docker-compose.yaml pins 10.45)"
    )]
    GatewayTooOld {
        /// host:port.
        address: String,
        /// The version it answered with.
        found: i32,
        /// The lowest version the client speaks.
        needed: i32,
    },
    /// The gateway refused the client id (TWS error 326).
    #[error("the gateway refused client id {client_id}: it is already in use (TWS error 326)")]
    ClientIdInUse {
        /// The client id.
        client_id: i32,
    },
    /// A request got no answer in time.
    #[error("{what}: no answer within {after:?}")]
    Timeout {
        /// The request.
        what: String,
        /// The wait.
        after: Duration,
    },
    /// The connection dropped.
    #[error("the gateway connection was lost: {0}")]
    Disconnected(String),
    /// Order updates were lost on the way (the client fell behind the gateway): the orders
    /// followed must be re-read from the gateway.
    #[error("order updates were lost: {0}")]
    UpdatesLost(String),
    /// An order was sent, but whether the gateway got it is unknown: it must be looked up
    /// by its reference before anything else is decided about it.
    #[error("the {symbol} order (id {order_id}) was sent but not confirmed: {reason}")]
    SubmitUnconfirmed {
        /// The id the order was sent with.
        order_id: i64,
        /// Its symbol.
        symbol: String,
        /// What happened.
        reason: String,
    },
    /// The gateway does not know the symbol (TWS error 200).
    #[error("the gateway does not know the stock `{symbol}` (TWS error 200)")]
    UnknownSymbol {
        /// The symbol.
        symbol: String,
    },
    /// A symbol names more than one US-dollar stock, or a held position disagrees with
    /// the contract the symbol resolves to: nothing is traded on a guess.
    #[error("`{symbol}` does not name one US-dollar stock: {contracts}")]
    Ambiguous {
        /// The symbol.
        symbol: String,
        /// The contracts found, with their ids.
        contracts: String,
    },
    /// No usable quote for a symbol.
    #[error("no usable quote for `{symbol}`: {reason}")]
    NoQuote {
        /// The symbol.
        symbol: String,
        /// What was missing.
        reason: String,
    },
    /// The gateway rejected a request.
    #[error("the gateway rejected {what}: TWS error {code}: {message}")]
    Rejected {
        /// The request.
        what: String,
        /// TWS error code.
        code: i32,
        /// TWS message.
        message: String,
    },
    /// Anything else the client library reported.
    #[error("gateway API error: {0}")]
    Api(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_and_know_when_they_are_final() {
        assert_eq!(OrderStatus::parse("ApiCancelled"), OrderStatus::Cancelled);
        assert!(OrderStatus::parse("Filled").is_terminal());
        assert!(OrderStatus::parse("Inactive").is_terminal());
        assert!(!OrderStatus::parse("Inactive").is_done());
        assert!(OrderStatus::parse("Filled").is_done());
        assert!(!OrderStatus::parse("PreSubmitted").is_terminal());
        assert_eq!(
            OrderStatus::parse("Weird"),
            OrderStatus::Other("Weird".into())
        );
    }
}
