//! The trade calculator: pure, no I/O. From an account snapshot, the strategy's targets, the
//! account's rules and the trading settings it plans the trades that bring the account to
//! its targets.
//!
//! Rules, each tested below:
//! - replacement sets rewrite target symbols before anything else;
//! - only US-dollar stock positions are planned; other holdings (options, bonds, futures,
//!   other currencies) are listed as held, not traded, and never sold;
//! - held positions not in the targets are sold in whole shares at market; a position of
//!   less than one share cannot be sold through the API and only raises a warning;
//! - target value = net liquidation × (1 − cash reserve %) × weight; holdings are valued
//!   at the bid/ask midpoint;
//! - a target within `allocation_threshold_percent` points of its current share of net
//!   liquidation is left alone;
//! - sells are market orders sized at the bid (never more than held); buys are limit orders
//!   at ask × (1 + slippage), whole shares;
//! - sells come first, largest first; then buys by weight, highest first;
//! - buys are fitted into the cash after sells less what the account keeps once they are
//!   made: the minimum reserve plus room for commissions, and at least the uninvested part
//!   `max_account_utilization` leaves (see the `cash` module); rounding then leaves less
//!   than one share of any short buy unspent, so a plan made right after its fills places
//!   nothing.

mod cash;
mod replacement;
mod types;

use std::collections::{BTreeMap, HashSet};

pub use replacement::{DoesNotFit, Replaced, apply_replacements, replaced_symbols};
pub use types::{Action, OrderType, Plan, PlanError, Trade};

use crate::allocations::{Allocation, SUM_TOLERANCE};
use crate::config::{Account, Replacement, ReplacementSets, TradingSettings};
use crate::snapshot::{AccountSnapshot, Quote};
use cash::{Budget, Buy, deploy_surplus, fit_to_cash};

pub use cash::cash_floor;

/// Largest share count the calculator will put in one order.
const MAX_ORDER_SHARES: f64 = 1e9;

/// The per-account rules the calculator applies.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AccountRules {
    /// Percent of net liquidation kept in cash.
    pub cash_reserve_percent: f64,
    /// Symbol substitutions applied to the targets.
    pub replacements: Vec<Replacement>,
}

impl AccountRules {
    /// The rules of `account`, with its replacement set looked up in `sets`.
    pub fn of(account: &Account, sets: &ReplacementSets) -> Self {
        Self {
            cash_reserve_percent: account.cash_reserve_percent,
            replacements: account
                .replacement_set
                .as_deref()
                .and_then(|name| sets.get(name))
                .map(<[Replacement]>::to_vec)
                .unwrap_or_default(),
        }
    }
}

/// Plans the trades that bring `snapshot` to `targets`.
pub fn plan(
    snapshot: &AccountSnapshot,
    targets: &[Allocation],
    rules: &AccountRules,
    trading: &TradingSettings,
) -> Result<Plan, PlanError> {
    plan_for(snapshot, targets, rules, trading, Scope::SellsAndBuys)
}

/// Plans only the buys that bring `snapshot` towards `targets`, fitted into the cash the
/// snapshot holds now. Used once the sells are done: a sell the full plan would still make
/// (one that did not fill) is neither planned nor counted as money to spend.
pub fn plan_buys(
    snapshot: &AccountSnapshot,
    targets: &[Allocation],
    rules: &AccountRules,
    trading: &TradingSettings,
) -> Result<Plan, PlanError> {
    plan_for(snapshot, targets, rules, trading, Scope::BuysOnly)
}

/// Which trades a plan holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    SellsAndBuys,
    BuysOnly,
}

fn plan_for(
    snapshot: &AccountSnapshot,
    targets: &[Allocation],
    rules: &AccountRules,
    trading: &TradingSettings,
    scope: Scope,
) -> Result<Plan, PlanError> {
    let planner = Planner::new(snapshot)?;
    let replaced = apply_replacements(
        targets,
        &rules.replacements,
        trading.min_non_replaced_fraction,
    )
    .map_err(|err| PlanError::ReplacementsDoNotFit {
        account: snapshot.account_id.clone(),
        reason: err.to_string(),
    })?;
    let targets = replaced.targets;
    planner.check_weights(&targets)?;
    let held = planner.holdings()?;
    let mut warnings = replaced.warnings;
    let mut sells: Vec<(Trade, f64)> = Vec::new();
    let mut buys: Vec<Buy> = Vec::new();

    let targeted: HashSet<&str> = targets.iter().map(|t| t.symbol.as_str()).collect();
    for other in &snapshot.held_not_traded {
        warnings.push(format!("held, not traded: {}", other.description));
        let symbol = other.symbol.as_str();
        if targeted.contains(symbol) || held.contains_key(symbol) {
            warnings.push(format!(
                "{symbol}: conId {} is not the US-dollar stock and shares its symbol; only the stock is traded",
                other.con_id
            ));
        }
    }
    for (&symbol, &quantity) in &held {
        if targeted.contains(symbol) {
            continue;
        }
        if let Some(sell) = planner.liquidation(symbol, quantity, &mut warnings)? {
            sells.push(sell);
        }
    }

    let investable = snapshot.net_liquidation * (1.0 - rules.cash_reserve_percent / 100.0);
    for target in &targets {
        let quote = planner.quote(&target.symbol)?;
        let quantity = held.get(target.symbol.as_str()).copied().unwrap_or(0.0);
        let current_value = quantity * quote.mid();
        let target_value = investable * target.weight;
        let current_pct = current_value / snapshot.net_liquidation * 100.0;
        let target_pct = target_value / snapshot.net_liquidation * 100.0;
        if (target_pct - current_pct).abs() < trading.allocation_threshold_percent {
            continue;
        }
        let reason = format!("{current_pct:.2}% -> {target_pct:.2}% of net liquidation");
        let difference = target_value - current_value;
        if difference > 0.0 {
            let price = limit_price(quote.ask * (1.0 + trading.buy_slippage_percent / 100.0));
            let shares = planner.shares(&target.symbol, (difference / price).round())?;
            // Surplus cash may take the holding past its goal by at most half the threshold,
            // so a plan made after this one still leaves it alone.
            let headroom = difference
                + trading.allocation_threshold_percent / 200.0 * snapshot.net_liquidation;
            let most = planner.shares(&target.symbol, (headroom / quote.mid()).floor())?;
            if shares >= 1 {
                buys.push(Buy {
                    symbol: target.symbol.clone(),
                    quantity: shares,
                    wanted: shares,
                    most: most.max(shares),
                    price,
                    mid: quote.mid(),
                    goal_gap: difference,
                    weight: target.weight,
                    reason,
                });
            }
        } else {
            let wanted = (-difference / quote.bid).round();
            let shares = planner.shares(&target.symbol, wanted.min(quantity.floor()))?;
            if shares >= 1 {
                sells.push((market_sell(&target.symbol, shares, reason), quote.bid));
            }
        }
    }

    sells.sort_by(|(a, a_bid), (b, b_bid)| {
        let value = |t: &Trade, bid: f64| t.quantity as f64 * bid;
        value(b, *b_bid)
            .total_cmp(&value(a, *a_bid))
            .then_with(|| a.symbol.cmp(&b.symbol))
    });
    buys.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.symbol.cmp(&b.symbol))
    });

    if scope == Scope::BuysOnly {
        sells.clear();
    }
    let mut proceeds = 0.0;
    let mut sell_spread = 0.0;
    for (trade, bid) in &sells {
        let shares = trade.quantity as f64;
        proceeds += shares * bid;
        sell_spread += shares * (planner.quote(&trade.symbol)?.mid() - bid);
    }
    let budget = Budget {
        cash: snapshot.cash + proceeds,
        net_liquidation: snapshot.net_liquidation - sell_spread,
        trading,
        reserve_fraction: rules.cash_reserve_percent / 100.0,
    };
    warnings.extend(fit_to_cash(&mut buys, &budget));
    if trading.deploy_surplus_cash {
        warnings.extend(deploy_surplus(&mut buys, &budget));
    }

    let trades = sells
        .into_iter()
        .map(|(trade, _)| trade)
        .chain(buys.into_iter().map(Buy::into_trade))
        .collect();
    Ok(Plan {
        account_id: snapshot.account_id.clone(),
        trades,
        warnings,
    })
}

/// Rounds a buy limit price up to the tick: cents at $1 and above, 1/100 cent below.
fn limit_price(price: f64) -> f64 {
    let ticks_per_dollar = if price >= 1.0 { 100.0 } else { 10_000.0 };
    ((price * ticks_per_dollar) - 1e-6).ceil() / ticks_per_dollar
}

fn market_sell(symbol: &str, quantity: u64, reason: String) -> Trade {
    Trade {
        symbol: symbol.to_string(),
        action: Action::Sell,
        quantity,
        order_type: OrderType::Market,
        limit_price: None,
        reason,
    }
}

struct Planner<'a> {
    snapshot: &'a AccountSnapshot,
}

impl<'a> Planner<'a> {
    fn new(snapshot: &'a AccountSnapshot) -> Result<Self, PlanError> {
        let planner = Self { snapshot };
        if !(snapshot.net_liquidation.is_finite() && snapshot.net_liquidation > 0.0) {
            return Err(planner.bad_field(
                "net_liquidation",
                snapshot.net_liquidation,
                "expected a finite number above 0",
            ));
        }
        if !snapshot.cash.is_finite() {
            return Err(planner.bad_field("cash", snapshot.cash, "expected a finite number"));
        }
        Ok(planner)
    }

    fn account(&self) -> String {
        self.snapshot.account_id.clone()
    }

    fn bad_field(&self, field: &str, value: f64, expected: &'static str) -> PlanError {
        PlanError::BadSnapshot {
            account: self.account(),
            field: field.to_string(),
            value,
            expected,
        }
    }

    /// Shares held by symbol, summing repeated entries.
    fn holdings(&self) -> Result<BTreeMap<&'a str, f64>, PlanError> {
        let mut held = BTreeMap::new();
        for (index, position) in self.snapshot.positions.iter().enumerate() {
            if !position.quantity.is_finite() {
                return Err(self.bad_field(
                    &format!("positions[{index}].quantity"),
                    position.quantity,
                    "expected a finite number",
                ));
            }
            *held.entry(position.symbol.as_str()).or_insert(0.0) += position.quantity;
        }
        Ok(held)
    }

    fn check_weights(&self, targets: &[Allocation]) -> Result<(), PlanError> {
        if let Some(bad) = targets
            .iter()
            .find(|t| !(t.weight.is_finite() && t.weight >= 0.0))
        {
            return Err(PlanError::BadWeight {
                account: self.account(),
                symbol: bad.symbol.clone(),
                weight: bad.weight,
            });
        }
        let sum: f64 = targets.iter().map(|t| t.weight).sum();
        if sum > 1.0 + SUM_TOLERANCE {
            return Err(PlanError::WeightsAboveOne {
                account: self.account(),
                sum,
            });
        }
        Ok(())
    }

    fn quote(&self, symbol: &str) -> Result<&'a Quote, PlanError> {
        let quote = self
            .snapshot
            .quotes
            .get(symbol)
            .ok_or_else(|| PlanError::MissingQuote {
                account: self.account(),
                symbol: symbol.to_string(),
            })?;
        let problem = if !(quote.bid.is_finite() && quote.bid > 0.0) {
            Some("bid must be a finite price above 0")
        } else if !(quote.ask.is_finite() && quote.ask > 0.0) {
            Some("ask must be a finite price above 0")
        } else if quote.ask < quote.bid {
            Some("ask is below bid (crossed market)")
        } else {
            None
        };
        match problem {
            Some(reason) => Err(PlanError::BadQuote {
                account: self.account(),
                symbol: symbol.to_string(),
                bid: quote.bid,
                ask: quote.ask,
                reason,
            }),
            None => Ok(quote),
        }
    }

    fn shares(&self, symbol: &str, quantity: f64) -> Result<u64, PlanError> {
        if quantity.is_finite() && quantity <= MAX_ORDER_SHARES {
            Ok(quantity.max(0.0) as u64)
        } else {
            Err(PlanError::QuantityOutOfRange {
                account: self.account(),
                symbol: symbol.to_string(),
                quantity,
            })
        }
    }

    /// The sell that closes a position outside the targets, if the API can place one.
    fn liquidation(
        &self,
        symbol: &str,
        quantity: f64,
        warnings: &mut Vec<String>,
    ) -> Result<Option<(Trade, f64)>, PlanError> {
        if quantity < 0.0 {
            warnings.push(format!("{symbol}: short position of {quantity} shares is not in the targets and is left alone; close it by hand"));
            return Ok(None);
        }
        let whole = quantity.floor();
        if whole < 1.0 {
            if quantity > 0.0 {
                warnings.push(format!("{symbol}: fractional position of {quantity} shares cannot be sold through the API; close it in TWS or the IBKR app"));
            }
            return Ok(None);
        }
        let quote = self.quote(symbol)?;
        if quantity > whole {
            warnings.push(format!("{symbol}: selling {whole} of {quantity} shares; the fractional remainder must be closed by hand"));
        }
        let shares = self.shares(symbol, whole)?;
        Ok(Some((
            market_sell(symbol, shares, "not in the target allocation".into()),
            quote.bid,
        )))
    }
}

#[cfg(test)]
mod tests;
