//! Moving over from the Python rebalancer: its files (written here from what its public
//! source ships: the config.yaml sections, the .env names, accounts without `enabled` or
//! with `broker`, the `ira` replacement set) go through `supervisor migrate`, and the real
//! daemon, started with the migrated .env as compose would pass it, trades them against
//! the simulators.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::{runs_in_state, status, stop, wait_until};
use serde_json::json;
use sim::ably::AblySim;
use sim::allocations::{AllocationsApi, Canned};
use sim::gateway::{GatewaySim, Scenario};
use tokio::process::Command;

const ABLY_KEY: &str = "appid.keyid:secret-for-migration";
const ALLOCATIONS_KEY: &str = "alloc-key-for-migration";
const STRATEGY: &str = "etf-blend-102-25";

const PYTHON_CONFIG: &str = "ibkr:
  request_timeout_seconds: 10.0
  connection_timeout_seconds: 10
  connection_stabilization_delay_seconds: 0.5
  price_cache_ttl_seconds: 30
  market_data_type: 1
  synthetic_ask_offset_usd: 1.00
  order_placement_delay_seconds: 1.0
  ports:
    live_internal: 4003
    paper_internal: 4004
trading:
  minimum_cash_reserve_usd: 100.0
  commission_rate: 0.01
  max_account_utilization: 0.995
  order_tif: DAY
  buy_slippage_percent: 0.5
  allocation_threshold_percent: 0.5
  order_timeout_seconds: 300
  order_status_check_interval_seconds: 2.0
  post_completion_delay_seconds: 1.0
replacement:
  normalization_trigger_threshold: 0.0001
  normalization_failure_threshold: 0.01
  minimal_non_replaced_allocation_percent: 0.1
pdt_protection:
  next_execution_time: \"09:30\"
scheduler:
  enabled: false
service:
  heartbeat_interval_seconds: 1.0
  manual_event_file_path: /app/data/manual-rebalance/rebalance.json
executor:
  max_workers: 32
api:
  allocation_timeout_seconds: 30
";

const PYTHON_ACCOUNTS: &str = "accounts:
  - account_id: DU1111111
    type: paper
    strategy_name: etf-blend-102-25
    broker: ibkr
  - account_id: DU2222222
    type: paper
    enabled: true
    strategy_name: etf-blend-102-25
    cash_reserve_percent: 1.0
    replacement_set: ira
  - account_id: DU3333333
    type: paper
    enabled: false
    strategy_name: etf-blend-102-25
";

const PYTHON_SETS: &str = "ira:
  - {source: DBC, target: PDBC, scale: 1.0}
  - {source: UUP, target: USDU, scale: 1.0}
  - {source: VIXY, target: VXX, scale: 1.0}
  - {source: VIXM, target: VXZ, scale: 1.0}
  - {source: UVXY, target: VXX, scale: 1.5}
  - {source: SVXY, target: USMV, scale: 1.0}
";

fn python_env(gateway_port: u16, allocations_url: &str) -> String {
    format!(
        "IB_USERNAME=paper-user
IB_PASSWORD=paper-password-for-tests
TRADING_MODE=paper
REBALANCE_EVENT_SUBSCRIPTION_API_KEY={ABLY_KEY}
ALLOCATIONS_API_KEY={ALLOCATIONS_KEY}
ALLOCATIONS_BASE_URL={allocations_url}
IB_HOST=127.0.0.1
IB_PORT={gateway_port}
LOG_LEVEL=INFO
USER_NOTIFICATIONS_ENABLED=false
AUTO_RESTART_TIME=10:00 PM
REDIS_URL=redis://localhost:6379
TIME_IN_FORCE=DAY
"
    )
}

fn supervisor() -> Command {
    Command::new(env!("CARGO_BIN_EXE_supervisor"))
}

/// Adds the sandbox's paths and the Ably simulator's URLs to the migrated config.yaml, as a
/// user would set their own paths.
fn point_at_the_sandbox(config: &Path, dir: &Path, ably: &AblySim) {
    let mut value: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(config).unwrap()).unwrap();
    let worker = sim::bins::path("worker");
    let supervisor = &mut value["supervisor"];
    supervisor["journal_path"] = dir
        .join("state/journal.sqlite")
        .display()
        .to_string()
        .into();
    supervisor["socket_path"] = dir.join("run/supervisor.sock").display().to_string().into();
    supervisor["worker_path"] = worker.display().to_string().into();
    value["realtime"] = serde_yaml::from_str(&format!(
        "{{realtime_url: '{}', rest_url: '{}', reconnect_base_seconds: 0.1, reconnect_max_seconds: 0.5}}",
        ably.realtime_url(),
        ably.rest_url()
    ))
    .unwrap();
    value["gateway"]["quote_timeout_seconds"] = 2.into();
    std::fs::write(config, serde_yaml::to_string(&value).unwrap()).unwrap();
}

#[tokio::test]
async fn a_python_installation_migrates_and_trades_as_it_did() {
    let quotes = [
        ("UVXY", 19.99, 20.01),
        ("VXX", 49.98, 50.02),
        ("SPY", 549.9, 550.1),
        ("TLT", 89.98, 90.02),
    ];
    let scenario = ["DU1111111", "DU2222222", "DU3333333"]
        .iter()
        .fold(Scenario::default(), |s, a| {
            s.with_account(a, 100_000.0, &[])
        })
        .with_quotes(&quotes);
    let gateway = GatewaySim::start(&scenario, 0).await.unwrap();
    let allocations = AllocationsApi::start(0, Some(ALLOCATIONS_KEY))
        .await
        .unwrap();
    allocations.set(
        STRATEGY,
        [Canned::allocations(&[
            ("UVXY", 0.2),
            ("SPY", 0.5),
            ("TLT", 0.3),
        ])],
    );
    let ably = AblySim::start(0, ABLY_KEY).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (python, ours) = (dir.path().join("python"), dir.path().join("ours"));
    std::fs::create_dir_all(&python).unwrap();
    std::fs::write(python.join("config.yaml"), PYTHON_CONFIG).unwrap();
    std::fs::write(python.join("accounts.yaml"), PYTHON_ACCOUNTS).unwrap();
    std::fs::write(python.join("replacement-sets.yaml"), PYTHON_SETS).unwrap();
    std::fs::write(
        python.join(".env"),
        python_env(gateway.addr().port(), &allocations.base_url()),
    )
    .unwrap();

    let out = supervisor()
        .args(["migrate", "--from"])
        .arg(&python)
        .arg("--to")
        .arg(&ours)
        .output()
        .await
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        "ibkr.ports.paper_internal: → gateway.paper_port: 4004",
        "trading.commission_rate: → trading.commission_divisor: 1.01 (changed in meaning",
        "trading.allocation_threshold_percent: → trading.allocation_threshold_percent: 0.5 (changed in meaning",
        "service.heartbeat_interval_seconds: dropped: service loops",
        "replacement.normalization_trigger_threshold: dropped: weights are not renormalised",
        "REBALANCE_EVENT_SUBSCRIPTION_API_KEY: read as REALTIME_API_KEY",
        "IB_USERNAME: used by docker-compose.yaml",
        "REDIS_URL: dropped: no queue",
        "TIME_IN_FORCE: → config.yaml trading.order_tif: DAY",
        "DU1111111: broker dropped",
        "DU1111111: no `enabled`: enabled",
        "DU1111111: cash_reserve_percent written as 1.0",
        "checked: the written files load",
    ] {
        assert!(
            report.contains(expected),
            "missing `{expected}` in:\n{report}"
        );
    }
    for secret in [ABLY_KEY, ALLOCATIONS_KEY, "paper-password-for-tests"] {
        assert!(!report.contains(secret), "a secret in the report");
    }
    let mode = std::fs::metadata(ours.join(".env"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "the migrated .env is private");
    let again = supervisor()
        .args(["migrate", "--from"])
        .arg(&python)
        .arg("--to")
        .arg(&ours)
        .output()
        .await
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("not overwriting"),
        "nothing is overwritten without --force"
    );

    point_at_the_sandbox(&ours.join("config.yaml"), dir.path(), &ably);
    let env = std::fs::read_to_string(ours.join(".env")).unwrap();
    let mut daemon = supervisor();
    daemon
        .args(["run", "--config"])
        .arg(ours.join("config.yaml"))
        .arg("--accounts")
        .arg(ours.join("accounts.yaml"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    for (name, value) in env
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
    {
        daemon.env(name, value);
    }
    let daemon = daemon
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let socket = dir.path().join("run/supervisor.sock");
    wait_until("the supervisor is ready", Duration::from_secs(15), || {
        let socket = socket.clone();
        async move {
            status(&socket)
                .await
                .is_some_and(|s| s["realtime"] == "connected")
        }
    })
    .await;
    let strategy = status(&socket).await.unwrap()["strategies"][0].clone();
    assert_eq!(strategy["name"], STRATEGY);
    assert_eq!(
        strategy["accounts"],
        json!(["DU1111111", "DU2222222"]),
        "the account without `enabled` trades, the disabled one does not"
    );
    ably.publish(STRATEGY, "rebalance", json!({"exec": "rebalance"}));
    wait_until(
        "the rebalance succeeded",
        Duration::from_secs(30),
        || async { runs_in_state(&socket, STRATEGY, "succeeded").await == 1 },
    )
    .await;
    let log = stop(daemon).await;
    assert!(
        log.contains("REALTIME_API_KEY read from REBALANCE_EVENT_SUBSCRIPTION_API_KEY"),
        "{log}"
    );
    assert!(!log.contains(ABLY_KEY) && !log.contains(ALLOCATIONS_KEY));

    let held = |account: &str| gateway.positions(account);
    let plain = held("DU1111111");
    assert!(
        ["UVXY", "SPY", "TLT"]
            .iter()
            .all(|s| plain.get(*s).copied().unwrap_or(0.0) > 0.0),
        "{plain:?}"
    );
    let ira = held("DU2222222");
    assert!(
        !ira.contains_key("UVXY"),
        "the IRA holds VXX instead: {ira:?}"
    );
    let nlv = gateway.net_liquidation("DU2222222").unwrap();
    let vxx_weight = ira["VXX"] * 50.0 / nlv;
    assert!(
        (vxx_weight - 0.3 * 0.99).abs() < 0.01,
        "VXX holds 1.5 × UVXY's 0.2 of the reserve-adjusted value: {vxx_weight}"
    );
    let spy_weight = ira["SPY"] * 550.0 / nlv;
    assert!(
        (spy_weight - 0.4375 * 0.99).abs() < 0.01,
        "SPY made room: {spy_weight}"
    );
    assert!(
        held("DU3333333").is_empty(),
        "the disabled account is left alone"
    );
}
