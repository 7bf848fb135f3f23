//! Instrument identity on one connection. A position is a US-dollar stock only when its
//! contract says so (security type `STK`, currency `USD`); anything else is held, not
//! traded. Each symbol a plan trades is resolved once to one US-dollar stock contract (SMART
//! routing, its primary exchange kept), from the position that holds it or from contract
//! details, and quotes and orders use that contract id, never the bare ticker.

use std::collections::HashMap;
use std::sync::Mutex;

use ibapi::contracts::{Contract, Currency, Exchange, SecurityType, Symbol};

use super::IbkrBroker;
use crate::broker::BrokerError;
use crate::snapshot::HeldNotTraded;

/// Whether `contract` is a stock (or ETF) in US dollars, the only thing plans trade.
pub(super) fn is_us_stock(contract: &Contract) -> bool {
    contract.security_type == SecurityType::Stock && contract.currency.0 == "USD"
}

/// A holding that is not a US-dollar stock, described for people.
pub(super) fn held_not_traded(contract: &Contract, quantity: f64) -> HeldNotTraded {
    let mut parts = vec![
        contract.symbol.to_string(),
        contract.security_type.as_str().to_string(),
    ];
    if !contract.last_trade_date_or_contract_month.is_empty() {
        parts.push(contract.last_trade_date_or_contract_month.clone());
    }
    if contract.strike > 0.0 {
        parts.push(contract.strike.to_string());
    }
    if let Some(right) = &contract.right {
        parts.push(format!("{right:?}"));
    }
    if !contract.multiplier.is_empty() && contract.multiplier != "1" {
        parts.push(format!("×{}", contract.multiplier));
    }
    parts.push(contract.currency.to_string());
    HeldNotTraded {
        con_id: i64::from(contract.contract_id),
        symbol: contract.symbol.to_string(),
        description: format!(
            "{quantity} {} (conId {})",
            parts.join(" "),
            contract.contract_id
        ),
    }
}

/// The US-dollar stock contract of each symbol seen or resolved on this connection.
#[derive(Debug, Default)]
pub(super) struct StockContracts {
    by_symbol: Mutex<HashMap<String, Contract>>,
}

impl StockContracts {
    fn known(&self, symbol: &str) -> Option<Contract> {
        self.lock().get(symbol).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Contract>> {
        self.by_symbol
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records the contract of a held US-dollar stock; two different contracts for one
    /// symbol are refused rather than merged.
    pub(super) fn held(&self, contract: &Contract) -> Result<(), BrokerError> {
        let symbol = contract.symbol.to_string();
        let mut known = self.lock();
        match known.get(&symbol) {
            Some(seen) if seen.contract_id != contract.contract_id => Err(BrokerError::Ambiguous {
                symbol,
                contracts: format!(
                    "positions in conId {} and conId {} share it; close one by hand",
                    seen.contract_id, contract.contract_id
                ),
            }),
            Some(_) => Ok(()),
            None => {
                known.insert(symbol, trading_contract(contract));
                Ok(())
            }
        }
    }

    fn resolved(&self, contract: Contract) -> Contract {
        self.lock()
            .entry(contract.symbol.to_string())
            .or_insert(contract)
            .clone()
    }
}

/// The contract an order or quote uses: the stock's id, SMART routing, its primary exchange.
fn trading_contract(found: &Contract) -> Contract {
    Contract {
        contract_id: found.contract_id,
        symbol: found.symbol.clone(),
        security_type: SecurityType::Stock,
        exchange: Exchange::from("SMART"),
        primary_exchange: if found.primary_exchange.0.is_empty() {
            found.exchange.clone()
        } else {
            found.primary_exchange.clone()
        },
        currency: Currency::from("USD"),
        ..Default::default()
    }
}

impl IbkrBroker {
    /// The one US-dollar stock `symbol` names: the held position's contract, else the only
    /// stock contract details return for it. None is [`BrokerError::UnknownSymbol`]; more
    /// than one is [`BrokerError::Ambiguous`], naming them.
    pub(super) async fn stock_contract(&self, symbol: &str) -> Result<Contract, BrokerError> {
        if let Some(contract) = self.contracts.known(symbol) {
            return Ok(contract);
        }
        let wanted = Contract {
            symbol: Symbol::from(symbol),
            security_type: SecurityType::Stock,
            exchange: Exchange::from("SMART"),
            currency: Currency::from("USD"),
            ..Default::default()
        };
        let details = self
            .within("contract details", self.client.contract_details(&wanted))
            .await?
            .map_err(|e| super::symbol_error(symbol, e))?;
        let mut stocks: Vec<Contract> = details
            .into_iter()
            .map(|d| d.contract)
            .filter(is_us_stock)
            .collect();
        stocks.dedup_by_key(|c| c.contract_id);
        match stocks.as_slice() {
            [] => Err(BrokerError::UnknownSymbol {
                symbol: symbol.to_string(),
            }),
            [one] => Ok(self.contracts.resolved(trading_contract(one))),
            many => Err(BrokerError::Ambiguous {
                symbol: symbol.to_string(),
                contracts: many
                    .iter()
                    .map(|c| format!("conId {} on {}", c.contract_id, c.primary_exchange))
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(con_id: i32, symbol: &str, sec_type: SecurityType, currency: &str) -> Contract {
        Contract {
            contract_id: con_id,
            symbol: Symbol::from(symbol),
            security_type: sec_type,
            currency: Currency::from(currency),
            exchange: Exchange::from("SMART"),
            primary_exchange: Exchange::from("ARCA"),
            ..Default::default()
        }
    }

    #[test]
    fn only_us_dollar_stocks_are_tradable() {
        assert!(is_us_stock(&contract(1, "SPY", SecurityType::Stock, "USD")));
        assert!(!is_us_stock(&contract(
            2,
            "SPY",
            SecurityType::Option,
            "USD"
        )));
        assert!(!is_us_stock(&contract(
            3,
            "SAP",
            SecurityType::Stock,
            "EUR"
        )));
    }

    #[test]
    fn an_option_is_described_with_its_terms_and_id() {
        let mut option = contract(9001, "SPY", SecurityType::Option, "USD");
        option.last_trade_date_or_contract_month = "20261218".into();
        option.strike = 550.0;
        option.multiplier = "100".into();
        let held = held_not_traded(&option, 2.0);
        assert_eq!(held.con_id, 9001);
        assert_eq!(held.symbol, "SPY");
        assert_eq!(
            held.description,
            "2 SPY OPT 20261218 550 ×100 USD (conId 9001)"
        );
    }

    #[test]
    fn two_contracts_for_one_held_symbol_are_refused() {
        let known = StockContracts::default();
        known
            .held(&contract(1, "ABC", SecurityType::Stock, "USD"))
            .unwrap();
        known
            .held(&contract(1, "ABC", SecurityType::Stock, "USD"))
            .unwrap();
        let err = known
            .held(&contract(2, "ABC", SecurityType::Stock, "USD"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("conId 1 and conId 2"), "{err}");
        let traded = known.known("ABC").unwrap();
        assert_eq!(
            (
                traded.contract_id,
                traded.exchange.0.as_str(),
                traded.primary_exchange.0.as_str()
            ),
            (1, "SMART", "ARCA")
        );
    }
}
