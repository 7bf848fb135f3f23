//! `worker --strategy X` as a user runs it by hand, against the simulators.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use sim::allocations::{AllocationsApi, Canned};
use sim::gateway::{ETF_QUOTES, GatewaySim, Scenario};

const KEY: &str = "manual-test-key";

struct Setup {
    gateway: GatewaySim,
    _allocations: AllocationsApi,
    dir: tempfile::TempDir,
}

async fn setup() -> Setup {
    let s = Scenario::default()
        .with_account("DU1111111", 20_000.0, &[("XYZ", 100.0)])
        .with_account("DU2222222", 20_000.0, &[("XYZ", 100.0)])
        .with_quotes(&ETF_QUOTES);
    let gateway = GatewaySim::start(&s, 0).await.unwrap();
    let allocations = AllocationsApi::start(0, Some(KEY)).await.unwrap();
    allocations.set(
        "etf-blend",
        [Canned::allocations(&[("VTI", 0.6), ("BND", 0.4)])],
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("accounts.yaml"),
        "accounts:
  - {account_id: DU1111111, type: paper, enabled: true, strategy_name: etf-blend}
  - {account_id: DU2222222, type: paper, enabled: true, strategy_name: etf-blend, cash_reserve_percent: 5}
  - {account_id: DU3333333, type: paper, enabled: false, strategy_name: etf-blend}
  - {account_id: U4444444, type: live, enabled: true, strategy_name: etf-blend}
",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("config.yaml"),
        format!("allocations:\n  base_url: {}\n", allocations.base_url()),
    )
    .unwrap();
    Setup {
        gateway,
        _allocations: allocations,
        dir,
    }
}

fn worker(setup: &Setup, args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("worker").unwrap();
    let path = |f: &str| setup.dir.path().join(f).display().to_string();
    cmd.args([
        "--strategy",
        "etf-blend",
        "--accounts",
        &path("accounts.yaml"),
        "--config",
        &path("config.yaml"),
    ])
    .args(args)
    .env("GATEWAY_PORT", setup.gateway.addr().port().to_string())
    .env("ALLOCATIONS_API_KEY", KEY)
    .env_remove("TRADING_MODE")
    .env_remove("GATEWAY_HOST");
    cmd
}

fn run(cmd: &mut Command) -> (Option<i32>, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_says_so_and_prints_each_plan() {
    let setup = setup().await;
    let (code, stdout, stderr) =
        tokio::task::block_in_place(|| run(&mut worker(&setup, &["--dry-run"])));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.starts_with("DRY RUN: plans from live data; no order is placed or cancelled."),
        "{stdout}"
    );
    assert!(
        stdout.contains("Strategy etf-blend: print-rebalance on 2 account(s)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("DU1111111: ok") && stdout.contains("DU2222222: ok"),
        "{stdout}"
    );
    assert!(
        stdout.contains("SELL") && stdout.contains("XYZ"),
        "{stdout}"
    );
    assert!(setup.gateway.orders().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn json_rebalance_of_one_account() {
    let setup = setup().await;
    let (code, stdout, stderr) = tokio::task::block_in_place(|| {
        run(&mut worker(&setup, &["--account", "DU2222222", "--json"]))
    });
    assert_eq!(code, Some(0), "{stderr}");
    let result: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(result["accounts_ok"], 1);
    assert_eq!(result["accounts"][0]["account_id"], "DU2222222");
    assert_eq!(result["accounts"][0]["outcome"]["status"], "ok");
    assert_eq!(
        result["accounts"][0]["result"]["orders"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // The supervisor gives DU2222222 client id 2222222 (its digits), and a manual run of it
    // alone uses the same id.
    assert!(
        setup
            .gateway
            .orders()
            .iter()
            .all(|o| o.order.account == "DU2222222" && o.client_id == 2_222_222)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn positions_and_equity_are_printed() {
    let setup = setup().await;
    let (code, stdout, _) = tokio::task::block_in_place(|| {
        run(&mut worker(
            &setup,
            &["--command", "print-positions", "--account", "DU1111111"],
        ))
    });
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("net liquidation 30000.00, cash 20000.00") && stdout.contains("XYZ"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_requests_exit_2_with_the_reason() {
    let setup = setup().await;
    let cases: [(&[&str], &str); 4] = [
        (
            &["--account", "DU0000000"],
            "account `DU0000000` is not in the file",
        ),
        (
            &["--account", "DU3333333"],
            "account `DU3333333` is not enabled",
        ),
        (
            &["--account", "U4444444"],
            "account `U4444444` is not a Paper account (TRADING_MODE)",
        ),
        (
            &["--dry-run", "--command", "cancel-orders"],
            "--dry-run applies to rebalancing only",
        ),
    ];
    for (args, expected) in cases {
        let (code, stdout, stderr) = tokio::task::block_in_place(|| run(&mut worker(&setup, args)));
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(expected),
            "{args:?}: expected {expected:?} in {stderr}"
        );
        assert!(stdout.is_empty());
    }
    let (code, _, stderr) =
        tokio::task::block_in_place(|| run(worker(&setup, &[]).env_remove("ALLOCATIONS_API_KEY")));
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("ALLOCATIONS_API_KEY is not set"),
        "{stderr}"
    );
    assert_eq!(setup.gateway.clients_accepted(), 0, "nothing connected");
}

#[test]
fn help_explains_modes_environment_and_exit_codes() {
    let out = Command::cargo_bin("worker")
        .unwrap()
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "worker job",
        "TRADING_MODE",
        "ALLOCATIONS_API_KEY",
        "143 stopped by a signal",
        "--dry-run",
        "plan",
    ] {
        assert!(
            help.contains(expected),
            "{expected:?} missing from --help:\n{help}"
        );
    }
    assert!(Path::new(env!("CARGO_BIN_EXE_worker")).exists());
}
