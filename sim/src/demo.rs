//! `sim demo`: the product end to end with no credentials and no network. Seven paper
//! accounts across two strategies on simulated IB Gateway, Ably and allocation API; the real
//! supervisor spawns real workers for one event per strategy; the result is printed as a
//! table of orders, fills and final weights against targets. Fails unless every account
//! converges.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use serde_json::json;

use sim::gateway::Scenario;

use crate::stack::{Stack, StrategySpec};

/// Points a target may end away from its goal: the rebalancing threshold (1.0) plus room
/// for whole-share rounding and the commission allowance.
const TOLERANCE_POINTS: f64 = 1.5;

struct DemoAccount {
    id: &'static str,
    strategy: &'static str,
    cash: f64,
    positions: &'static [(&'static str, f64)],
    replacement_set: Option<&'static str>,
}

const ACCOUNTS: [DemoAccount; 7] = [
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

const QUOTES: [(&str, f64, f64); 9] = [
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

const REPLACEMENTS: &str =
    "ira:\n  - {source: SPY, target: VOO}\n  - {source: QQQ, target: QQQM}\n";

fn strategies() -> Vec<StrategySpec> {
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
fn account_targets(account: &DemoAccount, strategies: &[StrategySpec]) -> BTreeMap<String, f64> {
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

/// Runs the demo; returns an error (non-zero exit) unless every account converged.
pub async fn run(bin_dir: &Path) -> Result<()> {
    let started = Instant::now();
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
    let strategies = strategies();
    println!(
        "Demo: {} paper accounts, {} strategies; IB Gateway, Ably and the allocation API simulated on 127.0.0.1",
        ACCOUNTS.len(),
        strategies.len()
    );
    let stack = Stack::start(
        bin_dir,
        &scenario,
        &strategies,
        &accounts_yaml,
        Some(REPLACEMENTS),
    )
    .await?;
    for strategy in &strategies {
        stack
            .ably
            .publish(&strategy.name, "rebalance", json!({"exec": "rebalance"}));
        println!(
            "published {{\"exec\":\"rebalance\"}} on channel {}",
            strategy.name
        );
    }
    let mut finished: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    let waiting = Instant::now();
    while finished.len() < strategies.len() {
        for strategy in &strategies {
            let line =
                json!({"request": "runs", "strategy": strategy.name, "limit": 5}).to_string();
            if let Some(answer) = stack.request(&line).await
                && let Some(run) = answer["runs"].as_array().and_then(|r| r.first())
                && matches!(
                    run["state"].as_str(),
                    Some("succeeded" | "failed" | "cancelled" | "interrupted")
                )
            {
                finished.insert(strategy.name.clone(), run.clone());
            }
        }
        if waiting.elapsed() > Duration::from_secs(90) {
            let log = std::fs::read_to_string(stack.dir.path().join("supervisor.log"))
                .unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(30).collect();
            bail!(
                "the runs did not finish within 90 s; the supervisor's log ends:\n{}",
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let orders = stack.gateway.orders();
    let mut diverged = Vec::new();
    for strategy in &strategies {
        let run = &finished[&strategy.name];
        println!(
            "\nStrategy {} · run {} · {}{}",
            strategy.name,
            run["id"].as_str().unwrap_or("?"),
            run["state"].as_str().unwrap_or("?"),
            run["error"]
                .as_str()
                .map(|e| format!(": {e}"))
                .unwrap_or_default()
        );
        for account in ACCOUNTS.iter().filter(|a| a.strategy == strategy.name) {
            let nlv = stack.gateway.net_liquidation(account.id).unwrap_or(0.0);
            let cash = stack.gateway.cash(account.id).unwrap_or(0.0);
            println!("  {}  net liquidation {nlv:.2}  cash {cash:.2}", account.id);
            for order in orders.iter().filter(|o| o.order.account == account.id) {
                println!(
                    "    {:<4} {:>5} {:<5} {:<3} filled {:>5} @ {:>8.2}  {}",
                    order.order.side.action(),
                    order.order.quantity,
                    order.order.symbol,
                    order.order.order_type,
                    order.filled,
                    order.avg_price,
                    order.status
                );
            }
            let targets = account_targets(account, &strategies);
            let positions = stack.gateway.positions(account.id);
            println!("    {:<6} {:>7} {:>7}", "SYMBOL", "TARGET", "FINAL");
            let mut symbols: Vec<&String> = targets.keys().chain(positions.keys()).collect();
            symbols.sort();
            symbols.dedup();
            for symbol in symbols {
                let mid = QUOTES
                    .iter()
                    .find(|q| q.0 == symbol)
                    .map_or(0.0, |q| (q.1 + q.2) / 2.0);
                let held = positions.get(symbol).copied().unwrap_or(0.0);
                let final_pct = if nlv > 0.0 {
                    held * mid / nlv * 100.0
                } else {
                    0.0
                };
                let target_pct = targets.get(symbol).copied().unwrap_or(0.0) * 99.0;
                let ok = (final_pct - target_pct).abs() <= TOLERANCE_POINTS
                    && (targets.contains_key(symbol) || held.abs() < 1.0);
                println!(
                    "    {symbol:<6} {target_pct:>6.2}% {final_pct:>6.2}%{}",
                    if ok { "" } else { "  <- not converged" }
                );
                if !ok {
                    diverged.push(format!("{} {symbol}", account.id));
                }
            }
        }
    }
    stack.stop().await?;
    let elapsed = started.elapsed();
    if !diverged.is_empty() {
        bail!(
            "{} position(s) did not converge: {}",
            diverged.len(),
            diverged.join(", ")
        );
    }
    if finished.values().any(|r| r["state"] != "succeeded") {
        bail!("a run did not succeed");
    }
    println!(
        "\nAll {} accounts converged to their targets. Wall time {:.1} s.",
        ACCOUNTS.len(),
        elapsed.as_secs_f64()
    );
    Ok(())
}
