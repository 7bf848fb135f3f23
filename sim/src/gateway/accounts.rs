//! Account answers (values, portfolio, positions) and the subscriptions that keep them
//! current: as the gateway does, reqPositions, reqPositionsMulti, reqAccountUpdates and
//! reqAccountUpdatesMulti first download everything, then push each change until cancelled.

use std::collections::BTreeMap;
use std::time::SystemTime;

use super::market::Market;
use super::wire::encode;
use super::wire::encoding::Encoding;
use super::wire::ids::response;
use super::wire::proto;

/// One account value as reqAccountUpdates, reqAccountUpdatesMulti and reqAccountSummary
/// report it: a key, its value (numbers with two decimals), and its currency (`USD` for
/// account-level amounts, `USD` and `BASE` for the per-currency ledger, empty for text).
#[derive(Debug, Clone, PartialEq)]
pub struct AccountValue {
    /// The tag, e.g. `NetLiquidation` or `CashBalance`.
    pub key: &'static str,
    /// The value as the gateway writes it.
    pub value: String,
    /// `USD`, `BASE` or empty.
    pub currency: &'static str,
    /// Which reqAccountSummary tags answer it.
    pub reported: Reported,
}

/// How reqAccountSummary reaches an account value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reported {
    /// By its own tag.
    Summary,
    /// By the `$LEDGER` tags only: a per-currency cash balance entry.
    Ledger,
    /// Not at all: reqAccountUpdates only.
    UpdatesOnly,
}

impl AccountValue {
    /// Whether an account summary asking for `tags` includes this value. Besides a
    /// value's own tag, `$LEDGER` asks for the ledger in the base currency, `$LEDGER:ALL`
    /// in every currency and `$LEDGER:USD` in that one (IBKR's account summary tags).
    pub fn wanted_by(&self, tags: &[&str]) -> bool {
        tags.iter().any(|tag| match self.reported {
            Reported::Summary => *tag == self.key,
            Reported::Ledger => match tag.strip_prefix("$LEDGER") {
                Some("") => self.currency == "BASE",
                Some(":ALL") => true,
                Some(currency) => currency.strip_prefix(':') == Some(self.currency),
                None => false,
            },
            Reported::UpdatesOnly => false,
        })
    }
}

fn amount(
    key: &'static str,
    value: f64,
    currency: &'static str,
    reported: Reported,
) -> AccountValue {
    AccountValue {
        key,
        value: format!("{value:.2}"),
        currency,
        reported,
    }
}

fn text(
    key: &'static str,
    value: &str,
    currency: &'static str,
    reported: Reported,
) -> AccountValue {
    AccountValue {
        key,
        value: value.to_string(),
        currency,
        reported,
    }
}

/// An account's values, as a paper account reports them: the account-level
/// amounts (NetLiquidation, TotalCashValue, SettledCash, AvailableFunds, ExcessLiquidity,
/// BuyingPower, EquityWithLoanValue, GrossPositionValue), the account's identity
/// (AccountCode, AccountType, Currency, RealCurrency), and the per-currency ledger in USD
/// and BASE (CashBalance, TotalCashBalance, NetLiquidationByCurrency, StockMarketValue,
/// UnrealizedPnL, RealizedPnL, ExchangeRate).
pub fn values(market: &Market, account: &str) -> Vec<AccountValue> {
    let cash = market.cash(account).unwrap_or(0.0);
    let nlv = market.net_liquidation(account).unwrap_or(0.0);
    let stocks: Vec<Holding> = holdings(market, account)
        .into_iter()
        .filter(|h| {
            h.contract.sec_type.as_deref() == Some("STK")
                && h.contract.currency.as_deref() == Some("USD")
        })
        .collect();
    let stock_value: f64 = stocks.iter().map(|h| h.value).sum();
    let unrealized: f64 = stocks.iter().map(|h| h.value - h.cost * h.quantity).sum();
    let gross: f64 = holdings(market, account)
        .iter()
        .map(|h| h.value.abs())
        .sum();
    let (available, buying_power) = market.funds(account);
    let settled = market.settled_cash(account).unwrap_or(cash);
    let account_type = match market.account_kind(account) {
        Some((_, true)) => "IRA",
        _ => "INDIVIDUAL",
    };
    let mut out = vec![
        text("AccountCode", account, "", Reported::Summary),
        text("AccountType", account_type, "", Reported::Summary),
        amount("NetLiquidation", nlv, "USD", Reported::Summary),
        amount("TotalCashValue", cash, "USD", Reported::Summary),
        amount("SettledCash", settled, "USD", Reported::Summary),
        amount("AvailableFunds", available, "USD", Reported::Summary),
        amount("ExcessLiquidity", available, "USD", Reported::Summary),
        amount("BuyingPower", buying_power, "USD", Reported::Summary),
        amount("EquityWithLoanValue", nlv, "USD", Reported::Summary),
        amount("GrossPositionValue", gross, "USD", Reported::Summary),
        text("Currency", "USD", "USD", Reported::UpdatesOnly),
        text("RealCurrency", "USD", "USD", Reported::UpdatesOnly),
    ];
    for currency in ["USD", "BASE"] {
        out.extend([
            amount("CashBalance", cash, currency, Reported::Ledger),
            amount("TotalCashBalance", cash, currency, Reported::Ledger),
            amount("NetLiquidationByCurrency", nlv, currency, Reported::Ledger),
            amount("StockMarketValue", stock_value, currency, Reported::Ledger),
            amount("UnrealizedPnL", unrealized, currency, Reported::Ledger),
            amount("RealizedPnL", 0.0, currency, Reported::Ledger),
            text("ExchangeRate", "1.00", currency, Reported::Ledger),
        ]);
    }
    out
}

/// The account a request names, or every account when it names none.
fn requested(market: &Market, requested: Option<&str>) -> Vec<String> {
    match requested {
        Some(account) if !account.is_empty() => vec![account.to_string()],
        _ => market.account_ids(),
    }
}

/// What one client is subscribed to.
#[derive(Debug, Default)]
pub struct Subscriptions {
    /// reqPositions: every account's positions.
    positions: bool,
    /// reqPositionsMulti by request id: one account's positions, or all (`None`).
    positions_multi: BTreeMap<i32, Option<String>>,
    /// reqAccountUpdates: one account's values and portfolio.
    account_updates: Option<String>,
    /// reqAccountUpdatesMulti by request id: one account's values, or all (`None`).
    account_updates_multi: BTreeMap<i32, Option<String>>,
}

/// One position as a Position, PositionMulti or PortfolioValue needs it: its contract, the
/// units held, their average cost, price and value (per contract times the multiplier).
struct Holding {
    account: String,
    contract: proto::Contract,
    quantity: f64,
    cost: f64,
    price: f64,
    value: f64,
}

impl Holding {
    /// Stock `symbol` in `account` now; zero shares when it is not held.
    fn of(market: &Market, account: &str, symbol: &str) -> Self {
        let (quantity, cost) = market
            .positions(account)
            .get(symbol)
            .copied()
            .unwrap_or((0.0, 0.0));
        Self::stock(market, account, symbol, quantity, cost)
    }

    fn stock(market: &Market, account: &str, symbol: &str, quantity: f64, cost: f64) -> Self {
        let price = market.quote(symbol).map_or(0.0, |q| q.mid());
        Self {
            account: account.to_string(),
            contract: encode::stock(symbol, market.con_id(symbol).unwrap_or(0)),
            quantity,
            cost,
            price,
            value: price * quantity,
        }
    }

    fn position(&self) -> proto::Position {
        proto::Position {
            account: Some(self.account.clone()),
            contract: Some(self.contract.clone()),
            position: Some(encode::decimal(self.quantity)),
            avg_cost: Some(self.cost),
        }
    }

    fn position_multi(&self, req_id: i32) -> proto::PositionMulti {
        proto::PositionMulti {
            req_id: Some(req_id),
            account: Some(self.account.clone()),
            contract: Some(self.contract.clone()),
            position: Some(encode::decimal(self.quantity)),
            avg_cost: Some(self.cost),
            model_code: None,
        }
    }

    fn portfolio(&self) -> proto::PortfolioValue {
        proto::PortfolioValue {
            contract: Some(self.contract.clone()),
            position: Some(encode::decimal(self.quantity)),
            market_price: Some(self.price),
            market_value: Some(self.value),
            average_cost: Some(self.cost),
            unrealized_pnl: Some(self.value - self.cost * self.quantity),
            realized_pnl: Some(0.0),
            account_name: Some(self.account.clone()),
        }
    }
}

/// Every non-zero holding of `account`: its US-dollar stocks, then its other instruments.
fn holdings(market: &Market, account: &str) -> Vec<Holding> {
    let stocks = market
        .positions(account)
        .into_iter()
        .map(|(symbol, (quantity, cost))| Holding::stock(market, account, &symbol, quantity, cost));
    let others = market.instruments(account).iter().map(|seed| Holding {
        account: account.to_string(),
        contract: encode::instrument(seed),
        quantity: seed.quantity,
        cost: seed.price * seed.multiplier,
        price: seed.price,
        value: seed.quantity * seed.price * seed.multiplier,
    });
    stocks.chain(others).collect()
}

fn account_value_frames(encoding: Encoding, market: &Market, account: &str) -> Vec<Vec<u8>> {
    values(market, account)
        .into_iter()
        .map(|v| {
            encoding.reply(&proto::AccountValue {
                key: Some(v.key.to_string()),
                value: Some(v.value),
                currency: Some(v.currency.into()),
                account_name: Some(account.to_string()),
            })
        })
        .collect()
}

fn account_update_multi_frames(
    encoding: Encoding,
    market: &Market,
    req_id: i32,
    account: &str,
) -> Vec<Vec<u8>> {
    values(market, account)
        .into_iter()
        .map(|v| {
            encoding.reply(&proto::AccountUpdateMulti {
                req_id: Some(req_id),
                account: Some(account.to_string()),
                model_code: None,
                key: Some(v.key.to_string()),
                value: Some(v.value),
                currency: Some(v.currency.into()),
            })
        })
        .collect()
}

fn update_time(encoding: Encoding) -> Vec<u8> {
    let stamp = encode::tws_time(SystemTime::now());
    encoding.reply(&proto::AccountUpdateTime {
        time_stamp: Some(stamp[9..14].to_string()),
    })
}

impl Subscriptions {
    /// reqPositions: every position of every account, PositionEnd, then changes.
    pub fn positions(&mut self, encoding: Encoding, market: &Market) -> Vec<Vec<u8>> {
        self.positions = true;
        let mut frames = Vec::new();
        for account in market.account_ids() {
            frames.extend(
                holdings(market, &account)
                    .into_iter()
                    .map(|h| encoding.reply(&h.position())),
            );
        }
        frames.push(encoding.end(response::POSITION_END, None));
        frames
    }

    /// reqPositionsMulti: the positions asked for, PositionMultiEnd, then changes.
    pub fn positions_multi(
        &mut self,
        encoding: Encoding,
        market: &Market,
        request: &proto::PositionsMultiRequest,
    ) -> Vec<Vec<u8>> {
        let req_id = request.req_id.unwrap_or(0);
        let wanted = request.account.clone().filter(|a| !a.is_empty());
        let mut frames = Vec::new();
        for account in requested(market, wanted.as_deref()) {
            frames.extend(
                holdings(market, &account)
                    .into_iter()
                    .map(|h| encoding.reply(&h.position_multi(req_id))),
            );
        }
        frames.push(encoding.end(response::POSITION_MULTI_END, Some(req_id)));
        self.positions_multi.insert(req_id, wanted);
        frames
    }

    /// reqAccountUpdates: subscribing downloads values, portfolio, time and
    /// AccountDownloadEnd, then pushes changes; unsubscribing stops them.
    pub fn account_updates(
        &mut self,
        encoding: Encoding,
        market: &Market,
        request: &proto::AccountDataRequest,
    ) -> Vec<Vec<u8>> {
        if request.subscribe != Some(true) {
            self.account_updates = None;
            return Vec::new();
        }
        let account = match request.acct_code.as_deref() {
            Some(code) if !code.is_empty() => code.to_string(),
            _ => market.account_ids().into_iter().next().unwrap_or_default(),
        };
        let mut frames = account_value_frames(encoding, market, &account);
        frames.extend(
            holdings(market, &account)
                .into_iter()
                .map(|h| encoding.reply(&h.portfolio())),
        );
        frames.push(update_time(encoding));
        frames.push(encoding.reply(&proto::AccountDataEnd {
            account_name: Some(account.clone()),
        }));
        self.account_updates = Some(account);
        frames
    }

    /// reqAccountUpdatesMulti: the values asked for, AccountUpdateMultiEnd, then changes.
    pub fn account_updates_multi(
        &mut self,
        encoding: Encoding,
        market: &Market,
        request: &proto::AccountUpdatesMultiRequest,
    ) -> Vec<Vec<u8>> {
        let req_id = request.req_id.unwrap_or(0);
        let wanted = request.account.clone().filter(|a| !a.is_empty());
        let mut frames = Vec::new();
        for account in requested(market, wanted.as_deref()) {
            frames.extend(account_update_multi_frames(
                encoding, market, req_id, &account,
            ));
        }
        frames.push(encoding.end(response::ACCOUNT_UPDATE_MULTI_END, Some(req_id)));
        self.account_updates_multi.insert(req_id, wanted);
        frames
    }

    /// cancelPositions.
    pub fn cancel_positions(&mut self) {
        self.positions = false;
    }

    /// cancelPositionsMulti.
    pub fn cancel_positions_multi(&mut self, req_id: i32) {
        self.positions_multi.remove(&req_id);
    }

    /// cancelAccountUpdatesMulti.
    pub fn cancel_account_updates_multi(&mut self, req_id: i32) {
        self.account_updates_multi.remove(&req_id);
    }

    /// The updates a fill of `symbol` in `account` brings to this client's subscriptions.
    pub fn changed(
        &self,
        encoding: Encoding,
        market: &Market,
        account: &str,
        symbol: &str,
    ) -> Vec<Vec<u8>> {
        let holding = Holding::of(market, account, symbol);
        let covers = |wanted: &Option<String>| wanted.as_deref().is_none_or(|a| a == account);
        let mut frames = Vec::new();
        if self.positions {
            frames.push(encoding.reply(&holding.position()));
        }
        for (req_id, wanted) in &self.positions_multi {
            if covers(wanted) {
                frames.push(encoding.reply(&holding.position_multi(*req_id)));
            }
        }
        if self.account_updates.as_deref() == Some(account) {
            frames.extend(account_value_frames(encoding, market, account));
            frames.push(encoding.reply(&holding.portfolio()));
            frames.push(update_time(encoding));
        }
        for (req_id, wanted) in &self.account_updates_multi {
            if covers(wanted) {
                frames.extend(account_update_multi_frames(
                    encoding, market, *req_id, account,
                ));
            }
        }
        frames
    }
}
