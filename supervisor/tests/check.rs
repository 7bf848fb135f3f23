//! `supervisor check` against the simulators: all green on a working setup; each broken
//! part (an account the gateway does not manage, a wrong allocation key, an old gateway, a
//! missing gateway) is a ✗ with its fix, and the exit code says so.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::path::Path;

use serde_json::Value;
use sim::ably::AblySim;
use sim::allocations::{AllocationsApi, Canned};
use sim::gateway::{ETF_QUOTES, GatewaySim, Scenario};
use tokio::process::Command;

const ABLY_KEY: &str = "appid.keyid:secret-for-check";
const ALLOCATIONS_KEY: &str = "alloc-key-for-check";

struct Setup {
    dir: tempfile::TempDir,
    _ably: AblySim,
    allocations: AllocationsApi,
}

impl Setup {
    async fn new() -> Self {
        let allocations = AllocationsApi::start(0, Some(ALLOCATIONS_KEY))
            .await
            .unwrap();
        allocations.set(
            "alpha",
            [Canned::allocations(&[("VTI", 0.6), ("BND", 0.4)])],
        );
        let ably = AblySim::start(0, ABLY_KEY).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("accounts.yaml"),
            "accounts:\n  - {account_id: DU1111111, type: paper, strategy_name: alpha}\n  - {account_id: DU2222222, type: paper, strategy_name: alpha}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("config.yaml"),
            format!(
                "allocations: {{base_url: '{}'}}\nrealtime: {{realtime_url: '{}', rest_url: '{}'}}\nsupervisor: {{journal_path: '{}', socket_path: '{}', worker_path: '{}'}}\n",
                allocations.base_url(),
                ably.realtime_url(),
                ably.rest_url(),
                dir.path().join("state/journal.sqlite").display(),
                dir.path().join("run/supervisor.sock").display(),
                sim::bins::path("worker").display()
            ),
        )
        .unwrap();
        Self {
            dir,
            _ably: ably,
            allocations,
        }
    }

    /// Runs `supervisor check --json` against a gateway on `port`; the exit code and items.
    async fn check(&self, port: u16, allocations_key: &str) -> (Option<i32>, Vec<Value>) {
        let out = Command::new(env!("CARGO_BIN_EXE_supervisor"))
            .arg("check")
            .arg("--json")
            .arg("--config")
            .arg(self.dir.path().join("config.yaml"))
            .arg("--accounts")
            .arg(self.dir.path().join("accounts.yaml"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TRADING_MODE", "paper")
            .env("REALTIME_API_KEY", ABLY_KEY)
            .env("ALLOCATIONS_API_KEY", allocations_key)
            .env("GATEWAY_PORT", port.to_string())
            .output()
            .await
            .unwrap();
        let items: Vec<Value> = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
        (out.status.code(), items)
    }
}

fn item<'a>(items: &'a [Value], check: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["check"] == check)
        .unwrap_or_else(|| panic!("no `{check}` in {items:?}"))
}

fn managing(accounts: &[&str]) -> Scenario {
    accounts
        .iter()
        .fold(Scenario::default(), |s, a| s.with_account(a, 10_000.0, &[]))
        .with_quotes(&ETF_QUOTES)
}

#[tokio::test]
async fn a_working_setup_passes_every_check() {
    let setup = Setup::new().await;
    let sim = GatewaySim::start(&managing(&["DU1111111", "DU2222222"]), 0)
        .await
        .unwrap();
    let (code, items) = setup.check(sim.addr().port(), ALLOCATIONS_KEY).await;
    assert_eq!(code, Some(0), "{items:?}");
    assert!(items.iter().all(|i| i["ok"] == true), "{items:?}");
    let gateway = item(&items, "gateway")["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        gateway.contains("API server version 226") && gateway.contains("DU2222222"),
        "{gateway}"
    );
    assert_eq!(
        item(&items, "allocations of alpha")["detail"],
        "VTI 60.00%, BND 40.00%"
    );
    assert!(
        item(&items, "worker")["detail"]
            .as_str()
            .unwrap()
            .contains("worker 0.1.0")
    );
    assert!(
        Path::new(&setup.dir.path().join("state")).is_dir(),
        "the journal directory was created"
    );
    assert_eq!(
        sim.connections().len(),
        0,
        "the check's connection is closed"
    );
    assert!(!setup.allocations.received().is_empty());
}

#[tokio::test]
async fn each_broken_part_is_named_with_its_fix() {
    let setup = Setup::new().await;
    let sim = GatewaySim::start(&managing(&["DU1111111"]), 0)
        .await
        .unwrap();
    let (code, items) = setup.check(sim.addr().port(), "a-wrong-key").await;
    assert_eq!(code, Some(1));
    let gateway = item(&items, "gateway");
    assert_eq!(gateway["ok"], false);
    assert!(
        gateway["detail"]
            .as_str()
            .unwrap()
            .contains("does not manage DU2222222"),
        "{gateway}"
    );
    assert!(
        gateway["fix"]
            .as_str()
            .unwrap()
            .contains("log the gateway in"),
        "{gateway}"
    );
    let allocations = item(&items, "allocations of alpha");
    assert_eq!(allocations["ok"], false, "{allocations}");
    assert!(
        allocations["fix"]
            .as_str()
            .unwrap()
            .contains("ALLOCATIONS_API_KEY")
    );
    assert_eq!(item(&items, "realtime (Ably)")["ok"], true);

    let mut old = managing(&["DU1111111", "DU2222222"]);
    old.faults.max_server_version = Some(178);
    let old = GatewaySim::start(&old, 0).await.unwrap();
    let (code, items) = setup.check(old.addr().port(), ALLOCATIONS_KEY).await;
    assert_eq!(code, Some(1));
    let too_old = item(&items, "gateway")["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        too_old.contains("server version 178") && too_old.contains("upgrade IB Gateway"),
        "{too_old}"
    );

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let (code, items) = setup.check(port, ALLOCATIONS_KEY).await;
    assert_eq!(code, Some(1));
    assert!(
        item(&items, "gateway")["fix"]
            .as_str()
            .unwrap()
            .contains("start IB Gateway")
    );
}
