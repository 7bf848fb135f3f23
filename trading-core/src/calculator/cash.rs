//! Fitting planned buys into the cash there will be. What the account keeps is a property of
//! the account after the plan, not of the cash before it ([`cash_floor`]), so a plan made
//! right after the last one filled finds nothing to spend: the plan is a fixed point. Buys
//! that do not fit are scaled down, trimmed share by share and only as a last resort dropped;
//! then shares are added back, most under-weight first, while they fit, so rounding leaves
//! less than one share of any short buy unspent. Cash still left above the account's reserve
//! can then be deployed ([`deploy_surplus`]): more shares of the buys, most under-weight
//! first, none taking its target past its goal by more than half the threshold.

use super::{Action, OrderType, Trade};
use crate::config::TradingSettings;

/// Most shares the fill-up adds, a bound on its loop.
const MAX_FILL_SHARES: u64 = 100_000;

/// A planned buy: shares, the price it may cost each (its limit), the midpoint it is valued
/// at once held, the shares its target wants, the most surplus cash may take it to, how far
/// (in value) its holding is below its goal before it, its target weight and why.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Buy {
    pub symbol: String,
    pub quantity: u64,
    pub wanted: u64,
    pub most: u64,
    pub price: f64,
    pub mid: f64,
    pub goal_gap: f64,
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

    /// How far below its goal the holding stays after this buy (negative: above it).
    fn gap_after(&self) -> f64 {
        self.goal_gap - self.quantity as f64 * self.mid
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

/// The cash and net liquidation a plan's buys start from (after its sells), the rules for
/// what the account keeps, and the account's cash reserve (a fraction of net liquidation),
/// which surplus cash is never deployed into.
pub(crate) struct Budget<'a> {
    pub cash: f64,
    pub net_liquidation: f64,
    pub trading: &'a TradingSettings,
    pub reserve_fraction: f64,
}

impl Budget<'_> {
    /// What `buys` may cost: the cash after the sells less what the account keeps once
    /// they are made.
    pub fn spendable(&self, buys: &[Buy]) -> f64 {
        self.cash - cash_floor(self.net_liquidation_after(buys), self.trading)
    }

    fn net_liquidation_after(&self, buys: &[Buy]) -> f64 {
        self.net_liquidation - buys.iter().map(Buy::spread_cost).sum::<f64>()
    }

    fn fits(&self, buys: &[Buy]) -> bool {
        total_cost(buys) <= self.spendable(buys)
    }

    /// Whether `buys` fit and leave the account's cash reserve untouched too.
    fn fits_above_reserve(&self, buys: &[Buy]) -> bool {
        let reserve = self.reserve_fraction * self.net_liquidation_after(buys);
        self.fits(buys) && total_cost(buys) <= self.cash - reserve
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
    fill_up(buys, |b| b.wanted, |b| budget.fits(b));
    for dropped in buys.iter().filter(|b| b.quantity == 0) {
        warnings.push(format!(
            "buy of 1 {} dropped: not enough cash for even one share",
            dropped.symbol
        ));
    }
    buys.retain(|b| b.quantity > 0);
    warnings
}

/// Spends cash left above the account's reserve and what it keeps on more shares of the
/// buys, most under-weight first, none past its `most`. Returns a warning saying what it
/// added, if anything.
pub(crate) fn deploy_surplus(buys: &mut [Buy], budget: &Budget<'_>) -> Option<String> {
    let before: Vec<u64> = buys.iter().map(|b| b.quantity).collect();
    let cost_before = total_cost(buys);
    fill_up(buys, |b| b.most, |b| budget.fits_above_reserve(b));
    let added: Vec<String> = buys
        .iter()
        .zip(before)
        .filter(|(b, q)| b.quantity > *q)
        .map(|(b, q)| format!("{} +{}", b.symbol, b.quantity - q))
        .collect();
    (!added.is_empty()).then(|| {
        format!(
            "surplus cash: ${:.2} deployed ({})",
            total_cost(buys) - cost_before,
            added.join(", ")
        )
    })
}

/// Adds one share at a time to the buy furthest below its goal, of those under their `cap`
/// that can take one more share and still satisfy `fits`.
fn fill_up(buys: &mut [Buy], cap: impl Fn(&Buy) -> u64, fits: impl Fn(&[Buy]) -> bool) {
    for _ in 0..MAX_FILL_SHARES {
        let mut order: Vec<usize> = (0..buys.len())
            .filter(|&i| buys[i].quantity < cap(&buys[i]))
            .collect();
        order.sort_by(|&a, &b| {
            buys[b]
                .gap_after()
                .total_cmp(&buys[a].gap_after())
                .then(a.cmp(&b))
        });
        let added = order.into_iter().find(|&i| {
            buys[i].quantity += 1;
            let ok = fits(buys);
            if !ok {
                buys[i].quantity -= 1;
            }
            ok
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
            most: quantity,
            price,
            mid: price,
            goal_gap: quantity as f64 * price,
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
            reserve_fraction: 0.0,
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
    fn surplus_goes_to_the_most_under_weight_up_to_each_limit_never_into_the_reserve() {
        // A and B fit (100 + 100 of 1 000); A may grow to 5 shares, B to 3. The reserve is
        // 20 % of net liquidation (400), so 600 may be spent. Each share goes to the buy
        // furthest below its goal (A first on a tie): A, A, A, B; then neither fits.
        let trading = keep_nothing();
        let mut a = buy("A", 1, 100.0, 0.5);
        a.most = 5;
        a.goal_gap = 500.0;
        let mut b = buy("B", 1, 100.0, 0.3);
        b.most = 3;
        b.goal_gap = 300.0;
        let mut buys = vec![a, b];
        let budget = Budget {
            cash: 1_000.0,
            net_liquidation: 2_000.0,
            trading: &trading,
            reserve_fraction: 0.2,
        };
        let note = deploy_surplus(&mut buys, &budget).expect("something deployed");
        assert_eq!((buys[0].quantity, buys[1].quantity), (4, 2));
        assert_eq!(note, "surplus cash: $400.00 deployed (A +3, B +1)");
        assert_eq!(total_cost(&buys), 600.0, "the reserve's 400 is left");
        assert_eq!(
            deploy_surplus(&mut buys, &budget),
            None,
            "nothing more fits"
        );
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
