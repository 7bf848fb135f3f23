//! Fitting planned buys into the cash there will be: scale down, trim share by share, and
//! only as a last resort drop a buy.

use super::{Action, OrderType, Trade};

/// A planned buy: shares, the price it may cost each (its limit), its target weight and why.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Buy {
    pub symbol: String,
    pub quantity: u64,
    pub price: f64,
    pub weight: f64,
    pub reason: String,
}

impl Buy {
    /// The limit order for this buy.
    pub fn into_trade(self) -> Trade {
        Trade {
            symbol: self.symbol,
            action: Action::Buy,
            quantity: self.quantity,
            order_type: OrderType::Limit,
            limit_price: Some(self.price),
            reason: self.reason,
        }
    }

    fn cost(&self) -> f64 {
        self.quantity as f64 * self.price
    }
}

/// Total cost of `buys`.
pub(crate) fn total_cost(buys: &[Buy]) -> f64 {
    buys.iter().map(Buy::cost).sum()
}

/// Shrinks `buys` (ordered by weight, highest first) until they cost at most `available`.
/// Quantities are scaled by one factor but kept at one share or more, then the costliest
/// buys are trimmed a share at a time; if one share of each still costs too much, the
/// lowest-weight buys are dropped. Returns a warning for each change made.
pub(crate) fn fit_to_cash(buys: &mut Vec<Buy>, available: f64) -> Vec<String> {
    let planned = total_cost(buys);
    if planned <= available {
        return Vec::new();
    }
    let mut warnings = vec![format!(
        "buys planned for ${planned:.2} scaled down to the ${available:.2} available after sells, reserve and commission"
    )];
    let factor = (available / planned).max(0.0);
    for buy in buys.iter_mut() {
        if buy.quantity > 1 {
            buy.quantity = ((buy.quantity as f64 * factor).floor() as u64).max(1);
        }
    }
    let mut total = total_cost(buys);
    while total > available {
        let costliest = buys
            .iter_mut()
            .filter(|b| b.quantity > 1)
            .max_by(|a, b| a.cost().total_cmp(&b.cost()));
        let Some(buy) = costliest else { break };
        buy.quantity -= 1;
        total = total_cost(buys);
    }
    while total > available {
        let Some(dropped) = buys.pop() else { break };
        warnings.push(format!(
            "buy of {} {} dropped: not enough cash for even one share",
            dropped.quantity, dropped.symbol
        ));
        total = total_cost(buys);
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buy(symbol: &str, quantity: u64, price: f64, weight: f64) -> Buy {
        Buy {
            symbol: symbol.into(),
            quantity,
            price,
            weight,
            reason: String::new(),
        }
    }

    #[test]
    fn affordable_buys_are_untouched() {
        let mut buys = vec![buy("A", 10, 10.0, 0.5)];
        assert!(fit_to_cash(&mut buys, 100.0).is_empty());
        assert_eq!(buys[0].quantity, 10);
    }

    #[test]
    fn scales_then_trims_to_fit() {
        // 10×10 + 5×20 = 200 planned, 150 available: factor 0.75 → 7 and 3 = 130, fits.
        let mut buys = vec![buy("A", 10, 10.0, 0.5), buy("B", 5, 20.0, 0.3)];
        let warnings = fit_to_cash(&mut buys, 150.0);
        assert_eq!((buys[0].quantity, buys[1].quantity), (7, 3));
        assert_eq!(warnings.len(), 1);
        assert!(total_cost(&buys) <= 150.0);
    }

    #[test]
    fn keeps_one_share_and_trims_costliest() {
        // 1×100 kept at one share; 3×50 scaled by 200/250 → 2 (=100) → total 200 fits exactly.
        let mut buys = vec![buy("A", 1, 100.0, 0.6), buy("B", 3, 50.0, 0.4)];
        fit_to_cash(&mut buys, 200.0);
        assert_eq!((buys[0].quantity, buys[1].quantity), (1, 2));
        // With 160 available: B is trimmed to 1 share (150 total).
        let mut buys = vec![buy("A", 1, 100.0, 0.6), buy("B", 3, 50.0, 0.4)];
        fit_to_cash(&mut buys, 160.0);
        assert_eq!((buys[0].quantity, buys[1].quantity), (1, 1));
    }

    #[test]
    fn drops_lowest_weight_when_one_share_each_is_too_much() {
        let mut buys = vec![buy("A", 1, 100.0, 0.6), buy("B", 1, 80.0, 0.4)];
        let warnings = fit_to_cash(&mut buys, 120.0);
        assert_eq!(buys.len(), 1);
        assert_eq!(buys[0].symbol, "A");
        assert!(warnings[1].contains("buy of 1 B dropped"), "{warnings:?}");
        let mut buys = vec![buy("A", 1, 100.0, 0.6)];
        fit_to_cash(&mut buys, 0.0);
        assert!(buys.is_empty());
    }
}
