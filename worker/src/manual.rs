//! A run started by hand: the job is built from the configuration files and environment,
//! progress shows on a terminal, and the result is printed as tables or one JSON object.

use std::io::IsTerminal;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use tokio_util::sync::CancellationToken;
use trading_core::allocations::ApiKey;
use trading_core::config::{Settings, TradingMode, environment, load_accounts};
use trading_core::protocol::{
    Command, Event, EventBody, Job, JobAccount, PROTOCOL_VERSION, Secrets,
};

use crate::cli::ManualArgs;
use crate::engine::{self, Summary};
use crate::events::Events;
use crate::{progress, render, signals};

/// A manual run, ready to start.
pub struct ManualRun {
    job: Job,
    api_key: Option<ApiKey>,
    json: bool,
}

/// Builds the job; every error here means exit 2 with nothing connected.
pub fn prepare(args: &ManualArgs) -> Result<ManualRun> {
    let Some(strategy) = args.strategy.clone() else {
        bail!("--strategy is required")
    };
    let mode = TradingMode::from_env()?;
    let settings = Settings::load(args.config.as_deref())?;
    let accounts = load_accounts(&args.accounts, args.replacement_sets.as_deref())?;
    let command: Command = if args.dry_run {
        if !args.command.needs_targets() {
            bail!("--dry-run applies to rebalancing only; drop it or --command");
        }
        Command::PrintRebalance
    } else {
        args.command
    };
    let groups = accounts.by_strategy(mode);
    let Some(members) = groups.get(strategy.as_str()) else {
        bail!(
            "{}: no enabled {mode:?} account follows strategy `{strategy}`",
            args.accounts.display()
        );
    };
    for wanted in &args.accounts_only {
        if !members.iter().any(|a| &a.account_id == wanted) {
            let why = match accounts.find(wanted) {
                None => "is not in the file".to_string(),
                Some(a) if a.strategy_name != strategy => {
                    format!("follows `{}`, not `{strategy}`", a.strategy_name)
                }
                Some(a) if !a.enabled => "is not enabled".to_string(),
                Some(_) => format!("is not a {mode:?} account (TRADING_MODE)"),
            };
            bail!("{}: account `{wanted}` {why}", args.accounts.display());
        }
    }
    let job_accounts: Vec<JobAccount> = accounts
        .active_with_client_ids(mode)
        .filter(|(a, _)| a.strategy_name == strategy)
        .filter(|(a, _)| {
            args.accounts_only.is_empty() || args.accounts_only.contains(&a.account_id)
        })
        .map(|(a, client_id)| JobAccount::new(a, &accounts.replacement_sets, client_id))
        .collect();
    let mut settings = settings;
    let env = |name: &str| std::env::var(name).ok();
    environment::apply(&mut settings, &env)?;
    let port = environment::gateway_port(&settings, mode, &env)?;
    let api_key = environment::ALLOCATIONS_API_KEY
        .read()
        .map(|found| ApiKey::new(found.value));
    if command.needs_targets() && api_key.is_none() {
        bail!("ALLOCATIONS_API_KEY is not set; it is needed to fetch the strategy's allocations");
    }
    let trading = &settings.trading;
    let deadline =
        settings.gateway.connect_timeout + trading.order_timeout * 2 + Duration::from_secs(600);
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let job = Job {
        version: PROTOCOL_VERSION,
        run_id: format!("manual-{stamp}"),
        strategy,
        command,
        accounts: job_accounts,
        trading_mode: mode.account_type(),
        port,
        settings,
        secrets: Secrets::default(),
        deadline_seconds: deadline.as_secs_f64(),
        targets: None,
        previous_targets: None,
        confirm_targets: false,
    };
    job.validate().map_err(|reason| anyhow::anyhow!(reason))?;
    Ok(ManualRun {
        job,
        api_key,
        json: args.json,
    })
}

/// Runs the prepared job and prints its result.
pub async fn run(prepared: ManualRun) -> Result<Summary> {
    let ManualRun { job, api_key, json } = prepared;
    let stop = CancellationToken::new();
    signals::on_signals(stop.clone()).context("cannot install signal handlers")?;
    signals::on_deadline(stop.clone(), Duration::from_secs_f64(job.deadline_seconds));
    if job.command == Command::PrintRebalance && !json {
        println!("DRY RUN: plans from live data; no order is placed or cancelled.");
    }
    let (events, mut receiver) = Events::channel(&job.run_id);
    let show_progress = !json && std::io::stderr().is_terminal();
    let collector = tokio::spawn(async move {
        let mut all: Vec<Event> = Vec::new();
        while let Some(event) = receiver.recv().await {
            if show_progress {
                progress::show(&event);
            }
            all.push(event);
        }
        all
    });
    let strategy = job.strategy.clone();
    let command = job.command;
    let summary = engine::run(job, api_key, events, stop).await;
    let all = collector.await.context("the event collector failed")?;
    let finished: Vec<_> = all
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::AccountFinished {
                account,
                outcome,
                result,
            } => Some((account.clone(), outcome.clone(), result.clone())),
            _ => None,
        })
        .collect();
    if json {
        println!("{}", render::json(&strategy, command, &finished, &summary));
    } else {
        print!(
            "{}",
            render::tables(&strategy, command, &finished, &summary)
        );
    }
    Ok(summary)
}
