//! Time to plan a 100-position account (target: ≤ 50 µs).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use trading_core::allocations::Allocation;
use trading_core::calculator::{AccountRules, plan};
use trading_core::config::TradingSettings;
use trading_core::snapshot::{AccountSnapshot, Position, Quote};

/// 100 held symbols: 80 are targets (half over, half under weight), 20 are sold.
fn hundred_positions() -> (AccountSnapshot, Vec<Allocation>) {
    let mut positions = Vec::new();
    let mut quotes = BTreeMap::new();
    let mut targets = Vec::new();
    let mut invested = 0.0;
    for i in 0..100 {
        let symbol = format!("S{i:03}");
        let mid = 20.0 + i as f64 * 3.0;
        let quantity = 50.0 + (i % 7) as f64 * 20.0;
        quotes.insert(
            symbol.clone(),
            Quote {
                bid: mid - 0.01,
                ask: mid + 0.01,
                last: Some(mid),
            },
        );
        positions.push(Position {
            symbol: symbol.clone(),
            quantity,
        });
        invested += quantity * mid;
        if i < 80 {
            targets.push(Allocation {
                symbol,
                weight: 0.95 / 80.0,
            });
        }
    }
    let cash = 50_000.0;
    let snapshot = AccountSnapshot {
        account_id: "DU1234567".into(),
        net_liquidation: cash + invested,
        cash,
        positions,
        quotes,
        held_not_traded: Vec::new(),
    };
    (snapshot, targets)
}

fn bench(c: &mut Criterion) {
    let (snapshot, targets) = hundred_positions();
    let rules = AccountRules {
        cash_reserve_percent: 1.0,
        replacements: Vec::new(),
    };
    let trading = TradingSettings {
        allocation_threshold_percent: 0.1,
        ..TradingSettings::default()
    };
    let trades = plan(&snapshot, &targets, &rules, &trading)
        .expect("plan")
        .trades
        .len();
    assert!(
        trades > 50,
        "the benchmark must exercise many trades, got {trades}"
    );
    c.bench_function("plan_100_positions", |b| {
        b.iter(|| plan(black_box(&snapshot), black_box(&targets), &rules, &trading))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
