//! Hand-computed cases, one per rule, and properties over random snapshots.

use std::collections::BTreeMap;
use std::time::Duration;

use proptest::prelude::*;

use super::*;
use crate::snapshot::{HeldNotTraded, Position};

fn settings() -> TradingSettings {
    TradingSettings {
        minimum_cash_reserve_usd: 0.0,
        commission_divisor: 1.0,
        max_account_utilization: 1.0,
        buy_slippage_percent: 0.5,
        allocation_threshold_percent: 1.0,
        order_timeout: Duration::from_secs(60),
        // Each hand-computed case checks one rule; surplus deployment has its own.
        deploy_surplus_cash: false,
        ..TradingSettings::default()
    }
}

fn quote(bid: f64, ask: f64) -> Quote {
    Quote {
        bid,
        ask,
        last: None,
    }
}

/// A snapshot holding `positions` (symbol, shares), the rest of `nlv` in cash, with
/// VTI 199.9/200.1, BND 79.9/80.1, XYZ 99/101 and ABC 90/110 quotes.
fn snapshot(nlv: f64, positions: &[(&str, f64)]) -> AccountSnapshot {
    let quotes: BTreeMap<String, Quote> = [
        ("VTI", quote(199.9, 200.1)),
        ("BND", quote(79.9, 80.1)),
        ("XYZ", quote(99.0, 101.0)),
        ("ABC", quote(90.0, 110.0)),
        ("VOO", quote(499.9, 500.1)),
        ("SPY", quote(549.9, 550.1)),
    ]
    .into_iter()
    .map(|(s, q)| (s.to_string(), q))
    .collect();
    let invested: f64 = positions.iter().map(|(s, q)| q * quotes[*s].mid()).sum();
    AccountSnapshot {
        account_id: "DU1234567".into(),
        net_liquidation: nlv,
        cash: nlv - invested,
        positions: positions
            .iter()
            .map(|(s, q)| Position {
                symbol: s.to_string(),
                quantity: *q,
            })
            .collect(),
        quotes,
        held_not_traded: Vec::new(),
    }
}

fn targets(list: &[(&str, f64)]) -> Vec<Allocation> {
    list.iter()
        .map(|(s, w)| Allocation {
            symbol: s.to_string(),
            weight: *w,
        })
        .collect()
}

fn run(
    snap: &AccountSnapshot,
    list: &[(&str, f64)],
    rules: &AccountRules,
    trading: &TradingSettings,
) -> Plan {
    plan(snap, &targets(list), rules, trading).expect("plan")
}

fn summary(plan: &Plan) -> Vec<(String, Action, u64, Option<f64>)> {
    plan.trades
        .iter()
        .map(|t| (t.symbol.clone(), t.action, t.quantity, t.limit_price))
        .collect()
}

fn s(
    symbol: &str,
    action: Action,
    quantity: u64,
    limit: Option<f64>,
) -> (String, Action, u64, Option<f64>) {
    (symbol.to_string(), action, quantity, limit)
}

#[test]
fn sells_positions_outside_targets_and_buys_at_ask_plus_slippage() {
    // XYZ is not a target: sell all 100 at market. VTI target = 100 000 × 0.5 = 50 000;
    // limit = ceil(200.1 × 1.005) to the cent = 201.11; 50 000 / 201.11 = 248.6 → 249.
    let p = run(
        &snapshot(100_000.0, &[("XYZ", 100.0)]),
        &[("VTI", 0.5)],
        &AccountRules::default(),
        &settings(),
    );
    assert_eq!(
        summary(&p),
        vec![
            s("XYZ", Action::Sell, 100, None),
            s("VTI", Action::Buy, 249, Some(201.11))
        ]
    );
    assert_eq!(p.trades[0].order_type, OrderType::Market);
    assert_eq!(p.trades[0].reason, "not in the target allocation");
    assert_eq!(p.trades[1].order_type, OrderType::Limit);
    assert_eq!(p.trades[1].reason, "0.00% -> 50.00% of net liquidation");
    assert!(p.warnings.is_empty());
}

#[test]
fn fractional_positions_warn_and_sell_only_whole_shares() {
    let p = run(
        &snapshot(100_000.0, &[("XYZ", 0.5)]),
        &[("VTI", 0.0)],
        &AccountRules::default(),
        &settings(),
    );
    assert!(p.trades.is_empty());
    assert!(
        p.warnings[0].contains("XYZ: fractional position of 0.5 shares cannot be sold"),
        "{:?}",
        p.warnings
    );

    let p = run(
        &snapshot(100_000.0, &[("XYZ", 10.5)]),
        &[("VTI", 0.0)],
        &AccountRules::default(),
        &settings(),
    );
    assert_eq!(summary(&p), vec![s("XYZ", Action::Sell, 10, None)]);
    assert!(
        p.warnings[0].contains("selling 10 of 10.5 shares"),
        "{:?}",
        p.warnings
    );
}

#[test]
fn short_positions_outside_targets_are_left_with_a_warning() {
    let p = run(
        &snapshot(100_000.0, &[("XYZ", -5.0)]),
        &[("VTI", 0.0)],
        &AccountRules::default(),
        &settings(),
    );
    assert!(p.trades.is_empty());
    assert!(p.warnings[0].contains("short position"), "{:?}", p.warnings);
}

#[test]
fn cash_reserve_reduces_target_value() {
    // 10 % reserve: 100 000 × 0.9 × 0.5 = 45 000; / 201.11 = 223.8 → 224.
    let rules = AccountRules {
        cash_reserve_percent: 10.0,
        ..Default::default()
    };
    let p = run(
        &snapshot(100_000.0, &[]),
        &[("VTI", 0.5)],
        &rules,
        &settings(),
    );
    assert_eq!(summary(&p), vec![s("VTI", Action::Buy, 224, Some(201.11))]);
}

#[test]
fn changes_below_the_threshold_are_skipped() {
    // 246 × 200 = 49 200 = 49.2 % vs 50 %: 0.8 points < 1 → nothing.
    let p = run(
        &snapshot(100_000.0, &[("VTI", 246.0)]),
        &[("VTI", 0.5)],
        &AccountRules::default(),
        &settings(),
    );
    assert!(p.trades.is_empty());
    // 240 × 200 = 48 %: 2 points → buy (50 000 − 48 000) / 201.11 = 9.9 → 10.
    let p = run(
        &snapshot(100_000.0, &[("VTI", 240.0)]),
        &[("VTI", 0.5)],
        &AccountRules::default(),
        &settings(),
    );
    assert_eq!(summary(&p), vec![s("VTI", Action::Buy, 10, Some(201.11))]);
}

#[test]
fn overweight_targets_are_sold_at_bid_never_more_than_held() {
    // 300 × 200 = 60 %, target 50 %: (60 000 − 50 000) / 199.9 = 50.03 → 50.
    let p = run(
        &snapshot(100_000.0, &[("VTI", 300.0)]),
        &[("VTI", 0.5)],
        &AccountRules::default(),
        &settings(),
    );
    assert_eq!(summary(&p), vec![s("VTI", Action::Sell, 50, None)]);
    // ABC weight 0: value at mid 100 × 100 = 10 000, / bid 90 = 111 > 100 held → 100.
    let p = run(
        &snapshot(100_000.0, &[("ABC", 100.0)]),
        &[("ABC", 0.0), ("VTI", 0.1)],
        &AccountRules::default(),
        &settings(),
    );
    assert_eq!(p.trades[0].quantity, 100);
    assert_eq!(p.trades[0].action, Action::Sell);
}

#[test]
fn sells_come_first_largest_first_then_buys_by_weight() {
    let p = run(
        &snapshot(100_000.0, &[("XYZ", 10.0), ("ABC", 100.0)]),
        &[("BND", 0.2), ("VTI", 0.5)],
        &AccountRules::default(),
        &settings(),
    );
    let order: Vec<_> = p
        .trades
        .iter()
        .map(|t| (t.symbol.as_str(), t.action))
        .collect();
    assert_eq!(
        order,
        [
            ("ABC", Action::Sell),
            ("XYZ", Action::Sell),
            ("VTI", Action::Buy),
            ("BND", Action::Buy)
        ]
    );
}

#[test]
fn buys_are_scaled_to_cash_after_commission_allowance() {
    // VTI at 90 % stays; BND 10 % = 10 000 / 80.51 = 124 shares (9 983.24), but the account
    // keeps (1 − 1/1.01) of its net liquidation after the buys for commissions:
    // 10 000 − 80.51 q ≥ 0.0099 × (100 000 − 0.51 q) allows q ≤ 111.9, so 111 (8 936.61).
    // The warning names what the 124 planned would leave: 10 000 − 0.0099 × 99 936.76.
    let trading = TradingSettings {
        commission_divisor: 1.01,
        ..settings()
    };
    let p = run(
        &snapshot(100_000.0, &[("VTI", 450.0)]),
        &[("VTI", 0.9), ("BND", 0.1)],
        &AccountRules::default(),
        &trading,
    );
    assert_eq!(summary(&p), vec![s("BND", Action::Buy, 111, Some(80.51))]);
    assert!(
        p.warnings[0].contains("scaled down to the $9010.53 available"),
        "{:?}",
        p.warnings
    );
}

#[test]
fn minimum_cash_reserve_is_never_spent() {
    let trading = TradingSettings {
        minimum_cash_reserve_usd: 10_000.0,
        ..settings()
    };
    let p = run(
        &snapshot(100_000.0, &[("VTI", 450.0)]),
        &[("VTI", 0.9), ("BND", 0.1)],
        &AccountRules::default(),
        &trading,
    );
    assert!(p.trades.is_empty(), "{:?}", p.trades);
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("buy of 1 BND dropped")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn utilization_caps_total_buys() {
    // All cash, VTI 100 %: 497 shares (99 951.67) wanted; cap 90 000 → ×0.9004 → 447.
    let trading = TradingSettings {
        max_account_utilization: 0.9,
        ..settings()
    };
    let p = run(
        &snapshot(100_000.0, &[]),
        &[("VTI", 1.0)],
        &AccountRules::default(),
        &trading,
    );
    assert_eq!(summary(&p), vec![s("VTI", Action::Buy, 447, Some(201.11))]);
}

#[test]
fn sell_proceeds_fund_buys() {
    // No cash at all: 100 000 in XYZ (1 000 × 100). Selling yields 99 000 at bid, which
    // funds VTI 50 % = 249 shares (50 076.39).
    let snap = snapshot(100_000.0, &[("XYZ", 1_000.0)]);
    assert_eq!(snap.cash, 0.0);
    let p = run(
        &snap,
        &[("VTI", 0.5)],
        &AccountRules::default(),
        &settings(),
    );
    assert_eq!(
        summary(&p),
        vec![
            s("XYZ", Action::Sell, 1_000, None),
            s("VTI", Action::Buy, 249, Some(201.11))
        ]
    );
}

#[test]
fn replacement_sets_rewrite_targets_before_planning() {
    // The strategy targets SPY; this account holds VOO instead, so its SPY is sold.
    let rules = AccountRules {
        replacements: vec![Replacement {
            source: "SPY".into(),
            target: "VOO".into(),
            scale: 1.0,
        }],
        ..Default::default()
    };
    let p = run(
        &snapshot(100_000.0, &[("SPY", 10.0)]),
        &[("SPY", 0.5)],
        &rules,
        &settings(),
    );
    // VOO: 50 000 / ceil(500.1 × 1.005) = 50 000 / 502.61 = 99.48 → 99.
    assert_eq!(
        summary(&p),
        vec![
            s("SPY", Action::Sell, 10, None),
            s("VOO", Action::Buy, 99, Some(502.61))
        ]
    );
}

#[test]
fn a_replacement_scale_takes_its_room_from_the_other_targets() {
    // SPY 0.2 becomes VOO 0.3; VTI (0.8) gives the 0.1: 70 000 at 201.11 → 348 and
    // 30 000 at 502.61 → 60 cost 100 142.88, so both are scaled by 0.9986 to 347 and 59;
    // the fill-up gives the share back to VTI, 600 below its goal against VOO's 500.
    let rules = AccountRules {
        replacements: vec![Replacement {
            source: "SPY".into(),
            target: "VOO".into(),
            scale: 1.5,
        }],
        ..Default::default()
    };
    let p = run(
        &snapshot(100_000.0, &[]),
        &[("SPY", 0.2), ("VTI", 0.8)],
        &rules,
        &settings(),
    );
    assert_eq!(
        summary(&p),
        vec![
            s("VTI", Action::Buy, 348, Some(201.11)),
            s("VOO", Action::Buy, 59, Some(502.61))
        ]
    );
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("VOO holds 1.50× the weight of SPY")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn surplus_cash_buys_more_of_the_most_under_weight_within_half_the_threshold() {
    // 10 000 cash, VTI 45 % (4 500): 22 at 201.11 (4 424.42). With surplus deployment VTI may
    // reach 4 500 + 50 (half the 1 % threshold of 10 000) at the 200 mid: 22 shares still, so
    // nothing changes; with a 5 % threshold it may reach 4 750: 23 shares.
    let snap = snapshot(10_000.0, &[]);
    let on = |threshold: f64| TradingSettings {
        deploy_surplus_cash: true,
        allocation_threshold_percent: threshold,
        ..settings()
    };
    let p = run(&snap, &[("VTI", 0.45)], &AccountRules::default(), &on(1.0));
    assert_eq!(summary(&p), vec![s("VTI", Action::Buy, 22, Some(201.11))]);
    let p = run(&snap, &[("VTI", 0.45)], &AccountRules::default(), &on(5.0));
    assert_eq!(summary(&p), vec![s("VTI", Action::Buy, 23, Some(201.11))]);
    assert!(
        p.warnings
            .iter()
            .any(|w| w == "surplus cash: $201.11 deployed (VTI +1)"),
        "{:?}",
        p.warnings
    );
    // A 60 % cash reserve leaves 4 000 investable: VTI 90 % = 3 600 → 18 shares. A 20 %
    // threshold would let VTI grow to 4 600 (23 shares), but the reserve (6 000) is never
    // spent: 19 shares (3 821.09) fit above it, 20 (4 022.20) would not.
    let rules = AccountRules {
        cash_reserve_percent: 60.0,
        ..Default::default()
    };
    let p = run(&snap, &[("VTI", 0.9)], &rules, &on(20.0));
    assert_eq!(summary(&p), vec![s("VTI", Action::Buy, 19, Some(201.11))]);
}

#[test]
fn a_replacement_set_that_cannot_fit_is_refused_with_the_arithmetic() {
    let rules = AccountRules {
        replacements: vec![Replacement {
            source: "SPY".into(),
            target: "VOO".into(),
            scale: 2.0,
        }],
        ..Default::default()
    };
    let err = plan(
        &snapshot(100_000.0, &[]),
        &targets(&[("SPY", 0.6), ("VTI", 0.4)]),
        &rules,
        &settings(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "account DU1234567: the replacement scales add 0.6000 of weight, but the targets not replaced hold 0.4000 and keep at least 10% of it, so they can give only 0.3600"
    );
}

#[test]
fn sub_dollar_limits_round_up_to_hundredths_of_a_cent() {
    assert_eq!(limit_price(0.5123 * 1.005), 0.5149);
    assert_eq!(limit_price(201.1005), 201.11);
    assert_eq!(limit_price(250.1), 250.1);
}

#[test]
fn unusable_inputs_are_refused_with_the_symbol() {
    let mut snap = snapshot(100_000.0, &[]);
    let err = plan(
        &snap,
        &targets(&[("QQQ", 0.5)]),
        &AccountRules::default(),
        &settings(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "account DU1234567: no quote for `QQQ`; cannot price it"
    );

    snap.quotes.insert("VTI".into(), quote(0.0, 200.0));
    let err = plan(
        &snap,
        &targets(&[("VTI", 0.5)]),
        &AccountRules::default(),
        &settings(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("bid must be a finite price above 0"),
        "{err}"
    );

    snap.quotes.insert("VTI".into(), quote(201.0, 200.0));
    let err = plan(
        &snap,
        &targets(&[("VTI", 0.5)]),
        &AccountRules::default(),
        &settings(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("crossed market"), "{err}");

    snap.quotes.insert("VTI".into(), quote(200.0, f64::NAN));
    let err = plan(
        &snap,
        &targets(&[("VTI", 0.5)]),
        &AccountRules::default(),
        &settings(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("ask must be a finite price above 0"),
        "{err}"
    );

    let mut snap = snapshot(100_000.0, &[]);
    snap.net_liquidation = 0.0;
    let err = plan(
        &snap,
        &targets(&[("VTI", 0.5)]),
        &AccountRules::default(),
        &settings(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("`net_liquidation` is 0"), "{err}");

    let mut snap = snapshot(100_000.0, &[]);
    snap.cash = f64::INFINITY;
    assert!(
        plan(
            &snap,
            &targets(&[("VTI", 0.5)]),
            &AccountRules::default(),
            &settings()
        )
        .is_err()
    );

    let snap = snapshot(100_000.0, &[("XYZ", 10.0)]);
    let mut no_xyz = snap.clone();
    no_xyz.quotes.remove("XYZ");
    let err = plan(
        &no_xyz,
        &targets(&[("VTI", 0.5)]),
        &AccountRules::default(),
        &settings(),
    )
    .unwrap_err();
    assert!(
        matches!(err, PlanError::MissingQuote { ref symbol, .. } if symbol == "XYZ"),
        "{err}"
    );
}

#[test]
fn absurd_magnitudes_are_refused_not_ordered() {
    let mut snap = snapshot(1e300, &[]);
    snap.cash = 1e300;
    snap.quotes.insert("VTI".into(), quote(1e-300, 1e-300));
    let err = plan(
        &snap,
        &targets(&[("VTI", 1.0)]),
        &AccountRules::default(),
        &settings(),
    )
    .unwrap_err();
    assert!(matches!(err, PlanError::QuantityOutOfRange { .. }), "{err}");
}

#[test]
fn account_rules_come_from_account_and_sets() {
    let mut sets = ReplacementSets::default();
    sets.sets.insert(
        "ira".into(),
        vec![Replacement {
            source: "SPY".into(),
            target: "VOO".into(),
            scale: 1.0,
        }],
    );
    let account = Account {
        account_id: "DU1234567".into(),
        account_type: crate::config::AccountType::Paper,
        enabled: true,
        strategy_name: "s".into(),
        cash_reserve_percent: 2.5,
        pdt_protection_enabled: false,
        replacement_set: Some("ira".into()),
        client_id: None,
    };
    let rules = AccountRules::of(&account, &sets);
    assert_eq!(rules.cash_reserve_percent, 2.5);
    assert_eq!(rules.replacements.len(), 1);
}

// ---- properties over random snapshots ----

const POOL: [&str; 8] = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH"];

#[derive(Debug, Clone)]
struct Case {
    snapshot: AccountSnapshot,
    targets: Vec<Allocation>,
    rules: AccountRules,
    trading: TradingSettings,
}

/// Random accounts: up to 8 symbols priced 5–300 with spreads up to 0.05 %, random holdings
/// (some fractional), 1–5 M cash, random targets summing to 0.5–1 (exactly 1 in half the
/// cases) and a cash reserve of 0–20 % (none in half the cases): with full weights and no
/// reserve the buys want more than the account may spend, so cash-trimmed plans are common.
fn case() -> impl Strategy<Value = Case> {
    let symbol = (
        5.0f64..300.0,
        0.0f64..0.0005,
        prop::option::of(0.0f64..3_000.0),
        prop::option::of(0.0f64..1.0),
    );
    (
        prop::collection::vec(symbol, POOL.len()),
        1e6f64..5e6,
        prop_oneof![Just(1.0), 0.5f64..1.0],
        prop_oneof![Just(0.0), 0.0f64..20.0],
        (
            0.0f64..0.3,
            1.0f64..3.0,
            1.0f64..1.01,
            0.0f64..2_000.0,
            0.9f64..1.0,
        ),
        any::<bool>(),
    )
        .prop_map(
            |(
                symbols,
                cash,
                total_weight,
                reserve,
                (slip, threshold, divisor, min_reserve, util),
                whole,
            )| {
                let mut positions = Vec::new();
                let mut quotes = BTreeMap::new();
                let mut weights = Vec::new();
                let mut invested = 0.0;
                for (name, (mid, spread, held, weight)) in POOL.iter().zip(symbols) {
                    let q = quote(mid * (1.0 - spread / 2.0), mid * (1.0 + spread / 2.0));
                    if let Some(held) = held {
                        let quantity = if whole { held.round() } else { held };
                        positions.push(Position {
                            symbol: name.to_string(),
                            quantity,
                        });
                        invested += quantity * q.mid();
                    }
                    if let Some(weight) = weight {
                        weights.push((name.to_string(), weight));
                    }
                    quotes.insert(name.to_string(), q);
                }
                let weight_sum: f64 = weights.iter().map(|(_, w)| w).sum();
                let targets = weights
                    .into_iter()
                    .map(|(symbol, w)| Allocation {
                        symbol,
                        weight: if weight_sum > 0.0 {
                            w / weight_sum * total_weight
                        } else {
                            0.0
                        },
                    })
                    .collect();
                Case {
                    snapshot: AccountSnapshot {
                        account_id: "DU1234567".into(),
                        net_liquidation: cash + invested,
                        cash,
                        positions,
                        quotes,
                        held_not_traded: Vec::new(),
                    },
                    targets,
                    rules: AccountRules {
                        cash_reserve_percent: reserve,
                        replacements: Vec::new(),
                    },
                    trading: TradingSettings {
                        buy_slippage_percent: slip,
                        allocation_threshold_percent: threshold,
                        commission_divisor: divisor,
                        minimum_cash_reserve_usd: min_reserve,
                        max_account_utilization: util,
                        ..TradingSettings::default()
                    },
                }
            },
        )
}

/// The account after every trade of `plan` fills at its planned price (sells at bid,
/// buys at their limit).
fn filled(snap: &AccountSnapshot, plan: &Plan) -> AccountSnapshot {
    let mut next = snap.clone();
    for trade in &plan.trades {
        let q = snap.quotes[&trade.symbol];
        let (signed, price) = match trade.action {
            Action::Sell => (-(trade.quantity as f64), q.bid),
            Action::Buy => (trade.quantity as f64, trade.limit_price.expect("buy limit")),
        };
        next.cash -= signed * price;
        match next.positions.iter_mut().find(|p| p.symbol == trade.symbol) {
            Some(p) => p.quantity += signed,
            None => next.positions.push(Position {
                symbol: trade.symbol.clone(),
                quantity: signed,
            }),
        }
    }
    next.net_liquidation = next.cash
        + next
            .positions
            .iter()
            .map(|p| p.quantity * snap.quotes[&p.symbol].mid())
            .sum::<f64>();
    next
}

fn gap_points(snap: &AccountSnapshot, target: &Allocation, rules: &AccountRules) -> f64 {
    let mid = snap.quotes[&target.symbol].mid();
    let current = snap.quantity(&target.symbol) * mid / snap.net_liquidation * 100.0;
    let wanted = (1.0 - rules.cash_reserve_percent / 100.0) * target.weight * 100.0;
    (wanted - current).abs()
}

#[test]
fn buys_only_plans_spend_the_cash_on_hand_not_unsold_positions() {
    // 50 000 in XYZ the full plan would sell, 50 000 cash, all targets in VTI and BND.
    let snap = snapshot(100_000.0, &[("XYZ", 500.0)]);
    let list = targets(&[("VTI", 0.6), ("BND", 0.4)]);
    let spend = |plan: &Plan| -> f64 {
        plan.trades
            .iter()
            .map(|t| t.quantity as f64 * t.limit_price.unwrap_or(0.0))
            .sum()
    };
    let full = plan(&snap, &list, &AccountRules::default(), &settings()).unwrap();
    assert!(full.trades.iter().any(|t| t.action == Action::Sell));
    assert!(spend(&full) > 90_000.0, "{full:?}");

    let buys = plan_buys(&snap, &list, &AccountRules::default(), &settings()).unwrap();
    assert!(!buys.trades.is_empty());
    assert!(
        buys.trades.iter().all(|t| t.action == Action::Buy),
        "{buys:?}"
    );
    assert!(spend(&buys) <= snap.cash, "{buys:?}");
    assert!(spend(&buys) > 45_000.0, "{buys:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn plans_are_affordable_whole_ordered_and_finite(c in case()) {
        let p = plan(&c.snapshot, &c.targets, &c.rules, &c.trading).expect("valid case");
        let first_buy = p.trades.iter().position(|t| t.action == Action::Buy).unwrap_or(p.trades.len());
        prop_assert!(p.trades[first_buy..].iter().all(|t| t.action == Action::Buy), "sells after buys");
        let mut proceeds = 0.0;
        let mut cost = 0.0;
        for t in &p.trades {
            prop_assert!(t.quantity >= 1);
            let q = c.snapshot.quotes[&t.symbol];
            match t.action {
                Action::Sell => {
                    prop_assert_eq!(t.order_type, OrderType::Market);
                    prop_assert!(t.limit_price.is_none());
                    prop_assert!(t.quantity as f64 <= c.snapshot.quantity(&t.symbol).floor(), "sells more than held");
                    proceeds += t.quantity as f64 * q.bid;
                }
                Action::Buy => {
                    prop_assert_eq!(t.order_type, OrderType::Limit);
                    let limit = t.limit_price.expect("limit");
                    prop_assert!(limit.is_finite() && limit >= q.ask, "limit {} below ask {}", limit, q.ask);
                    cost += t.quantity as f64 * limit;
                }
            }
        }
        prop_assert!(proceeds.is_finite() && cost.is_finite());
        if cost > 0.0 {
            let after = filled(&c.snapshot, &p);
            let floor = cash_floor(after.net_liquidation, &c.trading);
            prop_assert!(after.cash >= floor - 1e-6, "buys spend into the reserve: {} left, {} kept", after.cash, floor);
        }
    }

    #[test]
    fn surplus_cash_is_never_deployed_into_the_reserve(c in case()) {
        prop_assume!(c.trading.deploy_surplus_cash);
        let with = plan(&c.snapshot, &c.targets, &c.rules, &c.trading).expect("valid case");
        let off = TradingSettings { deploy_surplus_cash: false, ..c.trading.clone() };
        let without = plan(&c.snapshot, &c.targets, &c.rules, &off).expect("valid case");
        let cost = |p: &Plan| -> f64 {
            p.trades.iter().map(|t| t.quantity as f64 * t.limit_price.unwrap_or(0.0)).sum()
        };
        if cost(&with) > cost(&without) {
            let after = filled(&c.snapshot, &with);
            let reserve = c.rules.cash_reserve_percent / 100.0 * after.net_liquidation;
            prop_assert!(after.cash >= reserve - 1e-6, "surplus spent into the reserve: {} left, {} reserved", after.cash, reserve);
            prop_assert!(after.cash >= cash_floor(after.net_liquidation, &c.trading) - 1e-6);
        }
    }

    #[test]
    fn filling_a_plan_reaches_a_fixed_point(c in case()) {
        let first = plan(&c.snapshot, &c.targets, &c.rules, &c.trading).expect("valid case");
        // Out of scope: targets sitting just inside the threshold, which the fills' spread
        // and slippage costs may nudge across it.
        let threshold = c.trading.allocation_threshold_percent;
        prop_assume!(c.targets.iter().all(|t| {
            let gap = gap_points(&c.snapshot, t, &c.rules);
            gap < threshold * 0.3 || gap >= threshold
        }));
        let after = filled(&c.snapshot, &first);
        let second = plan(&after, &c.targets, &c.rules, &c.trading).expect("valid after fill");
        prop_assert!(second.trades.is_empty(), "re-plan traded: {:?}\nfirst plan: {:?}", second.trades, first.trades);
    }
}

#[test]
fn holdings_other_than_us_stocks_are_listed_and_never_sold() {
    // SPY stock (not a target) is sold; the SPY option beside it and a EUR stock are not.
    let mut snap = snapshot(100_000.0, &[("SPY", 10.0)]);
    snap.held_not_traded = vec![
        HeldNotTraded {
            con_id: 9001,
            symbol: "SPY".into(),
            description: "2 SPY OPT 20261218 550 ×100 USD (conId 9001)".into(),
        },
        HeldNotTraded {
            con_id: 9002,
            symbol: "SAP".into(),
            description: "40 SAP STK EUR (conId 9002)".into(),
        },
    ];
    let p = run(
        &snap,
        &[("VTI", 0.5)],
        &AccountRules::default(),
        &settings(),
    );
    let symbols: Vec<(&str, Action)> = p
        .trades
        .iter()
        .map(|t| (t.symbol.as_str(), t.action))
        .collect();
    assert_eq!(symbols, [("SPY", Action::Sell), ("VTI", Action::Buy)]);
    assert_eq!(p.trades[0].quantity, 10, "only the stock's 10 shares");
    assert!(
        p.warnings
            .iter()
            .any(|w| w == "held, not traded: 2 SPY OPT 20261218 550 ×100 USD (conId 9001)"),
        "{:?}",
        p.warnings
    );
    assert!(
        p.warnings
            .iter()
            .any(|w| w.starts_with("SPY: conId 9001 is not the US-dollar stock")),
        "{:?}",
        p.warnings
    );
    assert!(
        p.warnings.iter().any(|w| w.contains("SAP STK EUR")),
        "{:?}",
        p.warnings
    );
    assert!(
        !p.warnings.iter().any(|w| w.starts_with("SAP:")),
        "SAP shares no traded symbol"
    );
}
