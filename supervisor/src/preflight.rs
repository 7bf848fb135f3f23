//! `supervisor check`: everything the daemon needs, checked without starting it, as a
//! checklist with the fix for each failure: the configuration files, the gateway (version,
//! login, every traded account managed), each strategy's allocations, the Ably key, the
//! journal and socket directories, and the worker binary. It reads the same files and
//! environment as `supervisor run`.

use std::path::Path;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;
use trading_core::allocations::{AllocationClient, ApiKey};
use trading_core::config::{Settings, TradingMode, environment, load_accounts};

use trading_core::control::GatewayHealth;

use crate::daemon::DaemonOptions;
use crate::gateway;
use crate::strategies::StrategyTable;
use ably_client::{AblySettings, LinkState};

/// The client id the check connects to the gateway with: above any account's digits.
pub const CHECK_CLIENT_ID: i32 = 2_000_000_001;

/// How long the Ably check waits for the connection.
const ABLY_WAIT: Duration = Duration::from_secs(15);

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// What was checked.
    pub check: String,
    /// Whether it passed.
    pub ok: bool,
    /// What was found.
    pub detail: String,
    /// How to fix a failure.
    pub fix: Option<String>,
}

impl Item {
    fn pass(check: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            check: check.into(),
            ok: true,
            detail: detail.into(),
            fix: None,
        }
    }

    fn fail(check: impl Into<String>, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            check: check.into(),
            ok: false,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}

/// Runs every check; later checks that need an earlier one's result are skipped (and
/// fail) when it failed.
pub async fn run(options: &DaemonOptions) -> Vec<Item> {
    let mut items = Vec::new();
    let env = |name: &str| std::env::var(name).ok();
    let mode = match TradingMode::from_env() {
        Ok(mode) => mode,
        Err(err) => {
            items.push(Item::fail(
                "TRADING_MODE",
                err.to_string(),
                "set TRADING_MODE to paper or live",
            ));
            return items;
        }
    };
    let mut settings = match Settings::load(options.config.as_deref()) {
        Ok(settings) => settings,
        Err(err) => {
            items.push(Item::fail(
                "config.yaml",
                err.to_string(),
                "fix the key the message names",
            ));
            return items;
        }
    };
    if let Err(err) = environment::apply(&mut settings, &env) {
        items.push(Item::fail(
            "environment",
            err.to_string(),
            "fix the variable the message names",
        ));
        return items;
    }
    items.push(Item::pass("config.yaml", "loads"));
    let accounts = match load_accounts(&options.accounts, options.replacement_sets.as_deref()) {
        Ok(accounts) => accounts,
        Err(err) => {
            items.push(Item::fail(
                "accounts.yaml",
                err.to_string(),
                "fix the field the message names",
            ));
            return items;
        }
    };
    let table = StrategyTable::new(&accounts, mode);
    let traded: Vec<String> = table
        .names()
        .iter()
        .flat_map(|s| {
            table
                .accounts(s)
                .unwrap_or_default()
                .iter()
                .map(|a| a.account_id.clone())
        })
        .collect();
    if traded.is_empty() {
        items.push(Item::fail(
            "accounts.yaml",
            format!("no enabled account of type {mode:?}"),
            "enable an account whose type matches TRADING_MODE",
        ));
    } else {
        items.push(Item::pass(
            "accounts.yaml",
            format!(
                "{} account(s) in {} strateg(ies): {}",
                traded.len(),
                table.names().len(),
                traded.join(", ")
            ),
        ));
    }
    items.push(check_gateway(&settings, mode, &traded).await);
    items.extend(check_allocations(&settings, &table.names()).await);
    items.push(check_ably(&settings, &table.names()).await);
    items.push(check_writable(
        "journal directory",
        &settings.supervisor.journal_path,
    ));
    items.push(check_writable(
        "socket directory",
        &settings.supervisor.socket_path,
    ));
    items.push(check_worker(&settings).await);
    items
}

async fn check_gateway(settings: &Settings, mode: TradingMode, traded: &[String]) -> Item {
    let env = |name: &str| std::env::var(name).ok();
    let port = match environment::gateway_port(settings, mode, &env) {
        Ok(port) => port,
        Err(err) => return Item::fail("gateway", err.to_string(), "fix GATEWAY_PORT / IB_PORT"),
    };
    let address = format!("{}:{port}", settings.gateway.host);
    let health = gateway::probe(&settings.gateway, port, CHECK_CLIENT_ID, traded).await;
    let fix = match &health {
        GatewayHealth::Up { server_version } => {
            return Item::pass(
                "gateway",
                format!(
                    "{address}, API server version {server_version}, manages {}",
                    traded.join(", ")
                ),
            );
        }
        GatewayHealth::Unknown | GatewayHealth::Refused { .. } | GatewayHealth::Failing { .. } => format!(
            "start IB Gateway and log in; check that API connections are enabled on {address} (gateway.host, the {mode:?} port)"
        ),
        GatewayHealth::LoggedOut => {
            "approve the IB Key login (VNC on 127.0.0.1:5900)".to_string()
        }
        GatewayHealth::Hung => "restart IB Gateway: it accepts connections but does not answer".to_string(),
        GatewayHealth::TooOld { .. } => "upgrade IB Gateway (the README says which releases qualify)".to_string(),
        GatewayHealth::AccountsMissing { .. } => "log the gateway in with the user that owns these accounts, or fix account_id / type in accounts.yaml".to_string(),
    };
    Item::fail(
        "gateway",
        format!("{address} is {}: {}", health.name(), health.advice()),
        fix,
    )
}

async fn check_allocations(settings: &Settings, strategies: &[String]) -> Vec<Item> {
    let Some(key) = environment::ALLOCATIONS_API_KEY.read() else {
        return vec![Item::fail(
            "allocations",
            "ALLOCATIONS_API_KEY is not set",
            "set ALLOCATIONS_API_KEY",
        )];
    };
    let client = match AllocationClient::new(settings.allocations.clone(), ApiKey::new(key.value)) {
        Ok(client) => client,
        Err(err) => {
            return vec![Item::fail(
                "allocations",
                err.to_string(),
                "fix allocations.* in config.yaml",
            )];
        }
    };
    let mut items = Vec::new();
    for strategy in strategies {
        let check = format!("allocations of {strategy}");
        items.push(match client.fetch(strategy).await {
            Ok(targets) => Item::pass(
                check,
                targets
                    .iter()
                    .map(|t| format!("{} {:.2}%", t.symbol, t.weight * 100.0))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Err(err) => Item::fail(
                check,
                err.to_string(),
                format!(
                    "check ALLOCATIONS_API_KEY and allocations.base_url ({})",
                    settings.allocations.base_url
                ),
            ),
        });
    }
    items
}

async fn check_ably(settings: &Settings, strategies: &[String]) -> Item {
    let Some(key) = environment::REALTIME_API_KEY.read() else {
        return Item::fail(
            "realtime (Ably)",
            "REALTIME_API_KEY is not set",
            "set REALTIME_API_KEY (or REBALANCE_EVENT_SUBSCRIPTION_API_KEY)",
        );
    };
    let ably = AblySettings {
        realtime_url: settings.realtime.realtime_url.clone(),
        rest_url: settings.realtime.rest_url.clone(),
        api_key: ably_client::ApiKey::new(key.value),
        channels: strategies.to_vec(),
        reconnect_base: settings.realtime.reconnect_base,
        reconnect_max: settings.realtime.reconnect_max,
    };
    let (sender, _messages) = mpsc::channel::<ably_client::Inbound>(16);
    let (state, mut link) = watch::channel(LinkState::Connecting);
    let stop = CancellationToken::new();
    let task = ably_client::spawn(ably, Default::default(), sender, state, stop.clone());
    let outcome = tokio::time::timeout(ABLY_WAIT, async {
        loop {
            let now = link.borrow_and_update().clone();
            match now {
                LinkState::Connected => return Ok(()),
                LinkState::Failed { reason } => return Err(reason),
                _ => {}
            }
            if link.changed().await.is_err() {
                return Err("the client stopped".to_string());
            }
        }
    })
    .await;
    stop.cancel();
    let _ = task.await;
    match outcome {
        Ok(Ok(())) => Item::pass(
            "realtime (Ably)",
            format!("connected; channels {}", strategies.join(", ")),
        ),
        Ok(Err(reason)) => Item::fail("realtime (Ably)", reason, "check REALTIME_API_KEY"),
        Err(_) => Item::fail(
            "realtime (Ably)",
            format!("not connected within {ABLY_WAIT:?}"),
            "check the network and realtime.realtime_url",
        ),
    }
}

fn check_writable(check: &str, file: &Path) -> Item {
    let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Item::pass(check, "the current directory");
    };
    let probe = dir.join(".supervisor-check");
    let result = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&probe, b"ok"));
    let _ = std::fs::remove_file(&probe);
    match result {
        Ok(()) => Item::pass(check, format!("{} is writable", dir.display())),
        Err(err) => Item::fail(
            check,
            format!("{}: {err}", dir.display()),
            "create it and give the supervisor's user write access (systemd: StateDirectory/RuntimeDirectory)",
        ),
    }
}

async fn check_worker(settings: &Settings) -> Item {
    let worker = match &settings.supervisor.worker_path {
        Some(path) => path.clone(),
        None => match std::env::current_exe() {
            Ok(exe) => exe.with_file_name("worker"),
            Err(err) => return Item::fail("worker", err.to_string(), "set supervisor.worker_path"),
        },
    };
    let run = tokio::time::timeout(
        Duration::from_secs(10),
        tokio::process::Command::new(&worker)
            .arg("--version")
            .output(),
    )
    .await;
    match run {
        Ok(Ok(out)) if out.status.success() => Item::pass(
            "worker",
            format!(
                "{} ({})",
                worker.display(),
                String::from_utf8_lossy(&out.stdout).trim()
            ),
        ),
        Ok(Ok(out)) => Item::fail(
            "worker",
            format!("{} exited {}", worker.display(), out.status),
            "reinstall the worker binary",
        ),
        Ok(Err(err)) => Item::fail(
            "worker",
            format!("{}: {err}", worker.display()),
            "install `worker` beside `supervisor` or set supervisor.worker_path",
        ),
        Err(_) => Item::fail(
            "worker",
            format!("{} did not answer --version", worker.display()),
            "reinstall the worker binary",
        ),
    }
}

/// The checklist for people: ✓ or ✗ per item, the fix under each ✗.
pub fn render(items: &[Item]) -> String {
    let mut out = String::new();
    for item in items {
        out.push_str(&format!(
            "{} {}: {}\n",
            if item.ok { "✓" } else { "✗" },
            item.check,
            item.detail
        ));
        if let Some(fix) = &item.fix {
            out.push_str(&format!("    fix: {fix}\n"));
        }
    }
    let failed = items.iter().filter(|i| !i.ok).count();
    out.push_str(&if failed == 0 {
        "all checks passed\n".to_string()
    } else {
        format!("{failed} check(s) failed\n")
    });
    out
}
