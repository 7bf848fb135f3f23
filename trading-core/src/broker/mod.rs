//! The broker seam: what the executor needs from a gateway connection, with the `ibapi`
//! implementation for IB Gateway / TWS and an in-memory one for unit tests.
//!
//! One [`Broker`] value is one gateway connection, opened with the client id its caller
//! leases; every method has its own timeout, so no call waits forever.

mod ibkr;
mod memory;
mod types;

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Instant;

pub use ibkr::IbkrBroker;
pub use memory::MemoryBroker;
pub use types::{
    AccountState, BrokerError, ExecutionRecord, OpenOrder, OrderEvent, OrderKind, OrderRequest,
    OrderStatus,
};

use crate::snapshot::Quote;

/// One connection to a broker, used for one account.
pub trait Broker: Send + Sync {
    /// Net liquidation, cash and positions of `account`.
    fn account_state(
        &self,
        account: &str,
    ) -> impl Future<Output = Result<AccountState, BrokerError>> + Send;

    /// Bid, ask and last for each symbol; a symbol without a usable bid and ask after the
    /// configured retries is an error naming it.
    fn quotes(
        &self,
        symbols: &[String],
    ) -> impl Future<Output = Result<BTreeMap<String, Quote>, BrokerError>> + Send;

    /// Places an order and returns its id. Updates arrive through [`Broker::next_event`].
    fn place_order(
        &self,
        order: &OrderRequest,
    ) -> impl Future<Output = Result<i64, BrokerError>> + Send;

    /// Asks to cancel an order; the outcome arrives as an event.
    fn cancel_order(&self, order_id: i64) -> impl Future<Output = Result<(), BrokerError>> + Send;

    /// The next update about an order placed or cancelled on this connection, or `None`
    /// when `deadline` passes first.
    fn next_event(
        &self,
        deadline: Instant,
    ) -> impl Future<Output = Result<Option<OrderEvent>, BrokerError>> + Send;

    /// The client id this connection trades under: it can cancel only its own orders.
    fn client_id(&self) -> i32;

    /// Orders of `account` still open, whichever connection placed them: working ones and
    /// inactive ones (which can become active again).
    fn open_orders(
        &self,
        account: &str,
    ) -> impl Future<Output = Result<Vec<OpenOrder>, BrokerError>> + Send;

    /// The day's executions in `account`, whichever client placed their orders, each with
    /// its commission when reported.
    fn executions(
        &self,
        account: &str,
    ) -> impl Future<Output = Result<Vec<ExecutionRecord>, BrokerError>> + Send;

    /// Closes the connection.
    fn disconnect(self) -> impl Future<Output = ()> + Send;
}
