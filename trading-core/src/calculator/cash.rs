//! Fitting planned buys into the cash there will be. What the account keeps is a property of
//! the account after the plan, not of the cash before it ([`cash_floor`]), so a plan made
//! right after the last one filled finds nothing to spend: the plan is a fixed point. Buys
//! that do not fit are scaled down, trimmed share by share and only as a last resort dropped;
//! then shares are added back, most under-weight first, while they fit, so rounding leaves
//! less than one share of any short buy unspent.

use super::{Action, OrderType, Trade};
use crate::config::TradingSettings;

/// Most shares the fill-up adds, a bound on its loop.
const MAX_FILL_SHARES: u64 = 100_000;

/// A planned buy: shares, the price it may cost each (its limit), the midpoint it is valued
/// at once held, the shares its target wants, its target weight and why.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Buy {
    pub symbol: String,
    pub quantity: u64,
    pub wanted: u64,
    pub price: f64,
    pub mid: f64,
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

    /// Net liquidation the buy gives up: it pays its limit for what is valued at the mid.
    fn spread_cost(&self) -> f64 {
        self.quantity as f64 * (self.price - self.mid)
    }
}

/// The cash an account keeps after a plan that leaves it with `net_liquidation`: at least
/// `minimum_cash_reserve_usd` plus (1 − 1/`commission_divisor`) of the net liquidation above
/// it (room for commissions), and at least (1 − `max_account_utilization`) of the net
/// liquidation (the part never invested).
pub fn cash_floor(net_liquidation: f64, trading: &TradingSettings) -> f64 {
    let reserve = trading.minimum_cash_reserve_usd;
    let commissions =
        (1.0 - 1.0 / trading.commission_divisor) * (net_liquidation - reserve).max(0.0);
    (reserve + commissions).max((1.0 - trading.max_account_utilization) * net_liquidation)
}

/// The cash and net liquidation a plan's buys start from (after its sells), and the rules
/// for what the account keeps.
pub(crate) struct Budget<'a> {
    pub cash: f64,
    pub net_liquidation: f64,
    pub trading: &'a TradingSettings,
}

impl Budget<'_> {
    /// What `buys` may cost: the cash after the sells less what the account keeps once
    /// they are made.
    pub fn spendable(&self, buys: &[Buy]) -> f64 {
        let spread: f64 = buys.iter().map(Buy::spread_cost).sum();
        self.cash - cash_floor(self.net_liquidation - spread, self.trading)
    }

    fn fits(&self, buys: &[Buy]) -> bool {
        total_cost(buys) <= self.spendable(buys)
    }
}

/// Total cost of `buys`.
pub(crate) fn total_cost(buys: &[Buy]) -> f64 {
    buys.iter().map(Buy::cost).sum()
}

/// Shrinks `buys` (ordered by weight, highest first) until they fit `budget`: quantities
/// are scaled by one factor but kept at one share or more, then the costliest buys are
/// trimmed a share at a time, and if one share of each still costs too much the
/// lowest-weight buys are dropped. Then shares are added back, most under-weight first,
/// while they fit and no buy exceeds what its target wants. Returns a warning for each
/// change made.
pub(crate) fn fit_to_cash(buys: &mut Vec<Buy>, budget: &Budget<'_>) -> Vec<String> {
    if budget.fits(buys) {
        return Vec::new();
    }
    let planned = total_cost(buys);
    let available = budget.spendable(buys).max(0.0);
    let mut warnings = vec![format!(
        "buys planned for ${planned:.2} scaled down to the ${available:.2} available after sells, reserve and commission"
    )];
    let factor = (available / planned).max(0.0);
    for buy in buys.iter_mut() {
        if buy.quantity > 1 {
            buy.quantity = ((buy.quantity as f64 * factor).floor() as u64).max(1);
        }
    }
    while !budget.fits(buys) {
        let costliest = buys
            .iter_mut()
            .filter(|b| b.quantity > 1)
            .max_by(|a, b| a.cost().total_cmp(&b.cost()));
        let Some(buy) = costliest else { break };
        buy.quantity -= 1;
    }
    while !budget.fits(buys) {
        let Some(lowest) = buys.iter_mut().rev().find(|b| b.quantity > 0) else {
            break;
        };
        lowest.quantity = 0;
    }
    fill_up(buys, budget);
    for dropped in buys.iter().filter(|b| b.quantity == 0) {
        warnings.push(format!(
            "buy of 1 {} dropped: not enough cash for even one share",
            dropped.symbol
        ));
    }
    buys.retain(|b| b.quantity > 0);
    warnings
}

/// Adds one share at a time to the buy furthest (in value) from what its target wants, of
/// those that can take one more share and still fit.
fn fill_up(buys: &mut [Buy], budget: &Budget<'_>) {
    for _ in 0..MAX_FILL_SHARES {
        let mut order: Vec<usize> = (0..buys.len())
            .filter(|&i| buys[i].quantity < buys[i].wanted)
            .collect();
        order.sort_by(|&a, &b| {
            let short = |i: usize| (buys[i].wanted - buys[i].quantity) as f64 * buys[i].price;
            short(b).total_cmp(&short(a)).then(a.cmp(&b))
        });
        let added = order.into_iter().find(|&i| {
            buys[i].quantity += 1;
            let fits = budget.fits(buys);
            if !fits {
                buys[i].quantity -= 1;
            }
            fits
        });
        if added.is_none() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buy(symbol: &str, quantity: u64, price: f64, weight: f64) -> Buy {
        Buy {
            symbol: symbol.into(),
            quantity,
            wanted: quantity,
            price,
            mid: price,
            weight,
            reason: String::new(),
        }
    }

    /// Settings under which the account keeps nothing: the budget is the cash.
    fn keep_nothing() -> TradingSettings {
        TradingSettings {
            minimum_cash_reserve_usd: 0.0,
            commission_divisor: 1.0,
            max_account_utilization: 1.0,
            ..TradingSettings::default()
        }
    }

    fn budget(cash: f64, trading: &TradingSettings) -> Budget<'_> {
        Budget {
            cash,
            net_liquidation: 100_000.0,
            trading,
        }
    }

    #[test]
    fn affordable_buys_are_untouched() {
        let trading = keep_nothing();
        let mut buys = vec![buy("A", 10, 10.0, 0.5)];
        assert!(fit_to_cash(&mut buys, &budget(100.0, &trading)).is_empty());
        assert_eq!(buys[0].quantity, 10);
    }

    #[test]
    fn scales_trims_and_fills_up_to_fit() {
        // 10×10 + 5×20 = 200 planned, 150 available: factor 0.75 → 7 and 3 = 130; the
        // fill-up adds a share of B, the furthest from its goal (40 short against A's 30):
        // 7 and 4 = 150.
        let trading = keep_nothing();
        let mut buys = vec![buy("A", 10, 10.0, 0.5), buy("B", 5, 20.0, 0.3)];
        let warnings = fit_to_cash(&mut buys, &budget(150.0, &trading));
        assert_eq!((buys[0].quantity, buys[1].quantity), (7, 4));
        assert_eq!(warnings.len(), 1);
        assert_eq!(total_cost(&buys), 150.0);
    }

    #[test]
    fn keeps_one_share_and_trims_costliest() {
        // 1×100 kept at one share; 3×50 scaled by 200/250 → 2 (=100) → total 200 fits exactly.
        let trading = keep_nothing();
        let mut buys = vec![buy("A", 1, 100.0, 0.6), buy("B", 3, 50.0, 0.4)];
        fit_to_cash(&mut buys, &budget(200.0, &trading));
        assert_eq!((buys[0].quantity, buys[1].quantity), (1, 2));
        // With 160 available: B is trimmed to 1 share (150 total).
        let mut buys = vec![buy("A", 1, 100.0, 0.6), buy("B", 3, 50.0, 0.4)];
        fit_to_cash(&mut buys, &budget(160.0, &trading));
        assert_eq!((buys[0].quantity, buys[1].quantity), (1, 1));
    }

    #[test]
    fn drops_lowest_weight_when_one_share_each_is_too_much() {
        let trading = keep_nothing();
        let mut buys = vec![buy("A", 1, 100.0, 0.6), buy("B", 1, 80.0, 0.4)];
        let warnings = fit_to_cash(&mut buys, &budget(120.0, &trading));
        assert_eq!(buys.len(), 1);
        assert_eq!(buys[0].symbol, "A");
        assert!(warnings[1].contains("buy of 1 B dropped"), "{warnings:?}");
        let mut buys = vec![buy("A", 1, 100.0, 0.6)];
        fit_to_cash(&mut buys, &budget(0.0, &trading));
        assert!(buys.is_empty());
    }

    #[test]
    fn a_dropped_buy_comes_back_when_the_rest_leaves_room() {
        // One share each of A (100), B (80) and C (40) costs 220 against 150: C, then B are
        // dropped (100 left); the fill-up cannot bring B back (180) but brings C back (140).
        let trading = keep_nothing();
        let mut buys = vec![
            buy("A", 1, 100.0, 0.5),
            buy("B", 1, 80.0, 0.3),
            buy("C", 1, 40.0, 0.2),
        ];
        fit_to_cash(&mut buys, &budget(150.0, &trading));
        let kept: Vec<&str> = buys.iter().map(|b| b.symbol.as_str()).collect();
        assert_eq!(kept, ["A", "C"]);
    }

    #[test]
    fn the_floor_is_the_largest_of_the_reserve_rules() {
        let trading = TradingSettings {
            minimum_cash_reserve_usd: 100.0,
            commission_divisor: 1.01,
            max_account_utilization: 0.99,
            ..TradingSettings::default()
        };
        // Commissions: 100 + (1 − 1/1.01) × 99 900 = 1 089.11; utilization: 1 000.
        assert!((cash_floor(100_000.0, &trading) - 1_089.108_910_891).abs() < 1e-6);
        let loose = TradingSettings {
            max_account_utilization: 0.9,
            ..trading.clone()
        };
        assert!((cash_floor(100_000.0, &loose) - 10_000.0).abs() < 1e-9);
        assert_eq!(cash_floor(50.0, &trading), 100.0, "never below the reserve");
    }
}
