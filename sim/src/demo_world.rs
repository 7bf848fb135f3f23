//! The demo's world, shared by `sim demo` and `sim up`: seven paper accounts across two
//! strategies, their quotes and targets, and an IRA with a replacement set.

use std::collections::BTreeMap;
use std::fmt::Write;

use sim::gateway::Scenario;

use crate::stack::StrategySpec;

/// One of the demo's paper accounts.
pub struct DemoAccount {
    /// Account id (paper).
    pub id: &'static str,
    /// The strategy it follows.
    pub strategy: &'static str,
    /// Starting cash.
    pub cash: f64,
    /// Starting positions (symbol, shares).
    pub positions: &'static [(&'static str, f64)],
    /// Its replacement set, if any.
    pub replacement_set: Option<&'static str>,
}

/// The seven accounts.
pub const ACCOUNTS: [DemoAccount; 7] = [
    DemoAccount {
        id: "DU1000001",
        strategy: "etf-blend-102-25",
        cash: 100_000.0,
        positions: &[],
        replacement_set: None,
    },
    DemoAccount {
        id: "DU1000002",
        strategy: "etf-blend-102-25",
        cash: 5_000.0,
        positions: &[("VTI", 200.0), ("BND", 400.0), ("ARKK", 120.0)],
        replacement_set: None,
    },
    DemoAccount {
        id: "DU1000003",
        strategy: "etf-blend-102-25",
        cash: 20_000.0,
        positions: &[("SPY", 150.0)],
        replacement_set: None,
    },
    DemoAccount {
        id: "DU1000004",
        strategy: "etf-blend-102-25",
        cash: 250_000.0,
        positions: &[("GLD", 50.0)],
        replacement_set: None,
    },
    DemoAccount {
        id: "DU2000001",
        strategy: "etf-growth-201",
        cash: 50_000.0,
        positions: &[],
        replacement_set: None,
    },
    DemoAccount {
        id: "DU2000002",
        strategy: "etf-growth-201",
        cash: 30_000.0,
        positions: &[("SPY", 50.0)],
        replacement_set: Some("ira"),
    },
    DemoAccount {
        id: "DU2000003",
        strategy: "etf-growth-201",
        cash: 10_000.0,
        positions: &[("QQQ", 100.0), ("ARKK", 40.0)],
        replacement_set: None,
    },
];

/// Bid and ask per symbol.
pub const QUOTES: [(&str, f64, f64); 9] = [
    ("VTI", 250.00, 250.10),
    ("VXUS", 61.30, 61.35),
    ("BND", 72.40, 72.45),
    ("GLD", 185.00, 185.20),
    ("ARKK", 52.10, 52.20),
    ("SPY", 550.00, 550.20),
    ("QQQ", 480.00, 480.20),
    ("QQQM", 197.50, 197.60),
    ("VOO", 505.00, 505.25),
];

/// replacement-sets.yaml: the IRA swaps SPY and QQQ for VOO and QQQM.
pub const REPLACEMENTS: &str =
    "ira:\n  - {source: SPY, target: VOO}\n  - {source: QQQ, target: QQQM}\n";

/// The two strategies and their targets.
pub fn strategies() -> Vec<StrategySpec> {
    let targets = |list: &[(&str, f64)]| list.iter().map(|(s, w)| (s.to_string(), *w)).collect();
    vec![
        StrategySpec {
            name: "etf-blend-102-25".into(),
            targets: targets(&[("VTI", 0.45), ("VXUS", 0.20), ("BND", 0.25), ("GLD", 0.10)]),
        },
        StrategySpec {
            name: "etf-growth-201".into(),
            targets: targets(&[("QQQ", 0.5), ("SPY", 0.3), ("VTI", 0.2)]),
        },
    ]
}

/// Targets of `account` after its replacement set.
pub fn account_targets(
    account: &DemoAccount,
    strategies: &[StrategySpec],
) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    let Some(strategy) = strategies.iter().find(|s| s.name == account.strategy) else {
        return out;
    };
    for (symbol, weight) in &strategy.targets {
        let symbol = match (account.replacement_set, symbol.as_str()) {
            (Some("ira"), "SPY") => "VOO".to_string(),
            (Some("ira"), "QQQ") => "QQQM".to_string(),
            _ => symbol.clone(),
        };
        *out.entry(symbol).or_insert(0.0) += weight;
    }
    out
}

/// The gateway scenario (accounts and quotes, fills in two slices after 100 ms) and the
/// matching accounts.yaml.
pub fn scenario_and_accounts() -> (Scenario, String) {
    let mut scenario = Scenario::default().with_quotes(&QUOTES);
    let mut accounts_yaml = String::from("accounts:\n");
    for a in &ACCOUNTS {
        scenario = scenario.with_account(a.id, a.cash, a.positions);
        let set = a
            .replacement_set
            .map(|s| format!(", replacement_set: {s}"))
            .unwrap_or_default();
        let _ = writeln!(
            accounts_yaml,
            "  - {{account_id: {}, type: paper, enabled: true, strategy_name: {}, cash_reserve_percent: 1.0{set}}}",
            a.id, a.strategy
        );
    }
    scenario.fills.latency_ms = 100;
    scenario.fills.slices = 2;
    (scenario, accounts_yaml)
}
