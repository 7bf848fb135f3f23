//! The dashboard with 1,000 runs in its journal: how long its pages and API take to render
//! and serve over loopback HTTP (criterion), and the `dashboard` process's resident memory
//! idle and after serving pages (printed).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark fails by panicking"
)]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use supervisor::journal::{Journal, NewRun, RunState, StateChange, Trigger};
use supervisor::web::{self, WebState};
use tokio::io::AsyncBufReadExt;
use trading_core::executor::OrderReport;
use trading_core::protocol::{Command, Outcome, SnapshotPhase};
use trading_core::snapshot::{AccountSnapshot, Position, Quote};

const RUNS: usize = 1000;
const ACCOUNT: &str = "DU1234567";

/// A journal of [`RUNS`] succeeded runs over two strategies, three orders and two
/// snapshots each.
async fn journal(path: &Path) -> String {
    let journal = Journal::open(path).expect("a journal");
    journal
        .call(|c| Ok(c.pragma_update(None, "synchronous", "OFF")?))
        .await
        .expect("synchronous off while filling");
    let mut last = String::new();
    for n in 0..RUNS {
        let strategy = if n % 2 == 0 { "alpha" } else { "beta" };
        let id = journal
            .create_run(NewRun::first(
                strategy,
                Command::Rebalance,
                Trigger::Event,
                vec![ACCOUNT.into()],
            ))
            .await
            .expect("a run");
        journal
            .transition(&id, StateChange::to(RunState::Running))
            .await
            .expect("running");
        for (order_id, symbol) in ["VTI", "BND", "VXUS"].iter().enumerate() {
            let order: OrderReport = serde_json::from_value(json!({
                "order_id": order_id, "symbol": symbol, "action": "BUY", "quantity": 10,
                "order_type": "LMT", "limit_price": 100.0, "order_ref": format!("rb:{id}:{ACCOUNT}:{symbol}"),
                "status": "Filled", "filled": 10.0, "avg_fill_price": 99.5, "commission": 1.0,
                "unfilled_reason": null
            }))
            .expect("an order");
            journal
                .record_order(&id, ACCOUNT, &order)
                .await
                .expect("an order row");
        }
        let snapshot = AccountSnapshot {
            account_id: ACCOUNT.into(),
            net_liquidation: 100_000.0,
            cash: 1_000.0,
            positions: vec![Position {
                symbol: "VTI".into(),
                quantity: 300.0,
            }],
            quotes: [(
                "VTI".to_string(),
                Quote {
                    bid: 250.0,
                    ask: 250.1,
                    last: None,
                },
            )]
            .into(),
            held_not_traded: vec![],
        };
        for phase in [SnapshotPhase::Before, SnapshotPhase::After] {
            journal
                .record_snapshot(&id, ACCOUNT, phase, &snapshot)
                .await
                .expect("a snapshot");
        }
        journal
            .record_account(&id, ACCOUNT, &Outcome::Ok, None)
            .await
            .expect("a result");
        journal
            .transition(&id, StateChange::to(RunState::Succeeded))
            .await
            .expect("succeeded");
        last = id;
    }
    last
}

/// Resident memory of `pid` in MiB.
fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// Starts the `dashboard` binary on the journal at `path` and prints its RSS idle and
/// after serving each page 20 times.
async fn process_memory(dir: &Path, last_run: &str) {
    let config = dir.join("config.yaml");
    std::fs::write(
        &config,
        format!(
            "supervisor: {{journal_path: {}, socket_path: {}}}\n",
            dir.join("journal.sqlite").display(),
            dir.join("absent.sock").display()
        ),
    )
    .expect("a config");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_dashboard"))
        .arg("--config")
        .arg(&config)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the dashboard binary");
    let stdout = child.stdout.take().expect("its stdout");
    let line = tokio::io::BufReader::new(stdout)
        .lines()
        .next_line()
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    let base = line
        .trim_start_matches("dashboard on ")
        .trim_end_matches('/');
    let pid = child.id().unwrap_or(0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let idle = rss_mib(pid).unwrap_or(f64::NAN);
    let http = reqwest::Client::new();
    for path in [
        "/runs?limit=500".to_string(),
        format!("/runs/{last_run}"),
        "/strategies/alpha".to_string(),
        "/metrics".to_string(),
    ] {
        for _ in 0..20 {
            let _ = http.get(format!("{base}{path}")).send().await;
        }
    }
    let served = rss_mib(pid).unwrap_or(f64::NAN);
    println!(
        "dashboard RSS with {RUNS} runs in the journal: idle {idle:.1} MiB, after serving pages {served:.1} MiB (goal: idle <= 12 MiB)"
    );
    let _ = child.kill().await;
}

fn pages(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("journal.sqlite");
    let last = runtime.block_on(journal(&path));
    let base = runtime.block_on(async {
        let state = Arc::new(WebState::new(
            Journal::open_read_only(&path).expect("the journal, read-only"),
            dir.path().join("absent.sock"),
            None,
        ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let base = format!("http://{}", listener.local_addr().expect("its address"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, web::router(state, None)).await;
        });
        base
    });
    let http = reqwest::Client::new();
    let mut group = c.benchmark_group(format!("dashboard_{RUNS}_runs"));
    for (name, path) in [
        ("runs_page_500", "/runs?limit=500".to_string()),
        ("runs_api_500", "/api/runs?limit=500".to_string()),
        ("run_page", format!("/runs/{last}")),
        ("strategy_page", "/strategies/alpha".to_string()),
        ("metrics", "/metrics".to_string()),
    ] {
        let url = format!("{base}{path}");
        group.bench_function(name, |b| {
            b.iter(|| {
                runtime.block_on(async {
                    let response = http.get(&url).send().await.expect("an answer");
                    assert!(response.status().is_success(), "{url}");
                    response.bytes().await.expect("a body")
                })
            });
        });
    }
    group.finish();
    runtime.block_on(process_memory(dir.path(), &last));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3));
    targets = pages
}
criterion_main!(benches);
