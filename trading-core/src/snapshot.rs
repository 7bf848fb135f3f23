//! An account's state at one moment: what the calculator plans from.
//!
//! The JSON form (used by `worker plan --snapshot`):
//! `{"account_id":"DU1234567","net_liquidation":100000.0,"cash":5000.0,
//!   "positions":[{"symbol":"VTI","quantity":100.0}],
//!   "quotes":{"VTI":{"bid":250.0,"ask":250.1,"last":250.05}}}`

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Cash, positions and quotes of one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSnapshot {
    /// The IBKR account id.
    pub account_id: String,
    /// Net liquidation value in USD.
    pub net_liquidation: f64,
    /// Cash balance in USD (may be negative on margin).
    pub cash: f64,
    /// Held positions; a symbol appears at most once.
    pub positions: Vec<Position>,
    /// Quotes by symbol, covering every held and every target symbol.
    pub quotes: BTreeMap<String, Quote>,
    /// Holdings that are not US-dollar stocks (options, bonds, futures, other currencies):
    /// in net liquidation already, listed in the plan, never traded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub held_not_traded: Vec<HeldNotTraded>,
}

/// A holding a plan leaves alone, known by its contract id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeldNotTraded {
    /// Its contract id.
    pub con_id: i64,
    /// Its symbol (an option's underlying, for instance).
    pub symbol: String,
    /// For people: security type, expiry, strike, right, currency, quantity.
    pub description: String,
}

/// A held position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// Ticker symbol.
    pub symbol: String,
    /// Shares held; fractional and negative (short) quantities are possible.
    pub quantity: f64,
}

/// Best bid, best ask and last trade of a symbol.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// Best bid; sells are valued at it.
    pub bid: f64,
    /// Best ask; buys are priced from it.
    pub ask: f64,
    /// Last trade price; informational, not used for pricing.
    #[serde(default)]
    pub last: Option<f64>,
}

impl Quote {
    /// The midpoint of bid and ask, at which holdings are valued.
    pub fn mid(&self) -> f64 {
        (self.bid + self.ask) / 2.0
    }
}

impl AccountSnapshot {
    /// Shares held of `symbol` (0 when not held).
    pub fn quantity(&self, symbol: &str) -> f64 {
        self.positions
            .iter()
            .filter(|p| p.symbol == symbol)
            .map(|p| p.quantity)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seventeen_digit_numbers_are_read_exactly() {
        let text = r#"{"account_id":"DU1234567","net_liquidation":402713.66990427236,
            "cash":0.30000000000000004,"positions":[],"quotes":{}}"#;
        let snapshot: AccountSnapshot = serde_json::from_str(text).unwrap();
        let exact: f64 = "402713.66990427236".parse().unwrap();
        assert_eq!(snapshot.net_liquidation.to_bits(), exact.to_bits());
        assert_eq!(snapshot.cash.to_bits(), (0.1_f64 + 0.2).to_bits());
        let written = serde_json::to_string(&snapshot).unwrap();
        let again: AccountSnapshot = serde_json::from_str(&written).unwrap();
        assert_eq!(
            again, snapshot,
            "a written snapshot reads back to the same bits"
        );
    }
}
