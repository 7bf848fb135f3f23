//! The real `supervisor` daemon, spawning real `worker` processes, against the gateway,
//! allocations and Ably simulators on 127.0.0.1.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::json;
use sim::ably::{AblySim, SimConfig};
use sim::allocations::{AllocationsApi, Canned};
use sim::gateway::{ETF_QUOTES, GatewaySim, GatewayState, OrderRecord, Scenario};
use sim::ntfy::NtfySink;
use sim::process::terminate;
use tokio::process::{Child, Command};

mod common;
use common::{request, runs, runs_in_state, status, stop, wait_until};

const ABLY_KEY: &str = "appid.keyid:secret-for-tests";
const ALLOCATIONS_KEY: &str = "alloc-key-for-tests";

fn worker_binary() -> PathBuf {
    sim::bins::path("worker")
}

struct World {
    ntfy: NtfySink,
    gateway: GatewaySim,
    ably: AblySim,
    allocations: AllocationsApi,
    dir: tempfile::TempDir,
}

impl World {
    async fn new(fill_latency_ms: u64) -> Self {
        Self::with_worker(fill_latency_ms, &worker_binary()).await
    }

    async fn with_worker(fill_latency_ms: u64, worker: &Path) -> Self {
        Self::build(fill_latency_ms, worker, SimConfig::default()).await
    }

    /// A world whose Ably channels keep their messages only for `retention`.
    async fn with_history_retention(retention: Duration) -> Self {
        let ably = SimConfig {
            history_retention: retention,
            ..SimConfig::default()
        };
        Self::build(0, &worker_binary(), ably).await
    }

    async fn build(fill_latency_ms: u64, worker: &Path, ably: SimConfig) -> Self {
        let mut scenario = ["DU1111111", "DU2222222", "DU3333333"]
            .iter()
            .fold(Scenario::default(), |s, a| {
                s.with_account(a, 20_000.0, &[("XYZ", 100.0)])
            })
            .with_quotes(&ETF_QUOTES);
        scenario.fills.latency_ms = fill_latency_ms;
        let gateway = GatewaySim::start(&scenario, 0).await.unwrap();
        let allocations = AllocationsApi::start(0, Some(ALLOCATIONS_KEY))
            .await
            .unwrap();
        for strategy in ["alpha", "beta"] {
            allocations.set(
                strategy,
                [Canned::allocations(&[("VTI", 0.6), ("BND", 0.4)])],
            );
        }
        let ably = AblySim::start_with(0, ABLY_KEY, ably).await.unwrap();
        let ntfy = NtfySink::start(0).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("accounts.yaml"),
            "accounts:
  - {account_id: DU1111111, type: paper, enabled: true, strategy_name: alpha}
  - {account_id: DU2222222, type: paper, enabled: true, strategy_name: alpha}
  - {account_id: DU3333333, type: paper, enabled: true, strategy_name: beta}
",
        )
        .unwrap();
        let config = format!(
            "allocations:
  base_url: {}
gateway:
  quote_timeout_seconds: 2
  probe_interval_seconds: 0.25
trading:
  order_timeout_seconds: 20
realtime:
  realtime_url: {}
  rest_url: {}
  reconnect_base_seconds: 0.1
  reconnect_max_seconds: 0.5
notifications:
  ntfy_url: {}
  topic: rebalancer-tests
  on_success: true
  min_interval_seconds: 0.05
supervisor:
  market_hours: false
  journal_path: {}
  socket_path: {}
  worker_path: {}
  retry_delay_seconds: 0.5
  stop_grace_seconds: 5
",
            allocations.base_url(),
            ably.realtime_url(),
            ably.rest_url(),
            ntfy.url(),
            dir.path().join("state/journal.sqlite").display(),
            dir.path().join("run/supervisor.sock").display(),
            worker.display(),
        );
        std::fs::write(dir.path().join("config.yaml"), config).unwrap();
        Self {
            ntfy,
            gateway,
            ably,
            allocations,
            dir,
        }
    }

    fn socket(&self) -> PathBuf {
        self.dir.path().join("run/supervisor.sock")
    }

    fn spawn_supervisor(&self) -> Child {
        Command::new(env!("CARGO_BIN_EXE_supervisor"))
            .args(["run", "--config"])
            .arg(self.dir.path().join("config.yaml"))
            .arg("--accounts")
            .arg(self.dir.path().join("accounts.yaml"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("REALTIME_API_KEY", ABLY_KEY)
            .env("ALLOCATIONS_API_KEY", ALLOCATIONS_KEY)
            .env("NTFY_TOKEN", "ntfy-token-for-tests")
            .env("GATEWAY_PORT", self.gateway.addr().port().to_string())
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap()
    }

    /// Starts the daemon and waits until it reports the realtime link up.
    async fn start(&self) -> Child {
        let child = self.spawn_supervisor();
        let socket = self.socket();
        wait_until("the supervisor is ready", Duration::from_secs(15), || {
            let socket = socket.clone();
            async move {
                status(&socket)
                    .await
                    .is_some_and(|s| s["realtime"] == "connected")
            }
        })
        .await;
        child
    }

    fn publish(&self, strategy: &str, exec: &str) -> String {
        self.ably
            .publish(strategy, "rebalance", json!({"exec": exec}))
    }
}

#[tokio::test]
async fn an_event_reaches_the_gateway_and_the_journal() {
    let world = World::new(0).await;
    let supervisor = world.start().await;
    let mode = std::fs::metadata(world.socket())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "the control socket is private");
    world.publish("alpha", "rebalance");
    let socket = world.socket();
    wait_until("alpha's run succeeded", Duration::from_secs(30), || async {
        runs_in_state(&socket, "alpha", "succeeded").await == 1
    })
    .await;
    let orders = world.gateway.orders();
    let accounts: std::collections::BTreeSet<_> =
        orders.iter().map(|o| o.order.account.clone()).collect();
    assert_eq!(
        accounts.into_iter().collect::<Vec<_>>(),
        ["DU1111111", "DU2222222"]
    );
    let run_id = runs(&socket, "alpha").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let detail = request(&socket, json!({"request": "run", "id": run_id}))
        .await
        .unwrap();
    assert_eq!(detail["results"].as_array().unwrap().len(), 2);
    assert_eq!(detail["orders"].as_array().unwrap().len(), 6);
    let health = status(&socket).await.unwrap();
    assert_eq!(health["healthy"], true, "{health}");
    assert!(
        world.ntfy.wait_for(1, Duration::from_secs(10)).await,
        "success is announced (on_success)"
    );
    let done = &world.ntfy.messages()[0];
    assert_eq!(done.title.as_deref(), Some("alpha: rebalance done"));
    assert!(
        done.body.contains("DU1111111: 3 order(s), 3 filled"),
        "{done:?}"
    );
    stop(supervisor).await;
    assert!(
        !world.socket().exists(),
        "the socket is removed on shutdown"
    );
}

#[tokio::test]
async fn a_subscriber_hears_a_run_go_from_queued_to_succeeded_and_its_orders_fill() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let world = World::new(0).await;
    let supervisor = world.start().await;
    let stream = tokio::net::UnixStream::connect(world.socket())
        .await
        .unwrap();
    let (reader, mut writer) = stream.into_split();
    writer
        .write_all(b"{\"request\":\"subscribe\"}\n")
        .await
        .unwrap();
    let mut lines = BufReader::new(reader).lines();
    let next = async |lines: &mut tokio::io::Lines<_>| -> serde_json::Value {
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("a live event in time")
            .unwrap()
            .expect("the stream open");
        serde_json::from_str(&line).unwrap()
    };
    assert_eq!(next(&mut lines).await["response"], "subscribed");
    world.publish("alpha", "rebalance");
    let mut states = Vec::new();
    let mut filled = std::collections::BTreeSet::new();
    while states.last().map(String::as_str) != Some("succeeded") {
        let event = next(&mut lines).await;
        match event["event"].as_str() {
            Some("run") => states.push(event["run"]["state"].as_str().unwrap().to_string()),
            Some("order") if event["order"]["status"] == "Filled" => {
                filled.insert((
                    event["order"]["account"].as_str().unwrap().to_string(),
                    event["order"]["order_id"].as_i64().unwrap(),
                ));
            }
            Some("order") => {}
            other => panic!("unexpected live event {other:?}: {event}"),
        }
    }
    assert_eq!(states, ["queued", "running", "succeeded"]);
    assert_eq!(filled.len(), 6, "every order's fill: {filled:?}");
    stop(supervisor).await;
    assert!(
        next_or_end(&mut lines).await,
        "the stream ends when the daemon stops"
    );
}

/// Whether `lines` ends (rather than yielding a line) within 10 s.
async fn next_or_end<R: tokio::io::AsyncBufRead + Unpin>(lines: &mut tokio::io::Lines<R>) -> bool {
    matches!(
        tokio::time::timeout(Duration::from_secs(10), lines.next_line()).await,
        Ok(Ok(None) | Err(_))
    )
}

#[tokio::test]
async fn events_in_quick_succession_make_exactly_two_runs() {
    let world = World::new(300).await;
    let _supervisor = world.start().await;
    for _ in 0..3 {
        world.publish("alpha", "rebalance");
    }
    let socket = world.socket();
    wait_until(
        "both alpha runs finished",
        Duration::from_secs(40),
        || async {
            runs(&socket, "alpha")
                .await
                .iter()
                .filter(|r| r["state"] == "succeeded")
                .count()
                == 2
        },
    )
    .await;
    assert_eq!(
        runs(&socket, "alpha").await.len(),
        2,
        "three events, two runs"
    );
}

#[tokio::test]
async fn malformed_input_is_rejected_and_the_daemon_carries_on() {
    let world = World::new(0).await;
    let supervisor = world.start().await;
    let socket = world.socket();
    world.ably.publish(
        "alpha",
        "rebalance",
        json!({"exec": "liquidate-everything"}),
    );
    world
        .ably
        .publish("alpha", "rebalance", json!("not an object"));
    world.ably.send_malformed();
    let huge = "x".repeat(100 * 1024);
    let answer = request(&socket, json!({"request": "status", "pad": huge}))
        .await
        .unwrap();
    assert_eq!(answer["response"], "error");
    let answer = request(&socket, json!({"request": "reboot"}))
        .await
        .unwrap();
    assert_eq!(answer["response"], "error");
    world.publish("beta", "print-rebalance");
    wait_until(
        "beta's dry run succeeded",
        Duration::from_secs(30),
        || async { runs_in_state(&socket, "beta", "succeeded").await == 1 },
    )
    .await;
    assert!(
        runs(&socket, "alpha").await.is_empty(),
        "malformed events start nothing"
    );
    assert!(world.gateway.orders().is_empty());
    let log = stop(supervisor).await;
    assert!(log.contains("event rejected: unknown command"), "{log}");
    assert!(log.contains("control request rejected"), "{log}");
    assert!(
        !log.contains("secret-for-tests") && !log.contains(ALLOCATIONS_KEY),
        "secrets never reach the logs"
    );
}

#[tokio::test]
async fn a_run_waits_while_the_gateway_is_logged_out_and_starts_when_it_is_back() {
    let world = World::new(0).await;
    world.gateway.set_state(GatewayState::LoggedOut);
    let supervisor = world.start().await;
    let socket = world.socket();
    wait_until(
        "status shows the gateway logged out",
        Duration::from_secs(10),
        || async { status(&socket).await.unwrap()["gateway"]["health"]["state"] == "logged_out" },
    )
    .await;
    assert!(world.ntfy.wait_for(1, Duration::from_secs(10)).await);
    let told = &world.ntfy.messages()[0];
    assert_eq!(told.title.as_deref(), Some("IB Gateway logged out"));
    assert!(told.body.contains("approve the IB Key login"), "{told:?}");

    world.publish("beta", "rebalance");
    wait_until("beta's run is held", Duration::from_secs(10), || async {
        runs_in_state(&socket, "beta", "queued").await == 1
    })
    .await;
    assert!(
        world.gateway.orders().is_empty(),
        "nothing traded while logged out"
    );
    assert!(
        world
            .gateway
            .accepted_client_ids()
            .iter()
            .all(|id| *id == supervisor::gateway::PROBE_CLIENT_ID),
        "no worker connected while the gateway was logged out"
    );

    world.gateway.set_state(GatewayState::Up);
    wait_until("beta succeeded", Duration::from_secs(30), || async {
        runs_in_state(&socket, "beta", "succeeded").await == 1
    })
    .await;
    assert!(
        world
            .ntfy
            .messages()
            .iter()
            .any(|m| m.title.as_deref() == Some("IB Gateway is up again")),
        "{:?}",
        world.ntfy.messages()
    );
    let health = status(&socket).await.unwrap();
    assert_eq!(health["gateway"]["health"]["state"], "up", "{health}");
    let log = stop(supervisor).await;
    assert!(
        log.contains("IB Gateway is not up: the run waits for it"),
        "{log}"
    );
}

#[tokio::test]
async fn a_worker_killed_after_a_buy_fails_only_its_run_whose_retry_buys_only_the_rest() {
    let world = World::new(0).await;
    world.gateway.set_halted("BND", true);
    let _supervisor = world.start().await;
    let socket = world.socket();
    world.publish("alpha", "rebalance");
    world.publish("beta", "rebalance");
    wait_until(
        "beta bought VTI and its BND buy rests",
        Duration::from_secs(20),
        || async {
            filled_orders(&world.gateway, "DU3333333", "VTI")
                .iter()
                .any(|o| o.status == "Filled")
                && working_in(&world.gateway, &["DU3333333"], "BND")
        },
    )
    .await;
    let vti_bought = shares_filled(&world.gateway, "DU3333333", "VTI");
    // beta's only account, DU3333333, trades as client id 3333333 (its digits).
    let worker = worker_pid_for(&world.gateway, 3_333_333);
    kill(Pid::from_raw(worker), Signal::SIGKILL).unwrap();
    world.gateway.set_halted("BND", false);
    wait_until("alpha succeeded", Duration::from_secs(30), || async {
        runs_in_state(&socket, "alpha", "succeeded").await == 1
    })
    .await;
    wait_until(
        "beta failed then succeeded on retry",
        Duration::from_secs(40),
        || async {
            let runs = runs(&socket, "beta").await;
            runs.iter().any(|r| r["state"] == "failed")
                && runs
                    .iter()
                    .any(|r| r["state"] == "succeeded" && r["trigger"] == "retry")
        },
    )
    .await;
    let beta = chain(&socket, "beta").await;
    assert_eq!(beta.len(), 2, "{beta:?}");
    assert_eq!(beta[1]["retry_of"], beta[0]["id"]);
    assert_eq!(beta[1]["attempt"], 2);
    assert_eq!(
        filled_orders(&world.gateway, "DU3333333", "VTI").len(),
        1,
        "VTI is not bought again"
    );
    assert_eq!(
        shares_filled(&world.gateway, "DU3333333", "VTI"),
        vti_bought
    );
    assert_eq!(filled_orders(&world.gateway, "DU3333333", "BND").len(), 1);
    assert_eq!(shares_filled(&world.gateway, "DU3333333", "XYZ"), 100.0);
}

#[tokio::test]
async fn a_worker_killed_after_a_buy_while_positions_lag_is_retried_from_the_positions_plus_its_fills()
 {
    let world = World::new(0).await;
    world.gateway.set_position_lag(Duration::from_secs(600));
    world.gateway.set_halted("BND", true);
    let supervisor = world.start().await;
    let socket = world.socket();
    world.publish("beta", "rebalance");
    let account = "DU3333333";
    wait_until(
        "beta bought VTI and its BND buy rests",
        Duration::from_secs(20),
        || async {
            filled_orders(&world.gateway, account, "VTI")
                .iter()
                .any(|o| o.status == "Filled")
                && working_in(&world.gateway, &[account], "BND")
        },
    )
    .await;
    let vti_bought = shares_filled(&world.gateway, account, "VTI");
    kill(
        Pid::from_raw(worker_pid_for(&world.gateway, 3_333_333)),
        Signal::SIGKILL,
    )
    .unwrap();
    // The retry cancels the first attempt's resting BND buy; then BND trades again.
    wait_until(
        "the first attempt's BND buy is cancelled",
        Duration::from_secs(40),
        || async {
            world
                .gateway
                .orders()
                .iter()
                .any(|o| o.order.symbol == "BND" && o.status == "Cancelled")
        },
    )
    .await;
    world.gateway.set_halted("BND", false);
    wait_until(
        "beta succeeded on retry",
        Duration::from_secs(40),
        || async {
            runs(&socket, "beta")
                .await
                .iter()
                .any(|r| r["state"] == "succeeded" && r["trigger"] == "retry")
        },
    )
    .await;
    // The first attempt bought VTI with the cash the gateway showed before the XYZ sale
    // (so less than its target); the retry tops it up from the positions plus that fill. A
    // retry trusting the lagging positions would buy the whole target again.
    let nlv = world.gateway.net_liquidation(account).unwrap();
    let held = world.gateway.positions(account);
    for (symbol, target) in [("VTI", 0.6), ("BND", 0.4)] {
        let mid = ETF_QUOTES
            .iter()
            .find(|q| q.0 == symbol)
            .map(|q| (q.1 + q.2) / 2.0)
            .unwrap();
        let weight = held[symbol] * mid / nlv;
        assert!(
            (weight - target).abs() < 0.03,
            "{symbol}: {weight:.3} of net liquidation against a target of {target}"
        );
    }
    assert!(shares_filled(&world.gateway, account, "VTI") > vti_bought);
    assert_eq!(
        shares_filled(&world.gateway, account, "XYZ"),
        100.0,
        "XYZ sold once"
    );
    let log = stop(supervisor).await;
    assert!(
        log.contains("positions lag the executions of earlier attempts"),
        "the retry says it added the first attempt's fills: {log}"
    );
}

/// The pid of the worker serving the gateway connection of `client_id`: the simulator knows
/// the connection's peer port, /proc/net/tcp maps the port to a socket inode, and the
/// worker holding that inode is the one.
fn worker_pid_for(gateway: &GatewaySim, client_id: i32) -> i32 {
    let peer = gateway
        .connections()
        .into_iter()
        .find(|c| c.client_id == client_id)
        .expect("the client is connected")
        .peer;
    let port = format!(":{:04X}", peer.port());
    let tcp = std::fs::read_to_string("/proc/net/tcp").unwrap();
    let inode = tcp
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|cols| cols.len() > 9 && cols[1].ends_with(&port))
        .map(|cols| cols[9].to_string())
        .expect("the connection's socket");
    let target = format!("socket:[{inode}]");
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
            continue;
        };
        if fds
            .flatten()
            .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|l| l.to_string_lossy() == target))
        {
            return pid;
        }
    }
    panic!("no process holds the connection of client {client_id}");
}

#[tokio::test]
async fn sigterm_mid_run_closes_every_gateway_connection_and_exits_0() {
    let world = World::new(0).await;
    world.gateway.set_market_open(false);
    let mut supervisor = world.start().await;
    world.publish("alpha", "rebalance");
    wait_until(
        "alpha's orders rest at the gateway",
        Duration::from_secs(20),
        || async { world.gateway.orders().len() >= 2 },
    )
    .await;
    let status = terminate(&mut supervisor, Duration::from_secs(15))
        .await
        .expect("exits within the grace period");
    assert_eq!(status.code(), Some(0));
    assert!(
        world
            .gateway
            .wait_for_connections(0, Duration::from_secs(2))
            .await
    );
    assert!(
        world
            .gateway
            .orders()
            .iter()
            .all(|o| o.status == "Cancelled"),
        "working orders cancelled on stop"
    );
}

/// Orders of `account` in `symbol` that filled at all.
fn filled_orders(gateway: &GatewaySim, account: &str, symbol: &str) -> Vec<OrderRecord> {
    gateway
        .orders()
        .into_iter()
        .filter(|o| o.order.account == account && o.order.symbol == symbol && o.filled > 0.0)
        .collect()
}

/// Shares of `symbol` that `account`'s orders filled, summed.
fn shares_filled(gateway: &GatewaySim, account: &str, symbol: &str) -> f64 {
    filled_orders(gateway, account, symbol)
        .iter()
        .map(|o| o.filled)
        .sum()
}

/// Whether every one of `accounts` has a working (unfilled) order in `symbol`.
fn working_in(gateway: &GatewaySim, accounts: &[&str], symbol: &str) -> bool {
    let orders = gateway.orders();
    accounts.iter().all(|a| {
        orders
            .iter()
            .any(|o| o.order.account == *a && o.order.symbol == symbol && o.status == "Submitted")
    })
}

/// The ids in each `run started` line of a daemon log, with how often each appears.
fn run_starts(log: &str) -> std::collections::BTreeMap<String, usize> {
    let mut starts = std::collections::BTreeMap::new();
    for line in log.lines().filter(|l| l.contains("run started")) {
        let id = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("run_id="))
            .map(|w| w.trim_matches(|c| c == '}' || c == ':').to_string())
            .expect("run started lines carry the run id");
        *starts.entry(id).or_insert(0) += 1;
    }
    starts
}

/// The runs of `strategy`, oldest first.
async fn chain(socket: &Path, strategy: &str) -> Vec<serde_json::Value> {
    let mut list = runs(socket, strategy).await;
    list.reverse();
    list
}

/// Waits until a recovery run of `strategy` succeeded; then its runs, oldest first.
async fn recovered_chain(socket: &Path, strategy: &str) -> Vec<serde_json::Value> {
    wait_until(
        "the recovery run succeeded",
        Duration::from_secs(30),
        || async {
            runs(socket, strategy)
                .await
                .iter()
                .any(|r| r["trigger"] == "recovery" && r["state"] == "succeeded")
        },
    )
    .await;
    chain(socket, strategy).await
}

#[tokio::test]
async fn a_sigterm_between_sells_and_buys_resumes_the_buys_once_after_restart() {
    let world = World::new(0).await;
    world.gateway.set_halted("VTI", true);
    world.gateway.set_halted("BND", true);
    let first = world.start().await;
    world.publish("alpha", "rebalance");
    let alpha = ["DU1111111", "DU2222222"];
    wait_until(
        "the sells filled and the buys rest",
        Duration::from_secs(20),
        || async {
            alpha
                .iter()
                .all(|a| shares_filled(&world.gateway, a, "XYZ") == 100.0)
                && working_in(&world.gateway, &alpha, "VTI")
                && working_in(&world.gateway, &alpha, "BND")
        },
    )
    .await;
    let first_log = stop(first).await;
    let socket = world.socket();
    world.gateway.set_halted("VTI", false);
    world.gateway.set_halted("BND", false);
    assert!(
        alpha
            .iter()
            .all(|a| shares_filled(&world.gateway, a, "VTI") == 0.0),
        "nothing bought before the stop"
    );

    let second = world.start().await;
    let runs = recovered_chain(&socket, "alpha").await;
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert_eq!(
        (&runs[0]["state"], &runs[0]["attempt"]),
        (&json!("interrupted"), &json!(1))
    );
    assert_eq!(
        (
            &runs[1]["trigger"],
            &runs[1]["attempt"],
            &runs[1]["retry_of"]
        ),
        (&json!("recovery"), &json!(2), &runs[0]["id"])
    );
    for account in alpha {
        assert_eq!(shares_filled(&world.gateway, account, "XYZ"), 100.0);
        for symbol in ["VTI", "BND"] {
            let filled = filled_orders(&world.gateway, account, symbol);
            assert_eq!(filled.len(), 1, "{account} {symbol}: bought once");
            assert_eq!(
                world.gateway.positions(account).get(symbol).copied(),
                Some(filled[0].filled)
            );
        }
    }
    assert!(
        world
            .ntfy
            .messages()
            .iter()
            .any(|m| m.title.as_deref() == Some("alpha: interrupted run resumed")),
        "the resumption is announced"
    );
    let second_log = stop(second).await;
    assert!(first_log.contains("SIGTERM: shutting down"), "{first_log}");
    assert!(second_log.contains("resume in run"), "{second_log}");
}

#[tokio::test]
async fn a_crashed_supervisor_resumes_the_run_once_and_buys_only_what_is_missing() {
    let world = World::new(0).await;
    world.gateway.set_halted("BND", true);
    let mut first = world.start().await;
    world.publish("alpha", "rebalance");
    let alpha = ["DU1111111", "DU2222222"];
    wait_until(
        "VTI bought and BND resting",
        Duration::from_secs(20),
        || async {
            alpha.iter().all(|a| {
                filled_orders(&world.gateway, a, "VTI")
                    .iter()
                    .any(|o| o.status == "Filled")
            }) && working_in(&world.gateway, &alpha, "BND")
        },
    )
    .await;
    let vti_before: Vec<f64> = alpha
        .iter()
        .map(|a| shares_filled(&world.gateway, a, "VTI"))
        .collect();
    first.start_kill().unwrap();
    let first_log = first.wait_with_output().await.unwrap();
    // The orphaned worker dies with its parent and cancels its orders.
    assert!(
        world
            .gateway
            .wait_for_connections(0, Duration::from_secs(10))
            .await
    );
    world.gateway.set_halted("BND", false);
    let second = world.start().await;
    let socket = world.socket();
    let runs = recovered_chain(&socket, "alpha").await;
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert_eq!(runs[0]["state"], "interrupted");
    assert_eq!(runs[1]["retry_of"], runs[0]["id"]);
    let second_log = stop(second).await;
    let log = String::from_utf8_lossy(&first_log.stderr).into_owned() + &second_log;
    let starts = run_starts(&log);
    assert_eq!(starts.len(), 2, "{starts:?}");
    assert!(
        starts.values().all(|n| *n == 1),
        "no run starts twice: {starts:?}"
    );
    assert_eq!(
        world
            .gateway
            .accepted_client_ids()
            .iter()
            .filter(|id| **id != supervisor::gateway::PROBE_CLIENT_ID)
            .count(),
        4,
        "one connection per account per attempt"
    );
    for (account, vti) in alpha.iter().zip(vti_before) {
        assert_eq!(shares_filled(&world.gateway, account, "XYZ"), 100.0);
        assert_eq!(
            shares_filled(&world.gateway, account, "VTI"),
            vti,
            "{account}: VTI not bought again"
        );
        assert_eq!(filled_orders(&world.gateway, account, "BND").len(), 1);
    }
}

#[tokio::test]
async fn a_dropped_realtime_connection_loses_no_event_and_runs_none_twice() {
    let world = World::new(0).await;
    let _supervisor = world.start().await;
    let socket = world.socket();
    world.publish("beta", "print-rebalance");
    wait_until("the first event ran", Duration::from_secs(20), || async {
        runs_in_state(&socket, "beta", "succeeded").await == 1
    })
    .await;
    world.ably.drop_connections();
    world.publish("beta", "print-rebalance");
    wait_until("the second event ran", Duration::from_secs(30), || async {
        runs_in_state(&socket, "beta", "succeeded").await == 2
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(runs(&socket, "beta").await.len(), 2, "each event ran once");
}

#[tokio::test]
async fn a_worker_writing_garbage_fails_only_its_run() {
    let scripts = tempfile::tempdir().unwrap();
    let fake = scripts.path().join("worker");
    std::fs::write(
        &fake,
        "#!/bin/sh\ncat > /dev/null\necho 'this is not an event'\nexit 0\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let world = World::with_worker(0, &fake).await;
    let supervisor = world.start().await;
    let socket = world.socket();
    let accepted = request(
        &socket,
        json!({"request": "trigger", "strategy": "beta", "command": "print-positions"}),
    )
    .await
    .unwrap();
    assert_eq!(accepted["response"], "accepted", "{accepted}");
    wait_until("the run failed", Duration::from_secs(20), || async {
        runs_in_state(&socket, "beta", "failed").await == 1
    })
    .await;
    let runs = runs(&socket, "beta").await;
    let failed = runs
        .iter()
        .find(|r| r["state"] == "failed")
        .expect("the failed run");
    assert!(
        failed["error"]
            .as_str()
            .unwrap_or("")
            .contains("not an event"),
        "{failed}"
    );
    let health = status(&socket).await.expect("the supervisor still answers");
    assert_eq!(health["response"], "status");
    assert!(
        world.ntfy.wait_for(1, Duration::from_secs(10)).await,
        "a failure is announced"
    );
    let note = world
        .ntfy
        .messages()
        .into_iter()
        .find(|m| m.title.as_deref() == Some("beta: print-positions failed"))
        .expect("the failure notification");
    assert_eq!(note.topic, "rebalancer-tests");
    assert_eq!(note.priority.as_deref(), Some("high"));
    assert_eq!(
        note.authorization.as_deref(),
        Some("Bearer ntfy-token-for-tests")
    );
    assert!(note.body.contains("not an event"), "{note:?}");
    let out = stop(supervisor).await;
    assert!(
        out.contains("worker wrote a line that is not an event"),
        "{out}"
    );
}

#[tokio::test]
async fn status_check_and_sighup_reload() {
    let world = World::new(0).await;
    let supervisor = world.start().await;
    let check = |socket: PathBuf| async move {
        Command::new(env!("CARGO_BIN_EXE_supervisor"))
            .args(["status", "--check", "--socket"])
            .arg(socket)
            .output()
            .await
            .unwrap()
    };
    let healthy = check(world.socket()).await;
    assert_eq!(
        healthy.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&healthy.stderr)
    );
    assert!(
        String::from_utf8_lossy(&healthy.stdout).starts_with("healthy"),
        "{}",
        String::from_utf8_lossy(&healthy.stdout)
    );

    // A new strategy appears in accounts.yaml; SIGHUP subscribes to it.
    let accounts = world.dir.path().join("accounts.yaml");
    let mut text = std::fs::read_to_string(&accounts).unwrap();
    text.push_str(
        "  - {account_id: DU4444444, type: paper, enabled: true, strategy_name: gamma}\n",
    );
    std::fs::write(&accounts, text).unwrap();
    kill(
        Pid::from_raw(supervisor.id().unwrap() as i32),
        Signal::SIGHUP,
    )
    .unwrap();
    let socket = world.socket();
    wait_until("gamma is subscribed", Duration::from_secs(15), || {
        let socket = socket.clone();
        async move {
            status(&socket).await.is_some_and(|s| {
                s["strategies"].as_array().is_some_and(|list| {
                    list.iter()
                        .any(|x| x["name"] == "gamma" && x["subscribed"] == true)
                })
            })
        }
    })
    .await;

    let log = stop(supervisor).await;
    assert!(log.contains("SIGHUP: accounts reloaded"), "{log}");
    let down = check(world.socket()).await;
    assert_eq!(down.status.code(), Some(1), "unreachable means unhealthy");
}

#[tokio::test]
async fn pause_holds_events_across_a_restart_and_resume_runs_them() {
    let world = World::new(0).await;
    let first = world.start().await;
    let socket = world.socket();
    let paused = request(&socket, json!({"request": "pause", "strategy": "alpha"}))
        .await
        .unwrap();
    assert_eq!(paused["paused"], json!(["alpha"]), "{paused}");
    world.publish("alpha", "rebalance");
    world.publish("alpha", "rebalance");
    wait_until("the events are held", Duration::from_secs(15), || async {
        runs_in_state(&socket, "alpha", "held").await == 1
    })
    .await;
    let status = status(&socket).await.unwrap();
    let alpha = status["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "alpha")
        .unwrap()
        .clone();
    assert_eq!(alpha["paused"], true);

    stop(first).await;
    let _second = world.start().await;
    assert_eq!(
        runs_in_state(&socket, "alpha", "held").await,
        1,
        "still held after a restart"
    );
    assert!(
        world.gateway.orders().is_empty(),
        "nothing traded while paused"
    );

    let resumed = request(&socket, json!({"request": "resume"}))
        .await
        .unwrap();
    assert_eq!(resumed["paused"], json!([]), "{resumed}");
    assert_eq!(resumed["released"].as_array().unwrap().len(), 1);
    wait_until(
        "the held run succeeded",
        Duration::from_secs(30),
        || async { runs_in_state(&socket, "alpha", "succeeded").await == 1 },
    )
    .await;
    assert_eq!(runs(&socket, "alpha").await.len(), 1, "two events, one run");
}

#[tokio::test]
async fn pdt_protection_defers_a_second_rebalance_the_same_day() {
    let world = World::new(0).await;
    let accounts = world.dir.path().join("accounts.yaml");
    let text = std::fs::read_to_string(&accounts).unwrap().replace(
        "strategy_name: beta}",
        "strategy_name: beta, pdt_protection_enabled: true}",
    );
    std::fs::write(&accounts, text).unwrap();
    let first = world.start().await;
    let socket = world.socket();
    world.publish("beta", "rebalance");
    wait_until(
        "the first rebalance succeeded",
        Duration::from_secs(20),
        || async { runs_in_state(&socket, "beta", "succeeded").await == 1 },
    )
    .await;
    let orders_after_first = world.gateway.orders().len();
    assert!(orders_after_first > 0);
    // The supervisor restarts (the journal remembers today's fills); the strategy publishes
    // again.
    stop(first).await;
    let _second = world.start().await;
    world.publish("beta", "rebalance");
    wait_until(
        "the second run was deferred",
        Duration::from_secs(20),
        || async { runs_in_state(&socket, "beta", "cancelled").await == 1 },
    )
    .await;
    let runs = runs(&socket, "beta").await;
    let deferred = runs.iter().find(|r| r["state"] == "cancelled").unwrap();
    assert!(
        deferred["error"]
            .as_str()
            .unwrap_or("")
            .contains("PDT protection: DU3333333 traded today"),
        "{deferred}"
    );
    assert!(
        runs.iter().any(|r| r["state"] == "scheduled"
            && r["trigger"] == "pdt"
            && r["not_before"].is_string()),
        "{runs:?}"
    );
    assert_eq!(
        world.gateway.orders().len(),
        orders_after_first,
        "no second trade today"
    );
}

#[tokio::test]
async fn a_failed_sighup_reload_keeps_the_running_configuration() {
    let world = World::new(0).await;
    let supervisor = world.start().await;
    let accounts = world.dir.path().join("accounts.yaml");
    std::fs::write(
        &accounts,
        "accounts:\n  - {account_id: DU1111111, type: paper, enabled: true}\n",
    )
    .unwrap();
    kill(
        Pid::from_raw(supervisor.id().unwrap() as i32),
        Signal::SIGHUP,
    )
    .unwrap();
    world.publish("alpha", "print-positions");
    let socket = world.socket();
    wait_until(
        "alpha still runs on the old accounts",
        Duration::from_secs(20),
        || async { runs_in_state(&socket, "alpha", "succeeded").await == 1 },
    )
    .await;
    let alpha = status(&socket).await.unwrap()["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "alpha")
        .cloned()
        .unwrap();
    assert_eq!(alpha["subscribed"], true, "{alpha}");
    assert_eq!(alpha["accounts"], json!(["DU1111111", "DU2222222"]));
    let log = stop(supervisor).await;
    assert!(
        log.contains("SIGHUP: accounts not reloaded; the running configuration stays"),
        "{log}"
    );
    assert!(log.contains("accounts.yaml:2:"), "the file and line: {log}");
}

#[tokio::test]
async fn an_event_lost_while_the_supervisor_was_away_longer_than_history_is_caught_up_once() {
    let retention = Duration::from_secs(1);
    let world = World::with_history_retention(retention).await;
    let first = world.start().await;
    let socket = world.socket();
    world.publish("alpha", "rebalance");
    wait_until("alpha rebalanced", Duration::from_secs(30), || async {
        runs_in_state(&socket, "alpha", "succeeded").await == 1
    })
    .await;
    stop(first).await;
    // The strategy publishes new targets, and its event, while no supervisor listens; the
    // supervisor stays away longer than the channel keeps messages.
    world.allocations.set(
        "alpha",
        [Canned::allocations(&[
            ("VTI", 0.5),
            ("BND", 0.3),
            ("VOO", 0.2),
        ])],
    );
    world.publish("alpha", "rebalance");
    tokio::time::sleep(retention + Duration::from_millis(300)).await;
    let second = world.start().await;
    wait_until(
        "the catch-up run succeeded",
        Duration::from_secs(30),
        || async {
            runs(&socket, "alpha")
                .await
                .iter()
                .any(|r| r["trigger"] == "catch-up" && r["state"] == "succeeded")
        },
    )
    .await;
    let alpha = runs(&socket, "alpha").await;
    assert_eq!(
        alpha.len(),
        2,
        "one event run, one catch-up, though both the start and the history gap ask: {alpha:?}"
    );
    assert_eq!(
        alpha.iter().filter(|r| r["trigger"] == "event").count(),
        1,
        "the lost event never arrived"
    );
    assert!(
        runs(&socket, "beta").await.is_empty(),
        "a strategy never rebalanced has nothing to compare with"
    );
    for account in ["DU1111111", "DU2222222"] {
        assert!(
            world
                .gateway
                .positions(account)
                .get("VOO")
                .copied()
                .unwrap_or(0.0)
                > 0.0,
            "{account} bought the new target"
        );
    }
    assert!(
        world
            .ntfy
            .messages()
            .iter()
            .any(|m| m.title.as_deref() == Some("alpha: catching up a missed rebalance")),
        "the catch-up is announced"
    );
    let log = stop(second).await;
    assert!(
        log.contains("VOO 0.00% → 20.00%"),
        "the log says what changed: {log}"
    );
    assert!(
        log.contains("events may have been missed while the realtime link was down"),
        "the history gap is noticed: {log}"
    );
}
