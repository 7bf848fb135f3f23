//! `worker job` as the supervisor runs it: the real binary against the gateway and
//! allocations simulators on 127.0.0.1.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::process::Stdio;
use std::time::Duration;

use sim::allocations::{AllocationsApi, Canned};
use sim::gateway::{ETF_QUOTES, GatewaySim, Scenario};
use sim::process::{sigterm, terminate};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};
use trading_core::config::{AccountType, Replacement, Settings};
use trading_core::protocol::{
    Command as JobCommand, ErrorKind, Event, EventBody, Job, JobAccount, Outcome, PROTOCOL_VERSION,
    Secrets, SnapshotPhase,
};

const KEY: &str = "job-test-key";
const ACCOUNTS: [&str; 3] = ["DU1111111", "DU2222222", "DU3333333"];

fn scenario(latency_ms: u64) -> Scenario {
    let mut s = ACCOUNTS
        .iter()
        .fold(Scenario::default(), |s, a| {
            s.with_account(a, 20_000.0, &[("XYZ", 300.0)])
        })
        .with_quotes(&ETF_QUOTES);
    s.fills.latency_ms = latency_ms;
    s
}

struct World {
    gateway: GatewaySim,
    allocations: AllocationsApi,
}

async fn world(scenario: &Scenario) -> World {
    let allocations = AllocationsApi::start(0, Some(KEY)).await.unwrap();
    allocations.set(
        "etf-blend",
        [Canned::allocations(&[("VTI", 0.6), ("BND", 0.4)])],
    );
    World {
        gateway: GatewaySim::start(scenario, 0).await.unwrap(),
        allocations,
    }
}

fn job(world: &World, command: JobCommand, accounts: &[&str]) -> Job {
    let mut settings = Settings::default();
    settings.allocations.base_url = world.allocations.base_url();
    settings.gateway.quote_timeout = Duration::from_secs(2);
    settings.trading.order_timeout = Duration::from_secs(10);
    Job {
        version: PROTOCOL_VERSION,
        run_id: "run-42".into(),
        strategy: "etf-blend".into(),
        command,
        accounts: accounts
            .iter()
            .zip(200..)
            .map(|(id, client_id)| JobAccount {
                account_id: id.to_string(),
                client_id,
                account_type: AccountType::Paper,
                cash_reserve_percent: 1.0,
                replacements: Vec::new(),
                earlier: None,
            })
            .collect(),
        trading_mode: AccountType::Paper,
        port: world.gateway.addr().port(),
        settings,
        secrets: Secrets {
            allocations_api_key: Some(KEY.into()),
        },
        deadline_seconds: 60.0,
        targets: None,
        previous_targets: None,
        confirm_targets: false,
    }
}

fn spawn_worker() -> Child {
    Command::new(env!("CARGO_BIN_EXE_worker"))
        .arg("job")
        .env_remove("ALLOCATIONS_API_KEY")
        .env("RUST_LOG", "info")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

async fn send(child: &mut Child, input: &[u8]) {
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input).await.unwrap();
    drop(stdin);
}

struct Ran {
    code: Option<i32>,
    events: Vec<Event>,
    stderr: String,
}

/// Runs `worker job` on `input` to its end; every stdout line must parse as an event.
async fn run_raw(input: &[u8]) -> Ran {
    let mut child = spawn_worker();
    send(&mut child, input).await;
    let out = child.wait_with_output().await.unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let events = stdout
        .lines()
        .map(|line| serde_json::from_str::<Event>(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    Ran {
        code: out.status.code(),
        events,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

async fn run_job(job: &Job) -> Ran {
    run_raw(&serde_json::to_vec(job).unwrap()).await
}

fn outcomes(events: &[Event]) -> Vec<(String, Outcome)> {
    let mut out: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::AccountFinished {
                account, outcome, ..
            } => Some((account.clone(), outcome.clone())),
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[tokio::test]
async fn targets_whose_total_drops_abruptly_are_refused_until_confirmed() {
    let world = world(&scenario(0)).await;
    world
        .allocations
        .set("etf-blend", [Canned::allocations(&[("VTI", 0.3)])]);
    let mut job = job(&world, JobCommand::Rebalance, &ACCOUNTS[..1]);
    job.previous_targets = Some(trading_core::allocations::PreviousTargets {
        run_id: "run-41".into(),
        targets: vec![
            trading_core::allocations::Allocation {
                symbol: "VTI".into(),
                weight: 0.6,
            },
            trading_core::allocations::Allocation {
                symbol: "BND".into(),
                weight: 0.4,
            },
        ],
    });
    let ran = run_job(&job).await;
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    let outcome = ran
        .events
        .iter()
        .find_map(|e| match &e.body {
            EventBody::AccountFinished { outcome, .. } => Some(outcome.clone()),
            _ => None,
        })
        .expect("the account's end");
    assert!(
        matches!(&outcome, Outcome::Error { kind: ErrorKind::RiskLimit, message } if message.contains("down from 1.00") && message.contains("run-41")),
        "{outcome:?}"
    );
    assert!(
        world.gateway.orders().is_empty(),
        "nothing sold on a truncated list"
    );

    job.confirm_targets = true;
    job.run_id = "run-43".into();
    let ran = run_job(&job).await;
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(
        !world.gateway.orders().is_empty(),
        "a person confirmed: it trades"
    );
}

#[tokio::test]
async fn a_job_with_targets_trades_against_them_without_fetching() {
    let world = world(&scenario(0)).await;
    let mut job = job(&world, JobCommand::PrintRebalance, &ACCOUNTS[..1]);
    job.targets = Some(vec![trading_core::allocations::Allocation {
        symbol: "VTI".into(),
        weight: 0.9,
    }]);
    let ran = run_job(&job).await;
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(world.allocations.received().is_empty(), "nothing fetched");
    assert!(
        !ran.events
            .iter()
            .any(|e| matches!(e.body, EventBody::Targets { .. })),
        "no targets event for targets the job carried"
    );
    let plan = ran
        .events
        .iter()
        .find_map(|e| match &e.body {
            EventBody::Plan { plan, .. } => Some(plan.clone()),
            _ => None,
        })
        .expect("a plan");
    let symbols: Vec<&str> = plan
        .trades
        .iter()
        .filter(|t| t.action == trading_core::calculator::Action::Buy)
        .map(|t| t.symbol.as_str())
        .collect();
    assert_eq!(symbols, ["VTI"], "{plan:?}");
}

#[tokio::test]
async fn dry_run_places_nothing_and_reports_plans() {
    let world = world(&scenario(0)).await;
    let ran = run_job(&job(&world, JobCommand::PrintRebalance, &ACCOUNTS[..1])).await;
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(world.gateway.orders().is_empty());
    let types: Vec<&str> = ran
        .events
        .iter()
        .map(|e| match e.body {
            EventBody::Started { .. } => "started",
            EventBody::Targets { .. } => "targets",
            EventBody::AccountStarted { .. } => "account_started",
            EventBody::Snapshot { .. } => "snapshot",
            EventBody::Plan { .. } => "plan",
            EventBody::AccountFinished { .. } => "account_finished",
            EventBody::Finished { .. } => "finished",
            _ => "other",
        })
        .collect();
    assert_eq!(
        types,
        [
            "started",
            "targets",
            "account_started",
            "snapshot",
            "plan",
            "account_finished",
            "finished"
        ]
    );
    assert!(
        ran.events
            .iter()
            .all(|e| e.run_id == "run-42" && !e.ts.is_empty())
    );
    let EventBody::Plan { plan, .. } = &ran.events[4].body else {
        unreachable!()
    };
    assert_eq!(plan.trades.len(), 3);
    assert!(!ran.stderr.contains(KEY), "the key never reaches the logs");
    assert!(
        ran.stderr.contains("account=DU1111111") && ran.stderr.contains("strategy=etf-blend"),
        "{}",
        ran.stderr
    );
}

#[tokio::test]
async fn three_accounts_trade_concurrently_and_converge() {
    let world = world(&scenario(200)).await;
    let ran = run_job(&job(&world, JobCommand::Rebalance, &ACCOUNTS)).await;
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    assert!(outcomes(&ran.events).iter().all(|(_, o)| *o == Outcome::Ok));
    let orders = world.gateway.orders();
    assert_eq!(orders.len(), 9);
    let span = |account: &str| {
        let times: Vec<_> = orders
            .iter()
            .filter(|o| o.order.account == account)
            .map(|o| o.received_at)
            .collect();
        (*times.iter().min().unwrap(), *times.iter().max().unwrap())
    };
    let spans: Vec<_> = ACCOUNTS.iter().map(|a| span(a)).collect();
    let latest_start = spans.iter().map(|s| s.0).max().unwrap();
    let earliest_end = spans.iter().map(|s| s.1).min().unwrap();
    assert!(
        latest_start < earliest_end,
        "accounts ran one after another: {spans:?}"
    );
    let clients: std::collections::BTreeSet<i32> = orders.iter().map(|o| o.client_id).collect();
    assert_eq!(clients.len(), 3, "one connection per account");
    // Each account's snapshots: before its trades, then as the rebalance left it.
    for account in ACCOUNTS {
        let phases: Vec<(SnapshotPhase, f64)> = ran
            .events
            .iter()
            .filter_map(|e| match &e.body {
                EventBody::Snapshot {
                    account: a,
                    phase,
                    snapshot,
                } if a == account => Some((*phase, snapshot.cash)),
                _ => None,
            })
            .collect();
        assert_eq!(
            phases.iter().map(|p| p.0).collect::<Vec<_>>(),
            [SnapshotPhase::Before, SnapshotPhase::After],
            "{account}"
        );
        let end = world.gateway.cash(account).unwrap();
        assert!(
            (phases[1].1 - end).abs() < 0.01,
            "{account}: after is the end ({end})"
        );
        assert_ne!(
            phases[0].1, phases[1].1,
            "{account}: the trades moved the cash"
        );
    }

    let check = run_job(&job(&world, JobCommand::PrintRebalance, &ACCOUNTS)).await;
    let leftover: usize = check
        .events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::Plan { plan, .. } => Some(plan.trades.len()),
            _ => None,
        })
        .sum();
    assert_eq!(leftover, 0, "every account is at its targets");
}

#[tokio::test]
async fn a_rejected_order_fails_only_its_account() {
    let mut s = scenario(0);
    s.faults.reject_symbols.push("VOO".into());
    let world = world(&s).await;
    let mut job = job(&world, JobCommand::Rebalance, &ACCOUNTS);
    job.accounts[1].replacements = vec![Replacement {
        source: "VTI".into(),
        target: "VOO".into(),
        scale: 1.0,
    }];
    let ran = run_job(&job).await;
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    let outcomes = outcomes(&ran.events);
    assert_eq!(outcomes[0].1, Outcome::Ok);
    assert!(
        matches!(&outcomes[1].1, Outcome::Error { kind: ErrorKind::OrdersRejected, message } if message.contains("VOO")),
        "{outcomes:?}"
    );
    assert_eq!(outcomes[2].1, Outcome::Ok);
    assert!(matches!(
        ran.events.last().unwrap().body,
        EventBody::Finished {
            accounts_ok: 2,
            accounts_failed: 1,
            stopped: false
        }
    ));
}

#[tokio::test]
async fn sigterm_stops_new_orders_and_closes_every_connection() {
    let mut s = scenario(0);
    s.fills.market_open = false;
    let world = world(&s).await;
    let mut child = spawn_worker();
    send(
        &mut child,
        &serde_json::to_vec(&job(&world, JobCommand::Rebalance, &ACCOUNTS)).unwrap(),
    )
    .await;
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut events = Vec::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        let event: Event = serde_json::from_str(&line).unwrap();
        let submitted = matches!(event.body, EventBody::OrderSubmitted { .. });
        events.push(event);
        if submitted {
            break;
        }
    }
    sigterm(&child).unwrap();
    let at_signal = world.gateway.orders().len();
    while let Some(line) = lines.next_line().await.unwrap() {
        events.push(serde_json::from_str(&line).unwrap());
    }
    let status = child.wait().await.unwrap();
    assert_eq!(status.code(), Some(143));
    assert!(
        world.gateway.orders().len() <= at_signal.max(ACCOUNTS.len()),
        "orders placed after SIGTERM"
    );
    assert!(
        world
            .gateway
            .orders()
            .iter()
            .all(|o| o.status == "Cancelled"),
        "working orders cancelled"
    );
    assert!(
        world
            .gateway
            .wait_for_connections(0, Duration::from_secs(2))
            .await
    );
    assert!(matches!(
        events.last().unwrap().body,
        EventBody::Finished { stopped: true, .. }
    ));
}

#[tokio::test]
async fn the_worker_dies_with_its_parent() {
    let mut s = scenario(0);
    s.fills.market_open = false;
    let world = world(&s).await;
    let dir = tempfile::tempdir().unwrap();
    let job_file = dir.path().join("job.json");
    std::fs::write(
        &job_file,
        serde_json::to_vec(&job(&world, JobCommand::Rebalance, &ACCOUNTS[..1])).unwrap(),
    )
    .unwrap();
    let script = format!(
        "{} job < {} > /dev/null 2>&1 & wait",
        env!("CARGO_BIN_EXE_worker"),
        job_file.display()
    );
    let mut parent = Command::new("bash")
        .args(["-c", &script])
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    assert!(
        world
            .gateway
            .wait_for_connections(1, Duration::from_secs(10))
            .await,
        "the worker connected"
    );
    parent.kill().await.unwrap();
    assert!(
        world
            .gateway
            .wait_for_connections(0, Duration::from_secs(5))
            .await,
        "the orphaned worker disconnected"
    );
}

#[tokio::test]
async fn bad_jobs_exit_2_without_connecting() {
    let world = world(&scenario(0)).await;
    let good = serde_json::to_value(job(&world, JobCommand::Rebalance, &ACCOUNTS[..1])).unwrap();
    let mut unknown_command = good.clone();
    unknown_command["command"] = "liquidate".into();
    let mut duplicate = good.clone();
    duplicate["accounts"] = serde_json::json!([good["accounts"][0], good["accounts"][0]]);
    let cases: [(Vec<u8>, &str); 4] = [
        (b"{not json".to_vec(), "bad job on stdin"),
        (
            serde_json::to_vec(&unknown_command).unwrap(),
            "command: unknown variant `liquidate`",
        ),
        (serde_json::to_vec(&duplicate).unwrap(), "is listed twice"),
        (Vec::new(), "bad job on stdin"),
    ];
    for (input, expected) in cases {
        let ran = run_raw(&input).await;
        assert_eq!(ran.code, Some(2), "{expected}: {}", ran.stderr);
        assert!(
            ran.stderr.contains(expected),
            "expected {expected:?} in {}",
            ran.stderr
        );
        assert!(ran.events.is_empty(), "nothing on stdout");
    }
    assert_eq!(world.gateway.clients_accepted(), 0);
}

#[tokio::test]
async fn an_unreachable_gateway_fails_each_account_clearly() {
    let world = world(&scenario(0)).await;
    let mut job = job(&world, JobCommand::PrintPositions, &ACCOUNTS[..2]);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    job.port = listener.local_addr().unwrap().port();
    drop(listener);
    let ran = run_job(&job).await;
    assert_eq!(ran.code, Some(1));
    for (_, outcome) in outcomes(&ran.events) {
        assert!(
            matches!(
                outcome,
                Outcome::Error {
                    kind: ErrorKind::Connect,
                    ..
                }
            ),
            "{outcome:?}"
        );
    }
}

#[tokio::test]
async fn sigterm_with_closed_output_pipes_still_stops_cleanly() {
    let mut s = scenario(0);
    s.fills.market_open = false;
    let world = world(&s).await;
    let mut child = spawn_worker();
    send(
        &mut child,
        &serde_json::to_vec(&job(&world, JobCommand::Rebalance, &ACCOUNTS[..2])).unwrap(),
    )
    .await;
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while let Some(line) = lines.next_line().await.unwrap() {
        if matches!(
            serde_json::from_str::<Event>(&line).unwrap().body,
            EventBody::OrderSubmitted { .. }
        ) {
            break;
        }
    }
    // The reader of stdout and stderr goes away, as when the supervisor dies.
    drop(lines);
    drop(child.stderr.take());
    let status = terminate(&mut child, Duration::from_secs(10))
        .await
        .expect("the worker exits");
    assert_eq!(status.code(), Some(143));
    assert!(
        world
            .gateway
            .wait_for_connections(0, Duration::from_secs(2))
            .await
    );
}

#[tokio::test]
async fn an_account_of_the_other_trading_mode_is_refused_without_connecting() {
    let world = world(&scenario(0)).await;
    let mut job = job(&world, JobCommand::Rebalance, &ACCOUNTS[..2]);
    job.accounts[1].account_type = AccountType::Live;
    let ran = run_job(&job).await;
    assert_eq!(ran.code, Some(1));
    let outcomes = outcomes(&ran.events);
    assert_eq!(outcomes[0].1, Outcome::Ok);
    assert!(
        matches!(&outcomes[1].1, Outcome::Error { kind: ErrorKind::RiskLimit, message } if message.contains("is a Live account")),
        "{outcomes:?}"
    );
    assert!(
        world
            .gateway
            .orders()
            .iter()
            .all(|o| o.order.account != ACCOUNTS[1])
    );
    assert_eq!(
        world.gateway.clients_accepted(),
        1,
        "the refused account never connected"
    );
}
