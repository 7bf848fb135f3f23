//! Event latency: an Ably event published → the first order at the gateway, through the
//! real supervisor and worker binaries; and the supervisor's idle memory.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Result, bail};
use serde_json::json;

use sim::gateway::{LatencyRange, Scenario};

use super::{describe, reply_latency};

use crate::stack::{Stack, StrategySpec};

/// Resident memory of `pid` in MiB: total, anonymous (heap, stacks) and file-backed (code).
fn rss_mib(pid: u32) -> Option<(f64, f64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<f64> {
        let kb: f64 = status
            .lines()
            .find(|l| l.starts_with(name))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()?;
        Some(kb / 1024.0)
    };
    Some((field("VmRSS:")?, field("RssAnon:")?, field("RssFile:")?))
}

/// Runs `rounds` events, each on its own strategy (one account holding a position to sell),
/// and prints the median latency to the first order and the supervisor's idle RSS.
pub async fn run(bin_dir: &Path, rounds: usize, reply: LatencyRange) -> Result<()> {
    let mut scenario =
        Scenario::default().with_quotes(&[("XYZ", 99.95, 100.05), ("VTI", 249.95, 250.05)]);
    scenario.latency = reply_latency(reply);
    let mut accounts_yaml = String::from("accounts:\n");
    let mut strategies = Vec::new();
    for i in 0..rounds {
        let id = format!("DU{:07}", 2_000_000 + i);
        scenario = scenario.with_account(&id, 1_000.0, &[("XYZ", 100.0)]);
        accounts_yaml.push_str(&format!(
            "  - {{account_id: {id}, type: paper, enabled: true, strategy_name: bench-{i}}}\n"
        ));
        strategies.push(StrategySpec {
            name: format!("bench-{i}"),
            targets: vec![("VTI".into(), 0.9)],
        });
    }
    let stack = Stack::start(bin_dir, &scenario, &strategies, &accounts_yaml, None).await?;
    let idle = stack.supervisor_pid().and_then(rss_mib);
    let mut latencies = Vec::new();
    for i in 0..rounds {
        let account = format!("DU{:07}", 2_000_000 + i);
        let published = SystemTime::now();
        stack.sims.ably.publish(
            &format!("bench-{i}"),
            "rebalance",
            json!({"exec": "rebalance"}),
        );
        let waited = Instant::now();
        let first = loop {
            if let Some(order) = stack
                .sims
                .gateway
                .orders()
                .into_iter()
                .find(|o| o.order.account == account)
            {
                break order.received_at;
            }
            if waited.elapsed() > Duration::from_secs(20) {
                bail!("no order for {account} within 20 s");
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        };
        let latency = first.duration_since(published).unwrap_or_default();
        latencies.push(latency);
        println!(
            "event {i}: first order after {:.1} ms",
            latency.as_secs_f64() * 1e3
        );
    }
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    println!(
        "event -> first order ({}): median {:.1} ms of {rounds} (target <= 50 ms)",
        describe(reply),
        median.as_secs_f64() * 1e3
    );
    match idle {
        Some((total, anon, file)) => println!(
            "supervisor idle RSS: {total:.1} MiB = {:.1} MB (anonymous {anon:.1} MiB, code and files {file:.1} MiB; target <= 10 MB)",
            total * 1.048_576
        ),
        None => println!("supervisor idle RSS: unavailable"),
    }
    stack.stop().await
}
