//! The [`Broker`] over IB Gateway / TWS, on the `ibapi` crate (TWS API, protobuf framing).
//!
//! One value is one API connection with the client id its caller leased. Automatic
//! reconnection is off: a dropped connection fails the account instead of resuming with
//! order state the executor cannot vouch for. Instruments are known by contract id
//! (`contracts`): only US-dollar stock positions are planned, and quotes and orders use the
//! contract each symbol resolves to.

mod contracts;

use std::collections::BTreeMap;
use std::time::Instant;

use futures_util::StreamExt;
use ibapi::accounts::types::AccountId;
use ibapi::accounts::{AccountUpdateMulti, PositionUpdateMulti};
use ibapi::contracts::tick_types::TickType;
use ibapi::market_data::MarketDataType;
use ibapi::market_data::realtime::TickTypes;
use ibapi::orders::{
    ExecutionFilter, ExecutionSide, Executions, OrderUpdate, Orders, TimeInForce as IbTif,
    order_builder,
};
use ibapi::subscriptions::{Subscription, SubscriptionItem};
use ibapi::{Client, RateLimiter, SUBSCRIPTION_LAG_CODE};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{
    AccountState, Broker, BrokerError, ExecutionRecord, OpenOrder, OrderEvent, OrderKind,
    OrderRequest, OrderStatus,
};
use crate::calculator::Action;
use crate::config::{GatewaySettings, MarketDataKind, TimeInForce};
use crate::snapshot::{HeldNotTraded, Position, Quote};

/// Messages buffered per request channel. `ibapi` preallocates every channel, so its
/// default (1024) costs about 2 MiB per connection; a snapshot or account summary never
/// holds more than a few dozen unread messages. Order channels keep the crate's floors:
/// 64 slots per order, 1024 for the order update stream (as patched in `vendor/ibapi`).
const CHANNEL_CAPACITY: usize = 64;

/// Messages each connection sends in any window of 1.1 s at most (cancels included), all
/// at once if need be:
/// `ib_async`'s 45, a margin under IBKR's documented 50, beyond which the gateway drops
/// messages with error 100 and disconnects a client that keeps exceeding it. `ibapi`
/// paces nothing unless told to, and its even pace (a burst of 5, then one message every
/// 22 ms) made every account's first requests wait their turn.
const MESSAGES_PER_SECOND: u32 = 45;

/// Quote snapshots asked for at once: enough to overlap the gateway's answers, few enough
/// that each waits little for its turn under the message pacing.
const QUOTES_AT_ONCE: usize = 10;

/// Ids at or above this are request ids, below it order ids (the `ibapi` convention).
const REQUEST_ID_FLOOR: i32 = 1_500_000_000;

/// A connection to IB Gateway / TWS.
pub struct IbkrBroker {
    client: Client,
    client_id: i32,
    settings: GatewaySettings,
    contracts: contracts::StockContracts,
    events: tokio::sync::Mutex<mpsc::UnboundedReceiver<Result<OrderEvent, BrokerError>>>,
    pump: JoinHandle<()>,
}

impl IbkrBroker {
    /// Connects to `host:port` as `client_id`, selects the configured market data type and
    /// starts following this client's order updates.
    pub async fn connect(
        settings: &GatewaySettings,
        port: u16,
        client_id: i32,
    ) -> Result<Self, BrokerError> {
        let address = format!("{}:{port}", settings.host);
        let connecting = Client::builder()
            .address(address.clone())
            .client_id(client_id)
            .max_reconnect_attempts(0)
            .channel_capacity(CHANNEL_CAPACITY)
            .rate_limiter(RateLimiter::sliding_window(MESSAGES_PER_SECOND))
            .one_shot_timeout(settings.request_timeout)
            .connect();
        let client = match tokio::time::timeout(settings.connect_timeout, connecting).await {
            Err(_) => {
                return Err(BrokerError::Timeout {
                    what: format!("connecting to {address}"),
                    after: settings.connect_timeout,
                });
            }
            Ok(Err(ibapi::Error::ClientIdInUse { .. })) => {
                return Err(BrokerError::ClientIdInUse { client_id });
            }
            Ok(Err(ibapi::Error::ServerVersion(needed, found, _))) => {
                return Err(BrokerError::GatewayTooOld {
                    address,
                    found,
                    needed,
                });
            }
            Ok(Err(err)) => {
                return Err(BrokerError::Connect {
                    address,
                    reason: err.to_string(),
                });
            }
            Ok(Ok(client)) => client,
        };
        client
            .switch_market_data_type(market_data_type(settings.market_data_type))
            .await
            .map_err(api)?;
        let mut updates = client.order_update_stream().await.map_err(api)?;
        let (sender, receiver) = mpsc::unbounded_channel();
        let pump = tokio::spawn(async move {
            while let Some(item) = updates.next().await {
                let event = match item {
                    Ok(SubscriptionItem::Data(update)) => order_event(update).map(Ok),
                    Ok(SubscriptionItem::Notice(notice))
                        if notice.code == SUBSCRIPTION_LAG_CODE =>
                    {
                        Some(Err(BrokerError::UpdatesLost(notice.message)))
                    }
                    Ok(SubscriptionItem::Notice(notice)) => notice
                        .request_id
                        .filter(|id| (0..REQUEST_ID_FLOOR).contains(id))
                        .map(|id| {
                            Ok(OrderEvent::Error {
                                order_id: i64::from(id),
                                code: notice.code,
                                message: notice.message,
                            })
                        }),
                    Err(err) => Some(Err(BrokerError::Disconnected(err.to_string()))),
                };
                if let Some(event) = event
                    && sender.send(event).is_err()
                {
                    return;
                }
            }
            let _ = sender.send(Err(BrokerError::Disconnected(
                "the order update stream ended".into(),
            )));
        });
        tracing::debug!(client_id, "connected to the gateway");
        Ok(Self {
            client,
            client_id,
            settings: settings.clone(),
            contracts: contracts::StockContracts::default(),
            events: tokio::sync::Mutex::new(receiver),
            pump,
        })
    }

    /// The gateway's API server version and the accounts its login manages (none while it
    /// is not logged in), after it answered the current time.
    pub async fn gateway_identity(&self) -> Result<(i32, Vec<String>), BrokerError> {
        self.within("current time", self.client.server_time())
            .await?
            .map_err(api)?;
        let accounts = self
            .within("managed accounts", self.client.managed_accounts())
            .await?
            .map_err(api)?
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        Ok((self.client.server_version(), accounts))
    }

    async fn within<T>(
        &self,
        what: &str,
        future: impl Future<Output = T>,
    ) -> Result<T, BrokerError> {
        tokio::time::timeout(self.settings.request_timeout, future)
            .await
            .map_err(|_| BrokerError::Timeout {
                what: what.to_string(),
                after: self.settings.request_timeout,
            })
    }

    /// The account's values (NetLiquidation, TotalCashValue, …) in USD, by key.
    async fn account_values(&self, account: &str) -> Result<BTreeMap<String, f64>, BrokerError> {
        let id = AccountId(account.to_string());
        let mut values: BTreeMap<String, f64> = BTreeMap::new();
        let mut updates = self
            .within(
                "account values",
                self.client.account_updates_multi(Some(&id), None),
            )
            .await?
            .map_err(api)?;
        self.within("account values", async {
            while let Some(item) = updates.next().await {
                match checked(item)? {
                    Some(AccountUpdateMulti::AccountMultiValue(row)) if row.account == account => {
                        let usd = row.currency.is_empty()
                            || row.currency == "USD"
                            || row.currency == "BASE";
                        if let (true, Ok(value)) = (usd, row.value.parse::<f64>()) {
                            values.entry(row.key).or_insert(value);
                        }
                    }
                    Some(AccountUpdateMulti::End) => break,
                    _ => {}
                }
            }
            Ok::<_, BrokerError>(())
        })
        .await??;
        drop(updates);
        Ok(values)
    }

    /// The account's non-zero positions: its US-dollar stocks, and everything else held.
    async fn positions(
        &self,
        account: &str,
    ) -> Result<(Vec<Position>, Vec<HeldNotTraded>), BrokerError> {
        let id = AccountId(account.to_string());
        let mut positions = Vec::new();
        let mut others = Vec::new();
        let mut stream = self
            .within("positions", self.client.positions_multi(Some(&id), None))
            .await?
            .map_err(api)?;
        self.within("positions", async {
            while let Some(item) = stream.next().await {
                match checked(item)? {
                    Some(PositionUpdateMulti::Position(p))
                        if p.account == account && p.position != 0.0 =>
                    {
                        if contracts::is_us_stock(&p.contract) {
                            self.contracts.held(&p.contract)?;
                            positions.push(Position {
                                symbol: p.contract.symbol.to_string(),
                                quantity: p.position,
                            });
                        } else {
                            others.push(contracts::held_not_traded(&p.contract, p.position));
                        }
                    }
                    Some(PositionUpdateMulti::PositionEnd) => break,
                    _ => {}
                }
            }
            Ok::<_, BrokerError>(())
        })
        .await??;
        drop(stream);
        Ok((positions, others))
    }

    async fn quote(&self, symbol: &str) -> Result<Quote, BrokerError> {
        let contract = self.stock_contract(symbol).await?;
        let mut missing = String::new();
        for attempt in 1..=self.settings.quote_attempts {
            // The request is sent under the request timeout (it may wait for its turn under
            // the message pacing); the quote timeout counts from then.
            let ticks = self
                .within(
                    "a quote request",
                    self.client.market_data(&contract).snapshot().subscribe(),
                )
                .await?
                .map_err(|e| symbol_error(symbol, e))?;
            let (bid, ask, last) =
                tokio::time::timeout(self.settings.quote_timeout, snapshot_ticks(ticks, symbol))
                    .await
                    .unwrap_or(Ok((None, None, None)))?;
            match (bid, ask) {
                (Some(bid), Some(ask)) if bid > 0.0 && ask > 0.0 => {
                    return Ok(Quote { bid, ask, last });
                }
                _ => {
                    missing = format!(
                        "bid {bid:?}, ask {ask:?} after {attempt} snapshot(s) of {:?}",
                        self.settings.quote_timeout
                    );
                    tracing::warn!(symbol, attempt, "quote incomplete; asking again");
                }
            }
        }
        Err(BrokerError::NoQuote {
            symbol: symbol.to_string(),
            reason: missing,
        })
    }
}

impl Broker for IbkrBroker {
    async fn account_state(&self, account: &str) -> Result<AccountState, BrokerError> {
        let (values, (positions, held_not_traded)) = tokio::try_join!(
            reread("account values", || self.account_values(account)),
            reread("positions", || self.positions(account)),
        )?;

        let tag = |name: &str| values.get(name).copied();
        let (Some(net_liquidation), Some(cash)) = (tag("NetLiquidation"), tag("TotalCashValue"))
        else {
            return Err(BrokerError::Api(format!(
                "the gateway reported no NetLiquidation/TotalCashValue for account {account}; is it managed by this login?"
            )));
        };
        Ok(AccountState {
            account_id: account.to_string(),
            net_liquidation,
            cash,
            settled_cash: tag("SettledCash"),
            buying_power: tag("BuyingPower"),
            available_funds: tag("AvailableFunds"),
            positions,
            held_not_traded,
        })
    }

    async fn quotes(&self, symbols: &[String]) -> Result<BTreeMap<String, Quote>, BrokerError> {
        let requests: Vec<_> = symbols.iter().map(|s| self.quote(s)).collect();
        let results: Vec<_> = futures_util::stream::iter(requests)
            .buffered(QUOTES_AT_ONCE)
            .collect()
            .await;
        symbols
            .iter()
            .cloned()
            .zip(results)
            .map(|(s, q)| q.map(|q| (s, q)))
            .collect()
    }

    async fn place_order(&self, request: &OrderRequest) -> Result<i64, BrokerError> {
        let action = match request.action {
            Action::Buy => ibapi::orders::Action::Buy,
            Action::Sell => ibapi::orders::Action::Sell,
        };
        let quantity = request.quantity as f64;
        let mut order = match request.kind {
            OrderKind::Market => order_builder::market_order(action, quantity),
            OrderKind::Limit(price) => order_builder::limit_order(action, quantity, price),
        };
        order.tif = match request.tif {
            TimeInForce::Day => IbTif::Day,
            TimeInForce::Gtc => IbTif::GoodTillCanceled,
        };
        order.account = request.account.clone();
        order.order_ref = request.order_ref.clone();
        let contract = self.stock_contract(&request.symbol).await?;
        let order_id = self.client.next_order_id();
        let sent = self
            .within(
                "placing an order",
                self.client.submit_order(order_id, &contract, &order),
            )
            .await;
        match sent {
            Err(timeout) => Err(BrokerError::SubmitUnconfirmed {
                order_id: i64::from(order_id),
                symbol: request.symbol.clone(),
                reason: timeout.to_string(),
            }),
            Ok(Err(err)) => Err(BrokerError::Rejected {
                what: format!("order for {}", request.symbol),
                code: 0,
                message: err.to_string(),
            }),
            Ok(Ok(())) => Ok(i64::from(order_id)),
        }
    }

    async fn cancel_order(&self, order_id: i64) -> Result<(), BrokerError> {
        let id = i32::try_from(order_id)
            .map_err(|_| BrokerError::Api(format!("order id {order_id} out of range")))?;
        let _confirmations = self
            .within("cancelling an order", self.client.cancel_order(id, ""))
            .await?
            .map_err(api)?;
        Ok(())
    }

    async fn next_event(&self, deadline: Instant) -> Result<Option<OrderEvent>, BrokerError> {
        let mut events = self.events.lock().await;
        match tokio::time::timeout_at(deadline.into(), events.recv()).await {
            Err(_) => Ok(None),
            Ok(Some(event)) => event.map(Some),
            Ok(None) => Err(BrokerError::Disconnected(
                "the order update stream ended".into(),
            )),
        }
    }

    fn client_id(&self) -> i32 {
        self.client_id
    }

    async fn open_orders(&self, account: &str) -> Result<Vec<OpenOrder>, BrokerError> {
        reread("open orders", || self.read_open_orders(account)).await
    }

    async fn executions(&self, account: &str) -> Result<Vec<ExecutionRecord>, BrokerError> {
        reread("executions", || self.read_executions(account)).await
    }

    async fn disconnect(self) {
        self.pump.abort();
        self.client.disconnect().await;
    }
}

impl IbkrBroker {
    /// The day's executions in `account`, once.
    async fn read_executions(&self, account: &str) -> Result<Vec<ExecutionRecord>, BrokerError> {
        let filter = ExecutionFilter {
            account_code: account.to_string(),
            ..ExecutionFilter::default()
        };
        let mut stream = self
            .within("executions", self.client.executions(filter))
            .await?
            .map_err(api)?;
        let mut records: Vec<ExecutionRecord> = Vec::new();
        self.within("executions", async {
            while let Some(item) = stream.next().await {
                match checked(item)? {
                    Some(Executions::ExecutionData(data))
                        if data.execution.account_number == account =>
                    {
                        let e = data.execution;
                        records.push(ExecutionRecord {
                            exec_id: e.execution_id,
                            order_id: i64::from(e.order_id),
                            client_id: e.client_id,
                            perm_id: e.perm_id,
                            account: e.account_number,
                            symbol: data.contract.symbol.to_string(),
                            con_id: i64::from(data.contract.contract_id),
                            action: match e.side {
                                ExecutionSide::Bought => Action::Buy,
                                ExecutionSide::Sold => Action::Sell,
                            },
                            shares: e.shares,
                            price: e.price,
                            order_ref: e.order_reference,
                            commission: None,
                        });
                    }
                    Some(Executions::CommissionReport(report)) => {
                        if let Some(record) = records
                            .iter_mut()
                            .find(|r| r.exec_id == report.execution_id)
                        {
                            record.commission = Some(report.commission);
                        }
                    }
                    _ => {}
                }
            }
            Ok::<_, BrokerError>(())
        })
        .await??;
        Ok(records)
    }

    /// Orders of `account` still open (working or inactive), whichever client placed them,
    /// once.
    async fn read_open_orders(&self, account: &str) -> Result<Vec<OpenOrder>, BrokerError> {
        let mut stream = self
            .within("open orders", self.client.all_open_orders())
            .await?
            .map_err(api)?;
        let mut orders = Vec::new();
        self.within("open orders", async {
            while let Some(item) = stream.next().await {
                if let Some(Orders::OrderData(data)) = checked(item)? {
                    let status = OrderStatus::parse(data.order_state.status.as_str());
                    if data.order.account == account && !status.is_done() {
                        orders.push(OpenOrder {
                            order_id: i64::from(data.order_id),
                            client_id: data.order.client_id,
                            perm_id: data.order.perm_id,
                            account: data.order.account.clone(),
                            symbol: data.contract.symbol.to_string(),
                            action: if data.order.action == ibapi::orders::Action::Buy {
                                Action::Buy
                            } else {
                                Action::Sell
                            },
                            quantity: data.order.total_quantity,
                            order_ref: data.order.order_ref.clone(),
                            status,
                        });
                    }
                }
            }
            Ok::<_, BrokerError>(())
        })
        .await??;
        Ok(orders)
    }
}

fn order_event(update: OrderUpdate) -> Option<OrderEvent> {
    match update {
        OrderUpdate::OrderStatus(s) => Some(OrderEvent::Status {
            order_id: i64::from(s.order_id),
            status: OrderStatus::parse(s.status.as_str()),
            filled: s.filled,
            remaining: s.remaining,
            avg_fill_price: s.average_fill_price.unwrap_or(0.0),
        }),
        OrderUpdate::ExecutionData(e) => Some(OrderEvent::Execution {
            order_id: i64::from(e.execution.order_id),
            exec_id: e.execution.execution_id,
            shares: e.execution.shares,
            price: e.execution.price,
        }),
        OrderUpdate::CommissionReport(c) => Some(OrderEvent::Commission {
            exec_id: c.execution_id,
            commission: c.commission,
        }),
        OrderUpdate::OpenOrder(_) | OrderUpdate::OrderBound(_) => None,
    }
}

/// Bid, ask and last from one snapshot's ticks.
async fn snapshot_ticks(
    mut ticks: Subscription<TickTypes>,
    symbol: &str,
) -> Result<(Option<f64>, Option<f64>, Option<f64>), BrokerError> {
    let (mut bid, mut ask, mut last) = (None, None, None);
    while let Some(item) = ticks.next().await {
        let (tick_type, price) = match checked(item.map_err(|e| symbol_error(symbol, e)))? {
            Some(TickTypes::Price(t)) => (t.tick_type, t.price),
            Some(TickTypes::PriceSize(t)) => (t.price_tick_type, t.price),
            Some(TickTypes::SnapshotEnd) => break,
            _ => continue,
        };
        match tick_type {
            TickType::Bid | TickType::DelayedBid => bid = Some(price),
            TickType::Ask | TickType::DelayedAsk => ask = Some(price),
            TickType::Last | TickType::DelayedLast => last = Some(price),
            _ => {}
        }
    }
    Ok((bid, ask, last))
}

/// The data of a stream item; `None` for notices. A lag notice (the channel overflowed and
/// messages were dropped) is an error: a snapshot with lost rows must not be traded on, so
/// one-shot reads are made again ([`reread`]).
fn checked<T, E: Into<BrokerError>>(
    item: Result<SubscriptionItem<T>, E>,
) -> Result<Option<T>, BrokerError> {
    match item.map_err(Into::into)? {
        SubscriptionItem::Data(data) => Ok(Some(data)),
        SubscriptionItem::Notice(notice) if notice.code == SUBSCRIPTION_LAG_CODE => {
            Err(BrokerError::UpdatesLost(notice.message))
        }
        SubscriptionItem::Notice(_) => Ok(None),
    }
}

/// How often a one-shot read that lost messages on the way is made before it fails.
const READ_ATTEMPTS: u32 = 3;

/// Makes a one-shot read (`read`) again when messages of its answer were lost on the way,
/// up to [`READ_ATTEMPTS`] times.
async fn reread<T, F, Fut>(what: &str, read: F) -> Result<T, BrokerError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, BrokerError>>,
{
    let mut attempt = 1;
    loop {
        match read().await {
            Err(BrokerError::UpdatesLost(message)) if attempt < READ_ATTEMPTS => {
                tracing::warn!(what, attempt, %message, "answer lost messages on the way; reading again");
                attempt += 1;
            }
            other => return other,
        }
    }
}

impl From<ibapi::Error> for BrokerError {
    fn from(err: ibapi::Error) -> Self {
        api(err)
    }
}

fn market_data_type(kind: MarketDataKind) -> MarketDataType {
    match kind {
        MarketDataKind::Realtime => MarketDataType::Realtime,
        MarketDataKind::Frozen => MarketDataType::Frozen,
        MarketDataKind::Delayed => MarketDataType::Delayed,
        MarketDataKind::DelayedFrozen => MarketDataType::DelayedFrozen,
    }
}

fn api(err: ibapi::Error) -> BrokerError {
    match err {
        ibapi::Error::ConnectionReset | ibapi::Error::ConnectionFailed | ibapi::Error::Shutdown => {
            BrokerError::Disconnected(err.to_string())
        }
        other if other.is_connection_lost() => BrokerError::Disconnected(other.to_string()),
        other => BrokerError::Api(other.to_string()),
    }
}

fn symbol_error(symbol: &str, err: ibapi::Error) -> BrokerError {
    match &err {
        ibapi::Error::Notice(notice) if notice.code == 200 => BrokerError::UnknownSymbol {
            symbol: symbol.to_string(),
        },
        _ => api(err),
    }
}
