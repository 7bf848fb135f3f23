//! What the calculator produces: a plan of trades with reasons, and why it may refuse.

use serde::{Deserialize, Serialize};

/// Buy or sell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Reduce or close a position.
    #[serde(rename = "SELL")]
    Sell,
    /// Open or add to a position.
    #[serde(rename = "BUY")]
    Buy,
}

impl Action {
    /// `BUY` or `SELL`, as TWS and the journal name it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sell => "SELL",
            Self::Buy => "BUY",
        }
    }
}

/// Market or limit order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderType {
    /// Market order (sells).
    #[serde(rename = "MKT")]
    Market,
    /// Limit order (buys, at ask plus slippage).
    #[serde(rename = "LMT")]
    Limit,
}

impl OrderType {
    /// `MKT` or `LMT`, as TWS names it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Market => "MKT",
            Self::Limit => "LMT",
        }
    }
}

/// One order to place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trade {
    /// Ticker symbol.
    pub symbol: String,
    /// Buy or sell.
    pub action: Action,
    /// Whole shares, at least 1.
    pub quantity: u64,
    /// Market for sells, limit for buys.
    pub order_type: OrderType,
    /// The limit price of a buy; `None` for market orders.
    pub limit_price: Option<f64>,
    /// Why the trade is planned, for people reading the plan.
    pub reason: String,
}

/// The ordered trades for one account: sells first, then buys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The account planned for.
    pub account_id: String,
    /// Trades in the order to place them.
    pub trades: Vec<Trade>,
    /// Things a person should know: positions left alone, buys trimmed for cash.
    pub warnings: Vec<String>,
}

/// Why no plan can be made. No orders follow.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// A snapshot value is unusable (non-finite, non-positive net liquidation).
    #[error("account {account}: snapshot field `{field}` is {value}, {expected}")]
    BadSnapshot {
        /// Account id.
        account: String,
        /// The field at fault.
        field: String,
        /// Its value.
        value: f64,
        /// What was expected.
        expected: &'static str,
    },
    /// A held or target symbol has no quote.
    #[error("account {account}: no quote for `{symbol}`; cannot price it")]
    MissingQuote {
        /// Account id.
        account: String,
        /// The symbol without a quote.
        symbol: String,
    },
    /// A quote's bid or ask is unusable.
    #[error("account {account}: quote for `{symbol}` is unusable (bid {bid}, ask {ask}): {reason}")]
    BadQuote {
        /// Account id.
        account: String,
        /// The symbol.
        symbol: String,
        /// The bid given.
        bid: f64,
        /// The ask given.
        ask: f64,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The account's replacement set needs more weight than the other targets may give.
    #[error("account {account}: {reason}")]
    ReplacementsDoNotFit {
        /// Account id.
        account: String,
        /// The arithmetic.
        reason: String,
    },
    /// After replacement sets, the target weights are invalid.
    #[error("account {account}: target weights sum to {sum} after replacements, above 1")]
    WeightsAboveOne {
        /// Account id.
        account: String,
        /// The sum.
        sum: f64,
    },
    /// A target weight is negative or not finite.
    #[error(
        "account {account}: target weight of `{symbol}` is {weight}, expected a finite number ≥ 0"
    )]
    BadWeight {
        /// Account id.
        account: String,
        /// The symbol.
        symbol: String,
        /// The weight.
        weight: f64,
    },
    /// A computed quantity is beyond any sane order size (inputs of absurd magnitude).
    #[error("account {account}: planned quantity of `{symbol}` ({quantity}) is out of range")]
    QuantityOutOfRange {
        /// Account id.
        account: String,
        /// The symbol.
        symbol: String,
        /// The quantity computed.
        quantity: f64,
    },
}
