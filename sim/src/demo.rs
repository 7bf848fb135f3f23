//! `sim demo`: the product end to end with no credentials and no network. Seven paper
//! accounts across two strategies on simulated IB Gateway, Ably and allocation API; the real
//! supervisor spawns real workers for one event per strategy; the result is printed as a
//! table of orders, fills and final weights against targets. Fails unless every account
//! converges.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use serde_json::json;

use crate::demo_world::{
    ACCOUNTS, QUOTES, REPLACEMENTS, account_targets, scenario_and_accounts, strategies,
};
use crate::stack::Stack;

/// Points a target may end away from its goal: the rebalancing threshold (1.0) plus room
/// for whole-share rounding and the commission allowance.
const TOLERANCE_POINTS: f64 = 1.5;

/// Runs the demo; returns an error (non-zero exit) unless every account converged.
pub async fn run(bin_dir: &Path) -> Result<()> {
    let started = Instant::now();
    let (scenario, accounts_yaml) = scenario_and_accounts();
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
            .sims
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
            let line = json!({"request": "runs", "strategy": strategy.name, "limit": 5});
            if let Some(answer) = stack.request(line).await
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

    let orders = stack.sims.gateway.orders();
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
            let nlv = stack
                .sims
                .gateway
                .net_liquidation(account.id)
                .unwrap_or(0.0);
            let cash = stack.sims.gateway.cash(account.id).unwrap_or(0.0);
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
            let positions = stack.sims.gateway.positions(account.id);
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
