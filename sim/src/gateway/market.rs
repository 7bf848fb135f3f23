//! The simulated market and accounts behind every wire encoding: order book, fills,
//! positions and cash. Pure state: callers get back the notices to send to which client.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant, SystemTime};

use super::scenario::{
    AccountKind, Faults, FillModel, InstrumentSeed, Latency, QuoteSeed, Scenario,
};

/// Buy or sell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// BUY.
    Buy,
    /// SELL.
    Sell,
}

impl Side {
    /// The TWS action string.
    pub fn action(self) -> &'static str {
        match self {
            Self::Buy => "BUY",
            Self::Sell => "SELL",
        }
    }

    /// The TWS execution side string.
    pub fn exec_side(self) -> &'static str {
        match self {
            Self::Buy => "BOT",
            Self::Sell => "SLD",
        }
    }
}

/// An order as the client sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrder {
    /// Client-assigned order id.
    pub order_id: i64,
    /// Account.
    pub account: String,
    /// Stock symbol.
    pub symbol: String,
    /// The contract id the request named, if it named one (it then matches `symbol`'s).
    pub named_con_id: Option<i64>,
    /// Buy or sell.
    pub side: Side,
    /// Shares.
    pub quantity: f64,
    /// `MKT` or `LMT`.
    pub order_type: String,
    /// Limit price for `LMT`.
    pub limit_price: Option<f64>,
    /// Time in force.
    pub tif: String,
    /// The client's order reference.
    pub order_ref: String,
}

/// Every order the gateway received, with its state now.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderRecord {
    /// The order as sent.
    pub order: NewOrder,
    /// The connection that placed it.
    pub client_id: i32,
    /// Permanent id assigned by the gateway.
    pub perm_id: i64,
    /// Contract id of the symbol.
    pub con_id: i64,
    /// When it arrived.
    pub received_at: SystemTime,
    /// TWS status: Submitted, Filled, Cancelled, Inactive.
    pub status: String,
    /// Shares filled.
    pub filled: f64,
    /// Average fill price.
    pub avg_price: f64,
    /// Price of the last fill.
    pub last_fill_price: f64,
}

impl OrderRecord {
    /// Shares still to fill.
    pub fn remaining(&self) -> f64 {
        (self.order.quantity - self.filled).max(0.0)
    }

    /// Whether the order can still fill.
    pub fn is_working(&self) -> bool {
        matches!(self.status.as_str(), "PreSubmitted" | "Submitted")
    }
}

/// One execution.
#[derive(Debug, Clone, PartialEq)]
pub struct Execution {
    /// Execution id.
    pub exec_id: String,
    /// The order it belongs to, as it stood after this fill.
    pub order: OrderRecord,
    /// Shares in this execution.
    pub shares: f64,
    /// Price.
    pub price: f64,
    /// When.
    pub time: SystemTime,
    /// Commission charged.
    pub commission: f64,
}

/// Something the wire layer must tell a client.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// openOrder.
    OpenOrder(OrderRecord),
    /// orderStatus.
    OrderStatus(OrderRecord),
    /// execDetails for an order (request id -1), followed by its commission report.
    Execution(Execution),
    /// An error or notice with a TWS code, about request/order `id` (-1 for none).
    Error {
        /// Request or order id.
        id: i64,
        /// TWS code.
        code: i32,
        /// Message.
        message: String,
    },
}

/// What a fill step did.
#[derive(Debug, Clone, PartialEq)]
pub enum FillStep {
    /// A slice filled; more may follow.
    Filled(Vec<Notice>),
    /// The order cannot fill now (market closed or not marketable); try again on a change.
    Waiting,
    /// The order is no longer working.
    Done,
}

#[derive(Debug, Clone, Default)]
struct Book {
    cash: f64,
    positions: BTreeMap<String, (f64, f64)>,
    instruments: Vec<InstrumentSeed>,
    kind: AccountKind,
    ira: bool,
    /// Sale proceeds not settled yet, with when they settle.
    unsettled: Vec<(f64, SystemTime)>,
}

/// A fill the account's reported positions and cash do not show yet
/// ([`Faults::position_lag_ms`]).
#[derive(Debug, Clone)]
struct Unreported {
    account: String,
    symbol: String,
    shares: f64,
    cash: f64,
    visible_at: Instant,
}

/// The whole simulated state.
#[derive(Debug)]
pub struct Market {
    accounts: BTreeMap<String, Book>,
    quotes: BTreeMap<String, QuoteSeed>,
    con_ids: BTreeMap<String, i64>,
    orders: Vec<OrderRecord>,
    executions: Vec<Execution>,
    last_order_id: HashMap<i32, i64>,
    next_perm_id: i64,
    fills: FillModel,
    faults: Faults,
    latency: Latency,
    unreported: Vec<Unreported>,
}

/// First contract id handed out; symbols get consecutive ids in alphabetical order.
const FIRST_CON_ID: i64 = 756_733;

impl Market {
    /// The market a scenario describes.
    pub fn new(scenario: &Scenario) -> Self {
        Self {
            accounts: scenario
                .accounts
                .iter()
                .map(|(id, seed)| {
                    let positions = seed
                        .positions
                        .iter()
                        .map(|(s, q)| {
                            let cost = scenario.quotes.get(s).map_or(0.0, QuoteSeed::mid);
                            (s.clone(), (*q, cost))
                        })
                        .collect();
                    (
                        id.clone(),
                        Book {
                            cash: seed.cash,
                            positions,
                            instruments: seed.instruments.clone(),
                            kind: seed.kind,
                            ira: seed.ira,
                            unsettled: Vec::new(),
                        },
                    )
                })
                .collect(),
            quotes: scenario.quotes.clone(),
            con_ids: scenario
                .quotes
                .keys()
                .zip(FIRST_CON_ID..)
                .map(|(s, id)| (s.clone(), id))
                .collect(),
            orders: Vec::new(),
            executions: Vec::new(),
            last_order_id: HashMap::new(),
            next_perm_id: 1_000_000,
            fills: scenario.fills.clone(),
            faults: scenario.faults.clone(),
            latency: scenario.latency.clone(),
            unreported: Vec::new(),
        }
    }

    /// Account ids, sorted.
    pub fn account_ids(&self) -> Vec<String> {
        self.accounts.keys().cloned().collect()
    }

    /// The fill model in force.
    pub fn fill_model(&self) -> &FillModel {
        &self.fills
    }

    /// How long the gateway takes to answer each kind of request.
    pub fn latency(&self) -> &Latency {
        &self.latency
    }

    /// The faults in force.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// The quote of a known symbol.
    pub fn quote(&self, symbol: &str) -> Option<QuoteSeed> {
        self.quotes.get(symbol).copied()
    }

    /// Replaces a symbol's quote.
    pub fn set_quote(&mut self, symbol: &str, quote: QuoteSeed) {
        self.quotes.insert(symbol.to_string(), quote);
        let next = self.con_ids.len() as i64 + FIRST_CON_ID;
        self.con_ids.entry(symbol.to_string()).or_insert(next);
    }

    /// Moves every quote one step of a random walk drawn from `rng`: the midpoint by up to
    /// `volatility_bps` basis points, on the `tick`, keeping the spread (at least a tick).
    pub fn walk_step(&mut self, rng: &mut fastrand::Rng, volatility_bps: f64, tick: f64) {
        let tick = if tick > 0.0 { tick } else { 0.01 };
        let on_tick = |price: f64| (price / tick).round() * tick;
        for quote in self.quotes.values_mut() {
            let spread = (quote.ask - quote.bid).max(tick);
            let mid = quote.mid();
            let step = mid * volatility_bps / 10_000.0 * (rng.f64() * 2.0 - 1.0);
            let bid = on_tick(mid + step - spread / 2.0).max(tick);
            quote.bid = bid;
            quote.ask = on_tick(bid + spread);
            quote.last = Some(on_tick(mid + step));
        }
    }

    /// Opens or closes the market.
    pub fn set_market_open(&mut self, open: bool) {
        self.fills.market_open = open;
    }

    /// Drops each connection after it was sent `fills` executions (`None`: never).
    pub fn set_drop_after_fills(&mut self, fills: Option<u64>) {
        self.faults.drop_after_fills = fills;
    }

    /// Halts (`true`) or resumes trading in `symbol`.
    pub fn set_halted(&mut self, symbol: &str, halted: bool) {
        self.faults.halt_symbols.retain(|s| s != symbol);
        if halted {
            self.faults.halt_symbols.push(symbol.to_string());
        }
    }

    /// The contract id of a known symbol.
    pub fn con_id(&self, symbol: &str) -> Option<i64> {
        self.con_ids.get(symbol).copied()
    }

    /// The symbol with this contract id.
    pub fn symbol_of(&self, con_id: i64) -> Option<&str> {
        self.con_ids
            .iter()
            .find(|(_, id)| **id == con_id)
            .map(|(s, _)| s.as_str())
    }

    /// Makes positions and cash reported to clients lag each later fill by `lag`.
    pub fn set_position_lag(&mut self, lag: Duration) {
        self.faults.position_lag_ms = u64::try_from(lag.as_millis()).unwrap_or(u64::MAX);
    }

    /// The fills of `account` its reports do not show yet.
    fn unreported<'a>(&'a self, account: &'a str) -> impl Iterator<Item = &'a Unreported> + 'a {
        let now = Instant::now();
        self.unreported
            .iter()
            .filter(move |u| u.account == account && u.visible_at > now)
    }

    /// Cash of an account, as it really is.
    pub fn book_cash(&self, account: &str) -> Option<f64> {
        self.accounts.get(account).map(|b| b.cash)
    }

    /// Positions of an account as they really are: symbol → (shares, average cost).
    pub fn book_positions(&self, account: &str) -> BTreeMap<String, (f64, f64)> {
        self.accounts
            .get(account)
            .map(|b| {
                b.positions
                    .iter()
                    .filter(|(_, (q, _))| *q != 0.0)
                    .map(|(s, v)| (s.clone(), *v))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Cash of an account as the gateway reports it: without fills still lagging.
    pub fn cash(&self, account: &str) -> Option<f64> {
        let lagging: f64 = self.unreported(account).map(|u| u.cash).sum();
        self.book_cash(account).map(|cash| cash - lagging)
    }

    /// Positions of an account as the gateway reports them (without fills still lagging):
    /// symbol → (shares, average cost).
    pub fn positions(&self, account: &str) -> BTreeMap<String, (f64, f64)> {
        let mut positions = self
            .accounts
            .get(account)
            .map(|b| b.positions.clone())
            .unwrap_or_default();
        for lagging in self.unreported(account) {
            positions
                .entry(lagging.symbol.clone())
                .or_insert((0.0, 0.0))
                .0 -= lagging.shares;
        }
        positions.retain(|_, (q, _)| q.abs() > 1e-9);
        positions
    }

    /// Whether an account buys with settled cash only or on margin, and whether it is an IRA.
    pub fn account_kind(&self, account: &str) -> Option<(AccountKind, bool)> {
        self.accounts.get(account).map(|b| (b.kind, b.ira))
    }

    /// Cash as reported, less the sale proceeds not settled yet.
    pub fn settled_cash(&self, account: &str) -> Option<f64> {
        let now = SystemTime::now();
        let book = self.accounts.get(account)?;
        let unsettled: f64 = book
            .unsettled
            .iter()
            .filter(|(_, at)| *at > now)
            .map(|(amount, _)| amount)
            .sum();
        Some(self.cash(account)? - unsettled)
    }

    /// What the account may still spend on new buys, as the gateway's credit check sees it:
    /// settled cash (a cash account) or the buying power (a margin account), less what its
    /// working buys will cost.
    pub fn available_for_buys(&self, account: &str) -> f64 {
        let committed: f64 = self
            .orders
            .iter()
            .filter(|o| o.is_working() && o.order.account == account && o.order.side == Side::Buy)
            .map(|o| o.remaining() * self.buy_price(&o.order))
            .sum();
        self.funds(account).1 - committed
    }

    /// Available funds and buying power: settled cash for a cash account; net liquidation
    /// less half the stock held (Reg T initial margin), and twice that, for a margin account.
    pub fn funds(&self, account: &str) -> (f64, f64) {
        match self.accounts.get(account).map(|b| b.kind) {
            Some(AccountKind::Margin) => {
                let stock: f64 = self
                    .positions(account)
                    .iter()
                    .map(|(s, (q, _))| (q * self.quotes.get(s).map_or(0.0, QuoteSeed::mid)).abs())
                    .sum();
                let available =
                    (self.net_liquidation(account).unwrap_or(0.0) - stock / 2.0).max(0.0);
                (available, available * 2.0)
            }
            _ => {
                let settled = self.settled_cash(account).unwrap_or(0.0).max(0.0);
                (settled, settled)
            }
        }
    }

    /// What a buy order costs per share: its limit, or the ask for a market order.
    fn buy_price(&self, order: &NewOrder) -> f64 {
        order
            .limit_price
            .or_else(|| self.quotes.get(&order.symbol).map(|q| q.ask))
            .unwrap_or(0.0)
    }

    /// Net liquidation as the gateway reports it: cash plus positions at the bid/ask
    /// midpoint.
    pub fn net_liquidation(&self, account: &str) -> Option<f64> {
        let book = self.accounts.get(account)?;
        let invested: f64 = self
            .positions(account)
            .iter()
            .map(|(s, (q, _))| q * self.quotes.get(s).map_or(0.0, QuoteSeed::mid))
            .sum();
        let others: f64 = book.instruments.iter().map(InstrumentSeed::usd_value).sum();
        Some(self.cash(account)? + invested + others)
    }

    /// The instruments other than US-dollar stocks an account holds.
    pub fn instruments(&self, account: &str) -> &[InstrumentSeed] {
        self.accounts
            .get(account)
            .map_or(&[], |book| book.instruments.as_slice())
    }

    /// The next order id a client may use: one above the highest it has used.
    pub fn next_order_id(&self, client_id: i32) -> i64 {
        self.last_order_id
            .get(&client_id)
            .map_or(1, |last| last + 1)
    }

    /// `notices` for `client_id` without those about orders of silenced symbols
    /// ([`Faults::silent_symbols`]).
    pub fn audible(&self, client_id: i32, notices: &[Notice]) -> Vec<Notice> {
        let silent = |symbol: &str| self.faults.silent_symbols.iter().any(|s| s == symbol);
        notices
            .iter()
            .filter(|notice| match notice {
                Notice::OpenOrder(record) | Notice::OrderStatus(record) => {
                    !silent(&record.order.symbol)
                }
                Notice::Execution(execution) => !silent(&execution.order.order.symbol),
                Notice::Error { id, .. } => !self.orders.iter().any(|o| {
                    o.client_id == client_id && o.order.order_id == *id && silent(&o.order.symbol)
                }),
            })
            .cloned()
            .collect()
    }

    /// Every order received, in arrival order.
    pub fn orders(&self) -> &[OrderRecord] {
        &self.orders
    }

    /// Every execution, in order.
    pub fn executions(&self) -> &[Execution] {
        &self.executions
    }

    /// Accepts or rejects an order from `client_id`. Returns the notices for that client
    /// and whether fills should be scheduled.
    pub fn place(&mut self, client_id: i32, order: NewOrder) -> (Vec<Notice>, bool) {
        let id = order.order_id;
        let error = |code: i32, message: String| (vec![Notice::Error { id, code, message }], false);
        if self
            .last_order_id
            .get(&client_id)
            .is_some_and(|last| id <= *last)
        {
            return error(103, format!("Duplicate order id {id}"));
        }
        self.last_order_id.insert(client_id, id);
        let Some(con_id) = self.con_id(&order.symbol) else {
            return error(
                200,
                "No security definition has been found for the request".into(),
            );
        };
        if !self.accounts.contains_key(&order.account) {
            return error(
                321,
                format!(
                    "Error validating request: unknown account {}",
                    order.account
                ),
            );
        }
        let valid_type = match (order.order_type.as_str(), order.limit_price) {
            ("MKT", _) => true,
            ("LMT", Some(price)) => price.is_finite() && price > 0.0,
            _ => false,
        };
        if !(valid_type && order.quantity.is_finite() && order.quantity > 0.0) {
            return error(
                321,
                "Error validating request: unsupported order type, price or quantity".into(),
            );
        }
        self.next_perm_id += 1;
        let mut record = OrderRecord {
            client_id,
            perm_id: self.next_perm_id,
            con_id,
            received_at: SystemTime::now(),
            status: "Submitted".into(),
            filled: 0.0,
            avg_price: 0.0,
            last_fill_price: 0.0,
            order,
        };
        let rejection = if self.faults.reject_symbols.contains(&record.order.symbol) {
            Some("Order rejected - reason:simulated rejection".to_string())
        } else {
            self.credit_check(&record.order)
        };
        if let Some(message) = rejection {
            record.status = "Inactive".into();
            self.orders.push(record.clone());
            return (
                vec![
                    Notice::Error {
                        id,
                        code: 201,
                        message,
                    },
                    Notice::OrderStatus(record),
                ],
                false,
            );
        }
        self.orders.push(record.clone());
        (
            vec![
                Notice::OpenOrder(record.clone()),
                Notice::OrderStatus(record),
            ],
            true,
        )
    }

    /// Why the gateway's credit check refuses a buy, if it does: its cost above what the
    /// account may still spend.
    fn credit_check(&self, order: &NewOrder) -> Option<String> {
        if order.side != Side::Buy {
            return None;
        }
        let (kind, _) = self.account_kind(&order.account)?;
        let cost = order.quantity * self.buy_price(order);
        let available = self.available_for_buys(&order.account);
        (cost > available + 1e-6).then(|| match kind {
            AccountKind::Cash => format!(
                "Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR SETTLED CASH [{available:.2} USD] MUST EXCEED THE ORDER'S COST [{cost:.2} USD] (CASH ACCOUNT)"
            ),
            AccountKind::Margin => format!(
                "Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR BUYING POWER [{available:.2} USD] MUST EXCEED THE ORDER'S COST [{cost:.2} USD]"
            ),
        })
    }

    /// Cancels a working order placed by `client_id`.
    pub fn cancel(&mut self, client_id: i32, order_id: i64) -> Vec<Notice> {
        let Some(record) = self
            .orders
            .iter_mut()
            .find(|o| o.client_id == client_id && o.order.order_id == order_id && o.is_working())
        else {
            return vec![Notice::Error {
                id: order_id,
                code: 10147,
                message: format!("OrderId {order_id} that needs to be cancelled is not found."),
            }];
        };
        record.status = "Cancelled".into();
        vec![
            Notice::Error {
                id: order_id,
                code: 202,
                message: "Order Canceled - reason:".into(),
            },
            Notice::OrderStatus(record.clone()),
        ]
    }

    /// Working orders, of one client or of all.
    pub fn open_orders(&self, client_id: Option<i32>) -> Vec<OrderRecord> {
        self.orders
            .iter()
            .filter(|o| o.is_working() && client_id.is_none_or(|c| c == o.client_id))
            .cloned()
            .collect()
    }

    /// Fills the next slice of an order when the market is open and the order marketable.
    pub fn fill_next_slice(&mut self, client_id: i32, order_id: i64) -> FillStep {
        let Some(index) = self
            .orders
            .iter()
            .position(|o| o.client_id == client_id && o.order.order_id == order_id)
        else {
            return FillStep::Done;
        };
        if !self.orders[index].is_working() {
            return FillStep::Done;
        }
        let order = &self.orders[index].order;
        if self.faults.halt_symbols.contains(&order.symbol) {
            return FillStep::Waiting;
        }
        let Some(quote) = self.quotes.get(&order.symbol).copied() else {
            return FillStep::Waiting;
        };
        let price = match (order.side, order.limit_price) {
            (Side::Buy, None) => Some(quote.ask),
            (Side::Sell, None) => Some(quote.bid),
            (Side::Buy, Some(limit)) => (limit >= quote.ask).then_some(quote.ask),
            (Side::Sell, Some(limit)) => (limit <= quote.bid).then_some(quote.bid),
        };
        let Some(price) = price.filter(|_| self.fills.market_open) else {
            return FillStep::Waiting;
        };
        let slices = f64::from(self.fills.slices.max(1));
        let record = &self.orders[index];
        let per_slice = (record.order.quantity / slices).ceil();
        let shares = per_slice.min(record.remaining());
        let (account, symbol, side) = (
            record.order.account.clone(),
            record.order.symbol.clone(),
            record.order.side,
        );
        let commission = self.fills.commission;
        if self.faults.position_lag_ms > 0 {
            self.unreported.push(Unreported {
                account: account.clone(),
                symbol: symbol.clone(),
                shares: if side == Side::Buy { shares } else { -shares },
                cash: -(if side == Side::Buy { shares } else { -shares }) * price - commission,
                visible_at: Instant::now() + Duration::from_millis(self.faults.position_lag_ms),
            });
        }
        let settlement = Duration::from_millis(self.fills.settlement_ms);
        let book = self.accounts.entry(account).or_default();
        let signed = if side == Side::Buy { shares } else { -shares };
        if side == Side::Sell {
            book.unsettled
                .push((shares * price - commission, SystemTime::now() + settlement));
        }
        let position = book.positions.entry(symbol).or_insert((0.0, 0.0));
        if signed > 0.0 {
            let total = position.0 + signed;
            position.1 = if total > 0.0 {
                (position.0 * position.1 + signed * price) / total
            } else {
                0.0
            };
        }
        position.0 += signed;
        book.cash -= signed * price + commission;

        let record = &mut self.orders[index];
        record.avg_price =
            (record.avg_price * record.filled + shares * price) / (record.filled + shares);
        record.filled += shares;
        record.last_fill_price = price;
        if record.remaining() <= 0.0 {
            record.status = "Filled".into();
        }
        let execution = Execution {
            exec_id: format!("0000e0d5.{:08x}.01.01", self.executions.len() + 1),
            order: record.clone(),
            shares,
            price,
            time: SystemTime::now(),
            commission,
        };
        let mut notices = vec![
            Notice::Execution(execution.clone()),
            Notice::OrderStatus(record.clone()),
        ];
        if record.status == "Filled" {
            notices.push(Notice::OpenOrder(record.clone()));
        }
        self.executions.push(execution);
        FillStep::Filled(notices)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seeded_walk_is_reproducible_and_keeps_to_the_tick() {
        let walk = |seed| {
            let mut market =
                Market::new(&Scenario::default().with_quotes(&[("VTI", 249.95, 250.05)]));
            let mut rng = fastrand::Rng::with_seed(seed);
            (0..50)
                .map(|_| {
                    market.walk_step(&mut rng, 20.0, 0.01);
                    market.quote("VTI").unwrap()
                })
                .collect::<Vec<_>>()
        };
        let (a, b) = (walk(7), walk(7));
        assert_eq!(a, b, "the same seed walks the same way");
        assert_ne!(a, walk(8));
        assert!(a.iter().any(|q| q.bid != 249.95), "it moves");
        for quote in &a {
            let cents = (quote.bid * 100.0).round();
            assert!(
                (quote.bid * 100.0 - cents).abs() < 1e-6,
                "on the tick: {quote:?}"
            );
            assert!(
                (quote.ask - quote.bid - 0.10).abs() < 1e-6,
                "the spread kept: {quote:?}"
            );
            assert!(
                (quote.mid() - 250.0).abs() < 250.0 * 0.002 * 50.0,
                "{quote:?}"
            );
        }
    }

    fn scenario() -> Scenario {
        let mut s = Scenario::default()
            .with_account("DU1234567", 10_000.0, &[("VTI", 10.0)])
            .with_quotes(&[("VTI", 99.0, 101.0)]);
        s.fills.slices = 2;
        s
    }

    fn order(id: i64, side: Side, quantity: f64, limit: Option<f64>) -> NewOrder {
        NewOrder {
            order_id: id,
            account: "DU1234567".into(),
            symbol: "VTI".into(),
            named_con_id: None,
            side,
            quantity,
            order_type: if limit.is_some() { "LMT" } else { "MKT" }.into(),
            limit_price: limit,
            tif: "DAY".into(),
            order_ref: "rb:r:DU1234567:VTI".into(),
        }
    }

    #[test]
    fn market_buy_fills_at_ask_in_slices_and_moves_cash() {
        let mut m = Market::new(&scenario());
        assert_eq!(m.net_liquidation("DU1234567"), Some(11_000.0));
        let (notices, schedule) = m.place(7, order(1, Side::Buy, 5.0, None));
        assert!(schedule);
        assert!(matches!(notices[0], Notice::OpenOrder(_)));
        let FillStep::Filled(first) = m.fill_next_slice(7, 1) else {
            panic!("first slice")
        };
        assert!(matches!(&first[0], Notice::Execution(e) if e.shares == 3.0 && e.price == 101.0));
        let FillStep::Filled(second) = m.fill_next_slice(7, 1) else {
            panic!("second slice")
        };
        assert!(
            matches!(&second[1], Notice::OrderStatus(r) if r.status == "Filled" && r.filled == 5.0)
        );
        assert_eq!(m.fill_next_slice(7, 1), FillStep::Done);
        assert_eq!(m.positions("DU1234567")["VTI"].0, 15.0);
        assert_eq!(m.cash("DU1234567"), Some(10_000.0 - 505.0 - 2.0));
    }

    #[test]
    fn limits_wait_until_marketable_and_closed_markets_rest() {
        let mut m = Market::new(&scenario());
        m.place(7, order(1, Side::Buy, 1.0, Some(100.0)));
        assert_eq!(m.fill_next_slice(7, 1), FillStep::Waiting);
        m.set_quote(
            "VTI",
            QuoteSeed {
                bid: 98.0,
                ask: 99.5,
                last: None,
            },
        );
        assert!(matches!(m.fill_next_slice(7, 1), FillStep::Filled(_)));
        m.set_market_open(false);
        m.place(7, order(2, Side::Sell, 1.0, None));
        assert_eq!(m.fill_next_slice(7, 2), FillStep::Waiting);
        assert_eq!(m.open_orders(Some(7)).len(), 1);
    }

    #[test]
    fn a_halted_symbol_rests_until_the_halt_is_lifted() {
        let mut m = Market::new(&scenario());
        m.set_halted("VTI", true);
        m.place(7, order(1, Side::Buy, 1.0, None));
        assert_eq!(m.fill_next_slice(7, 1), FillStep::Waiting);
        assert_eq!(m.open_orders(Some(7)).len(), 1);
        m.set_halted("VTI", false);
        assert!(matches!(m.fill_next_slice(7, 1), FillStep::Filled(_)));
    }

    #[test]
    fn order_ids_must_increase_per_client_and_unknowns_are_refused() {
        let mut m = Market::new(&scenario());
        m.place(7, order(5, Side::Buy, 1.0, None));
        let (notices, schedule) = m.place(7, order(5, Side::Buy, 1.0, None));
        assert!(!schedule);
        assert!(matches!(&notices[0], Notice::Error { code: 103, .. }));
        assert!(
            m.place(8, order(5, Side::Buy, 1.0, None)).1,
            "another client has its own ids"
        );
        let mut unknown = order(6, Side::Buy, 1.0, None);
        unknown.symbol = "NOPE".into();
        assert!(matches!(
            &m.place(7, unknown).0[0],
            Notice::Error { code: 200, .. }
        ));
    }

    #[test]
    fn cancel_only_works_for_the_owner_of_a_working_order() {
        let mut m = Market::new(&scenario());
        m.set_market_open(false);
        m.place(7, order(1, Side::Buy, 1.0, None));
        assert!(matches!(
            &m.cancel(8, 1)[0],
            Notice::Error { code: 10147, .. }
        ));
        assert!(matches!(
            &m.cancel(7, 1)[0],
            Notice::Error { code: 202, .. }
        ));
        assert!(m.open_orders(None).is_empty());
    }

    #[test]
    fn rejected_symbols_are_refused_with_201() {
        let mut s = scenario();
        s.faults.reject_symbols.push("VTI".into());
        let mut m = Market::new(&s);
        let (notices, schedule) = m.place(7, order(1, Side::Buy, 1.0, None));
        assert!(!schedule);
        assert!(matches!(&notices[0], Notice::Error { code: 201, .. }));
        assert_eq!(m.orders()[0].status, "Inactive");
    }
}
