//! The gateway simulator's scenario: accounts, quotes, how orders fill, and faults to inject.
//! Read from YAML or JSON (`sim gateway --scenario FILE`) or built in code by tests.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// Everything the simulated gateway starts from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scenario {
    /// Accounts by id.
    pub accounts: BTreeMap<String, AccountSeed>,
    /// Quotes by symbol; a symbol not listed is unknown to the gateway (TWS error 200).
    pub quotes: BTreeMap<String, QuoteSeed>,
    /// How orders fill.
    pub fills: FillModel,
    /// Faults to inject.
    pub faults: Faults,
    /// A moving market: every quote walks, seeded, so a limit order can miss. None: quotes
    /// stay as set.
    pub walk: Option<Walk>,
    /// How long the gateway takes to answer each kind of request.
    pub latency: Latency,
}

/// A seeded random walk of every quote: each step moves the midpoint by up to
/// `volatility_bps` basis points either way, on the tick, keeping the spread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Walk {
    /// The walk's seed: the same seed walks the same way, step by step.
    pub seed: u64,
    /// Milliseconds between steps.
    pub step_ms: u64,
    /// The largest move of one step, in basis points of the midpoint.
    pub volatility_bps: f64,
    /// The price increment quotes keep to.
    pub tick: f64,
}

impl Default for Walk {
    fn default() -> Self {
        Self {
            seed: 1,
            step_ms: 100,
            volatility_bps: 5.0,
            tick: 0.01,
        }
    }
}

/// Reply latency by kind of request, each drawn uniformly (seeded) from its range.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Latency {
    /// Seed of the draws (mixed with each client's id).
    pub seed: u64,
    /// Account values, summaries and positions.
    pub account: LatencyRange,
    /// Contract details.
    pub contract_details: LatencyRange,
    /// Market data snapshots and streams.
    pub market_data: LatencyRange,
}

/// A range of milliseconds a reply takes.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LatencyRange {
    /// Shortest.
    pub min_ms: u64,
    /// Longest.
    pub max_ms: u64,
}

impl LatencyRange {
    /// One draw from the range; zero when the range is empty.
    pub fn draw(&self, rng: &mut fastrand::Rng) -> std::time::Duration {
        let high = self.max_ms.max(self.min_ms);
        std::time::Duration::from_millis(rng.u64(self.min_ms..=high))
    }
}

/// An account's starting cash and positions.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccountSeed {
    /// Cash (USD).
    pub cash: f64,
    /// Shares of US-dollar stocks by symbol (traded by the simulated market).
    pub positions: BTreeMap<String, f64>,
    /// Other instruments held: options, bonds, futures, stocks in other currencies. They
    /// count in net liquidation and show in positions and the portfolio, each with its own
    /// contract; the simulator never trades them.
    pub instruments: Vec<InstrumentSeed>,
    /// `margin` (the default, as paper accounts are: buys up to the buying power) or `cash`
    /// (buys only with settled cash).
    pub kind: AccountKind,
    /// An IRA (reported as AccountType `IRA`).
    pub ira: bool,
}

/// How an account pays for what it buys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// Buys on margin: up to twice the funds available (Reg T), unsettled proceeds
    /// included.
    #[default]
    Margin,
    /// Buys only with settled cash: sale proceeds count once they settle.
    Cash,
}

/// A held instrument that is not a US-dollar stock, e.g. an SPY option beside SPY stock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstrumentSeed {
    /// Its contract id (unique; not one of the stocks').
    pub con_id: i64,
    /// The underlying's or the instrument's symbol.
    pub symbol: String,
    /// `OPT`, `BOND`, `FUT`, `CASH` or `STK` (a stock in another currency).
    pub sec_type: String,
    /// Its currency.
    pub currency: String,
    /// Its exchange.
    pub exchange: String,
    /// Contract multiplier (100 for US equity options). Default 1.
    #[serde(default = "one")]
    pub multiplier: f64,
    /// Expiry (`YYYYMMDD`) of an option or future.
    #[serde(default)]
    pub expiry: Option<String>,
    /// Strike of an option.
    #[serde(default)]
    pub strike: Option<f64>,
    /// `C` or `P` for an option.
    #[serde(default)]
    pub right: Option<String>,
    /// Units held (contracts, bonds, shares).
    pub quantity: f64,
    /// Price per unit in its currency.
    pub price: f64,
    /// US dollars per unit of its currency. Default 1.
    #[serde(default = "one")]
    pub usd_rate: f64,
}

fn one() -> f64 {
    1.0
}

impl InstrumentSeed {
    /// Its value in US dollars: quantity × price × multiplier × rate.
    pub fn usd_value(&self) -> f64 {
        self.quantity * self.price * self.multiplier * self.usd_rate
    }
}

/// A symbol's quote.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteSeed {
    /// Best bid.
    pub bid: f64,
    /// Best ask.
    pub ask: f64,
    /// Last trade; the midpoint when absent.
    #[serde(default)]
    pub last: Option<f64>,
}

impl QuoteSeed {
    /// The bid/ask midpoint, at which positions are valued.
    pub fn mid(&self) -> f64 {
        (self.bid + self.ask) / 2.0
    }
}

/// How accepted orders fill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FillModel {
    /// Delay before each fill slice, in milliseconds.
    pub latency_ms: u64,
    /// Each order fills in this many executions (partial fills when above 1).
    pub slices: u32,
    /// When false the market is closed: orders are accepted and rest as Submitted.
    pub market_open: bool,
    /// Commission per execution (USD).
    pub commission: f64,
    /// Sale proceeds settle this many milliseconds after the fill (T+1: one day).
    pub settlement_ms: u64,
}

impl Default for FillModel {
    fn default() -> Self {
        Self {
            latency_ms: 0,
            slices: 1,
            market_open: true,
            commission: 1.0,
            settlement_ms: 86_400_000,
        }
    }
}

/// Faults to inject.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Faults {
    /// Orders for these symbols are rejected (TWS error 201).
    pub reject_symbols: Vec<String>,
    /// Market data for these symbols never arrives.
    pub stall_symbols: Vec<String>,
    /// Trading in these symbols is halted: orders are accepted and rest unfilled until the
    /// halt is lifted ([`GatewaySim::set_halted`](super::GatewaySim::set_halted)).
    pub halt_symbols: Vec<String>,
    /// Messages one client may send in any one second (IBKR documents 50); each message
    /// beyond it is dropped with error 100, and a client that goes on exceeding it
    /// ([`PACING_STRIKES`](crate::gateway::PACING_STRIKES) dropped messages) is
    /// disconnected, as the gateway does. `None` means 50; 0 turns pacing off.
    pub pacing_per_second: Option<u32>,
    /// Orders for these symbols are accepted and fill, but their placing client hears
    /// nothing about them (no openOrder, orderStatus, execDetails, commission report or
    /// error), as when an acknowledgement is lost: only open orders and executions show
    /// them.
    pub silent_symbols: Vec<String>,
    /// Positions and cash (in positions, portfolio updates and account values) show a
    /// fill only this many milliseconds after it; executions show it at once. 0: no lag.
    pub position_lag_ms: u64,
    /// Each connection is dropped after the gateway has sent it this many messages
    /// (counted after the handshake).
    pub drop_after_messages: Option<u64>,
    /// Each connection is dropped right after the gateway acknowledged this many orders
    /// from it.
    pub drop_after_orders: Option<u64>,
    /// Each connection is dropped right after the gateway has sent it this many executions
    /// (fills of its orders), for crash tests.
    pub drop_after_fills: Option<u64>,
    /// An older gateway: the highest API server version it speaks (178 is the last release
    /// before protobuf). A client whose lowest version is above it gets this version in the
    /// handshake answer, as from a real old gateway, and nothing more.
    pub max_server_version: Option<i32>,
}

/// Quotes most tests and benchmarks use: XYZ to sell, VTI and BND to buy, VOO to replace.
pub const ETF_QUOTES: [(&str, f64, f64); 4] = [
    ("XYZ", 99.95, 100.05),
    ("VTI", 249.95, 250.05),
    ("BND", 79.98, 80.02),
    ("VOO", 499.9, 500.1),
];

impl Scenario {
    /// Adds an account with `cash` and `positions` (symbol, shares).
    pub fn with_account(mut self, id: &str, cash: f64, positions: &[(&str, f64)]) -> Self {
        let positions = positions.iter().map(|(s, q)| (s.to_string(), *q)).collect();
        self.accounts.insert(
            id.to_string(),
            AccountSeed {
                cash,
                positions,
                ..AccountSeed::default()
            },
        );
        self
    }

    /// Adds `instrument` to account `id`'s holdings (the account must exist).
    pub fn with_instrument(mut self, id: &str, instrument: InstrumentSeed) -> Self {
        if let Some(account) = self.accounts.get_mut(id) {
            account.instruments.push(instrument);
        }
        self
    }

    /// Adds quotes (symbol, bid, ask), with no last price.
    pub fn with_quotes(mut self, quotes: &[(&str, f64, f64)]) -> Self {
        for (symbol, bid, ask) in quotes {
            self.quotes.insert(
                symbol.to_string(),
                QuoteSeed {
                    bid: *bid,
                    ask: *ask,
                    last: None,
                },
            );
        }
        self
    }

    /// Reads a scenario from a YAML (or JSON) file.
    pub fn load(file: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(file)
            .map_err(|err| anyhow::anyhow!("{}: cannot read the file: {err}", file.display()))?;
        serde_yaml::from_str(&text).map_err(|err| anyhow::anyhow!("{}: {err}", file.display()))
    }
}
