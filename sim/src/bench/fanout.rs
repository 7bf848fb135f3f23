//! Fan-out: the worker on 1 account and on 32 accounts, each order filling after a fixed
//! latency. Parallel accounts should take about as long as one.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use sim::allocations::{AllocationsApi, Canned};
use sim::gateway::{ETF_QUOTES, GatewaySim, LatencyRange, Scenario};

use super::{describe, reply_latency};

const KEY: &str = "bench-key";

/// Wall time of one worker run over `accounts` accounts.
async fn run_once(
    worker: &Path,
    accounts: usize,
    latency_ms: u64,
    reply: LatencyRange,
    allocations: &AllocationsApi,
) -> Result<Duration> {
    let ids: Vec<String> = (0..accounts)
        .map(|i| format!("DU{:07}", 1_000_000 + i))
        .collect();
    let mut scenario = ids
        .iter()
        .fold(Scenario::default(), |s, id| {
            s.with_account(id, 50_000.0, &[("XYZ", 500.0)])
        })
        .with_quotes(&ETF_QUOTES);
    scenario.fills.latency_ms = latency_ms;
    scenario.latency = reply_latency(reply);
    let gateway = GatewaySim::start(&scenario, 0).await?;
    let job = json!({
        "version": 1,
        "run_id": format!("bench-{accounts}"),
        "strategy": "bench",
        "command": "rebalance",
        "accounts": ids.iter().enumerate().map(|(i, id)| json!({"account_id": id, "client_id": 100 + i, "account_type": "paper"})).collect::<Vec<_>>(),
        "trading_mode": "paper",
        "port": gateway.addr().port(),
        "settings": {"allocations": {"base_url": allocations.base_url()}},
        "secrets": {"allocations_api_key": KEY},
        "deadline_seconds": 120.0,
    });
    let started = Instant::now();
    let mut child = Command::new(worker)
        .arg("job")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .env("RUST_LOG", "warn")
        .spawn()
        .with_context(|| format!("cannot start {}", worker.display()))?;
    let mut stdin = child.stdin.take().context("no stdin")?;
    stdin.write_all(job.to_string().as_bytes()).await?;
    drop(stdin);
    let status = child.wait().await?;
    let elapsed = started.elapsed();
    if !status.success() {
        bail!("the worker failed on {accounts} account(s): {status}");
    }
    let filled = gateway
        .orders()
        .iter()
        .filter(|o| o.status == "Filled")
        .count();
    if filled != accounts * 3 {
        bail!(
            "expected {} filled orders, the gateway saw {filled}",
            accounts * 3
        );
    }
    Ok(elapsed)
}

/// Largest resident set of any child process waited for so far, in MiB.
fn children_peak_rss_mib() -> f64 {
    nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .map(|usage| usage.max_rss() as f64 / 1024.0)
        .unwrap_or(f64::NAN)
}

/// Runs the benchmark and prints its results; fails if a run fails.
pub async fn run(
    worker: &Path,
    latency_ms: u64,
    reply: LatencyRange,
    accounts: usize,
    rounds: usize,
) -> Result<()> {
    let allocations = AllocationsApi::start(0, Some(KEY)).await?;
    allocations.set(
        "bench",
        [Canned::allocations(&[("VTI", 0.6), ("BND", 0.4)])],
    );
    let mut ratios = Vec::new();
    for round in 1..=rounds {
        let one = run_once(worker, 1, latency_ms, reply, &allocations).await?;
        let many = run_once(worker, accounts, latency_ms, reply, &allocations).await?;
        let ratio = many.as_secs_f64() / one.as_secs_f64();
        println!(
            "round {round}: 1 account {:.0} ms, {accounts} accounts {:.0} ms, ratio {ratio:.3}",
            one.as_secs_f64() * 1e3,
            many.as_secs_f64() * 1e3
        );
        ratios.push(ratio);
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    println!(
        "fan-out ratio ({accounts} vs 1 accounts, fill latency {latency_ms} ms, {}): median {median:.3} of {rounds} rounds (target <= 1.10)",
        describe(reply)
    );
    println!(
        "worker peak RSS: {:.1} MiB (target <= 20 MB)",
        children_peak_rss_mib()
    );
    Ok(())
}
