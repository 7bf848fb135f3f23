//! One run from start to end: leases gateway connections for its accounts (in batches no
//! larger than the cap), runs a worker per batch, journals what the worker reports, and
//! decides the run's state and whether to retry.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use trading_core::allocations::{Allocation, PreviousTargets};
use trading_core::calendar;
use trading_core::protocol::Command;
use trading_core::protocol::{
    ErrorKind, EventBody, Job, JobAccount, Outcome, PROTOCOL_VERSION, Secrets,
};

use super::Scheduler;
use super::pdt;
use crate::journal::{JournalError, RunRow, RunState, StateChange};
use crate::notify::Urgency;
use crate::workers::reap::Exit;
use crate::workers::spawn::{self, Output};
use crate::workers::stop;

/// Failures a retry cannot fix, each with what a person has to do.
const FINAL_KINDS: [(ErrorKind, &str); 5] = [
    (
        ErrorKind::OrdersRejected,
        "read the gateway's rejection reason, fix the account or order, then `supervisor retry`",
    ),
    (
        ErrorKind::StaleOrders,
        "cancel the listed orders in TWS or IB Gateway, then `supervisor retry`",
    ),
    (
        ErrorKind::ForeignOrders,
        "cancel the listed orders or let them finish, or set trading.foreign_orders: ignore, then `supervisor retry`",
    ),
    (
        ErrorKind::PositionsUnreconciled,
        "compare the account's positions in TWS with the earlier attempts' fills (`supervisor run ID`), then `supervisor retry`",
    ),
    (
        ErrorKind::RiskLimit,
        "check the plan (`worker --strategy S --dry-run`); raise trading.max_order_percent or trading.max_turnover_percent if it is right, or fix the account's `type` to match TRADING_MODE, then `supervisor retry`",
    ),
];

/// What a person has to do about a failure of `kind`, when no retry can fix it.
pub fn final_failure(kind: ErrorKind) -> Option<&'static str> {
    FINAL_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, fix)| *fix)
}

/// How one worker ended.
struct BatchEnd {
    exit: Option<Exit>,
    outcomes: BTreeMap<String, Outcome>,
    problem: Option<String>,
    /// A journal write failed: the run cannot be trusted to be on record.
    journal_failure: Option<JournalError>,
    /// The targets the worker fetched, for the run's later batches.
    targets: Option<Vec<Allocation>>,
}

/// Runs `run` to its end and journals it. A run that is not queued is refused: the
/// journal's conditional move to `running` is what makes a run start at most once.
pub async fn run(scheduler: &Arc<Scheduler>, run: RunRow, token: CancellationToken) {
    let strategy = run.strategy.clone();
    let span = tracing::info_span!("run", strategy = %strategy, run_id = %run.id);
    if run.state != RunState::Queued {
        tracing::error!(parent: &span, state = run.state.name(), "run is not queued: not starting it");
        return;
    }
    let accounts = match scheduler
        .table
        .read()
        .await
        .select(&strategy, &run.accounts)
    {
        Ok(accounts) => accounts,
        Err(reason) => {
            tracing::error!(parent: &span, %reason, "run cannot start");
            record_end(scheduler, &run, RunState::Failed, None, Some(reason)).await;
            return;
        }
    };
    let accounts = match pdt::defer_traded_accounts(scheduler, &run, accounts).await {
        Ok(pdt::Split::Trade(accounts)) => accounts,
        Ok(pdt::Split::NoneLeft(note)) => {
            tracing::info!(parent: &span, %note, "run deferred");
            record_end(scheduler, &run, RunState::Cancelled, None, Some(note)).await;
            return;
        }
        Err(err) => {
            let message = format!("PDT protection cannot read today's trades: {err}");
            tracing::error!(parent: &span, %message, "run cannot start");
            fail_loudly(scheduler, &run, message).await;
            return;
        }
    };
    if !wait_for_gateway(scheduler, &run, &token).await {
        return;
    }
    if let Err(err) = scheduler
        .journal
        .transition(&run.id, StateChange::to(RunState::Running))
        .await
    {
        tracing::error!(parent: &span, %err, "run not started: it is not queued in the journal");
        return;
    }
    tracing::info!(parent: &span, accounts = accounts.len(), command = run.command.name(), trigger = %run.trigger, attempt = run.attempt, "run started");

    let guard = match targets_guard(scheduler, &run).await {
        Ok(guard) => guard,
        Err(err) => {
            let message = format!("cannot read the last rebalanced targets: {err}");
            tracing::error!(parent: &span, %message, "run cannot go on");
            fail_loudly(scheduler, &run, message).await;
            return;
        }
    };
    let accounts = match with_earlier_attempts(scheduler, &run, accounts).await {
        Ok(accounts) => accounts,
        Err(err) => {
            let message = format!("cannot read what the earlier attempts started from: {err}");
            tracing::error!(parent: &span, %message, "run cannot go on");
            fail_loudly(scheduler, &run, message).await;
            return;
        }
    };
    let cap = scheduler.settings.supervisor.max_gateway_connections as usize;
    let mut outcomes: BTreeMap<String, Outcome> = BTreeMap::new();
    let mut problems: Vec<String> = Vec::new();
    let mut worst_exit: Option<Exit> = None;
    let mut journal_failure: Option<JournalError> = None;
    let mut targets: Option<Vec<Allocation>> = None;
    for batch in accounts.chunks(cap.max(1)) {
        if token.is_cancelled() || journal_failure.is_some() {
            break;
        }
        let permits = tokio::select! {
            permits = scheduler.permits.clone().acquire_many_owned(batch.len() as u32) => permits,
            () = token.cancelled() => break,
        };
        let Ok(_permits) = permits else { break };
        let end = run_batch(scheduler, &run, batch, (targets.clone(), &guard), &token).await;
        if end.targets.is_some() {
            targets = end.targets;
        }
        if end.journal_failure.is_some() {
            journal_failure = end.journal_failure;
        }
        if let Some(problem) = end.problem {
            problems.push(problem);
        }
        if end.exit != Some(Exit::AllOk) {
            worst_exit = end.exit.or(worst_exit);
        }
        outcomes.extend(end.outcomes);
    }

    let mut failed: Vec<(String, Outcome)> = Vec::new();
    for account in &accounts {
        let outcome = outcomes
            .get(&account.account_id)
            .cloned()
            .unwrap_or_else(|| Outcome::Error {
                kind: ErrorKind::Stopped,
                message: problems
                    .last()
                    .cloned()
                    .unwrap_or_else(|| "the worker ended without reporting this account".into()),
            });
        if outcome != Outcome::Ok {
            if !outcomes.contains_key(&account.account_id)
                && journal_failure.is_none()
                && let Err(err) = scheduler
                    .journal
                    .record_account(&run.id, &account.account_id, &outcome, None)
                    .await
            {
                journal_failure = Some(err);
            }
            failed.push((account.account_id.clone(), outcome));
        }
    }
    let exit_code = worst_exit.map(Exit::code).or(Some(0));
    let (state, error) = if let Some(err) = &journal_failure {
        (
            RunState::Failed,
            Some(format!(
                "the journal could not record the run ({err}); check the disk and the journal file, then compare the account with `worker --strategy {strategy} --dry-run`"
            )),
        )
    } else if scheduler.shutdown.is_cancelled() && !failed.is_empty() {
        (
            RunState::Interrupted,
            Some("the supervisor stopped during the run".to_string()),
        )
    } else if token.is_cancelled() && !failed.is_empty() {
        (
            RunState::Cancelled,
            Some("cancelled by request".to_string()),
        )
    } else if failed.is_empty() {
        (RunState::Succeeded, None)
    } else {
        let summary: Vec<String> = failed
            .iter()
            .map(|(account, outcome)| match outcome {
                Outcome::Error { kind, message } => match final_failure(*kind) {
                    Some(fix) => format!("{account}: {kind:?}: {message} (not retried: {fix})"),
                    None => format!("{account}: {kind:?}: {message}"),
                },
                Outcome::Ok => account.clone(),
            })
            .chain(problems.iter().cloned())
            .collect();
        (RunState::Failed, Some(summary.join("; ")))
    };
    tracing::info!(parent: &span, state = state.name(), failed = failed.len(), "run finished");
    record_end(scheduler, &run, state, exit_code, error.clone()).await;
    announce(scheduler, &run, state, error.as_deref()).await;

    if state == RunState::Failed && worst_exit != Some(Exit::BadJob) {
        let retry: Vec<String> = failed
            .into_iter()
            .filter(|(_, outcome)| !matches!(outcome, Outcome::Error { kind, .. } if final_failure(*kind).is_some()))
            .map(|(account, _)| account)
            .collect();
        if !retry.is_empty()
            && let Err(err) = scheduler.schedule_retry(&run, retry).await
        {
            tracing::error!(parent: &span, %err, "cannot schedule the retry");
        }
    }
}

/// `accounts` with what the earlier attempts of `run` started from in each (for a retry or
/// a recovery), so a worker can tell positions that lag their fills.
async fn with_earlier_attempts(
    scheduler: &Scheduler,
    run: &RunRow,
    mut accounts: Vec<JobAccount>,
) -> Result<Vec<JobAccount>, JournalError> {
    if run.command != Command::Rebalance {
        return Ok(accounts);
    }
    for account in &mut accounts {
        account.earlier = scheduler
            .journal
            .earlier_attempts(run, &account.account_id)
            .await?;
    }
    Ok(accounts)
}

/// Holds `run` (still queued) while the gateway is not up, until it is, or the trading
/// session's last useful moment (its close less `close_buffer`; outside a session,
/// `worker_timeout`) passes: then the run starts anyway, and its accounts fail and are
/// retried as the policy says. Returns false when the run was cancelled while held (or the
/// supervisor is stopping, which leaves it queued for the next start).
async fn wait_for_gateway(scheduler: &Scheduler, run: &RunRow, token: &CancellationToken) -> bool {
    let watch = scheduler.gateway();
    if watch.wait_until_up(Duration::ZERO).await {
        return true;
    }
    let status = watch.status();
    let now = (scheduler.clock)();
    let supervisor = &scheduler.settings.supervisor;
    let limit = calendar::session_close(now)
        .filter(|_| calendar::is_open(now))
        .map(|close| close - supervisor.close_buffer - now)
        .and_then(|left| Duration::try_from(left).ok())
        .unwrap_or(supervisor.worker_timeout);
    tracing::warn!(strategy = %run.strategy, run_id = %run.id, state = status.health.name(), since = ?status.since, ?limit, "IB Gateway is not up: the run waits for it");
    tokio::select! {
        up = watch.wait_until_up(limit) => {
            if up {
                tracing::info!(strategy = %run.strategy, run_id = %run.id, "IB Gateway is up: the run starts");
            } else {
                tracing::error!(strategy = %run.strategy, run_id = %run.id, state = watch.status().health.name(), "IB Gateway is still not up: starting the run anyway");
            }
            true
        }
        () = token.cancelled() => {
            if !scheduler.shutdown.is_cancelled() {
                record_end(scheduler, run, RunState::Cancelled, None, Some("cancelled by request while waiting for IB Gateway".into())).await;
            }
            false
        }
    }
}

/// Ends `run` as failed with `message` before any worker ran, and says so.
async fn fail_loudly(scheduler: &Scheduler, run: &RunRow, message: String) {
    record_end(
        scheduler,
        run,
        RunState::Failed,
        None,
        Some(message.clone()),
    )
    .await;
    announce(scheduler, run, RunState::Failed, Some(&message)).await;
}

/// Tells the operator how a run ended: failures always, successes when asked for.
async fn announce(scheduler: &Scheduler, run: &RunRow, state: RunState, error: Option<&str>) {
    let notifier = &scheduler.notifier;
    match state {
        RunState::Failed => notifier.send(
            format!("{}: {} failed", run.strategy, run.command.name()),
            format!(
                "Run {} (attempt {}): {}",
                run.id,
                run.attempt,
                error.unwrap_or("failed")
            ),
            Urgency::High,
        ),
        RunState::Succeeded if notifier.on_success() => {
            let summary = match scheduler.journal.run_detail(&run.id).await {
                Ok(Some(detail)) => detail
                    .accounts
                    .iter()
                    .map(|account| {
                        let orders: Vec<_> = detail
                            .orders
                            .iter()
                            .filter(|o| &o.account == account)
                            .collect();
                        let filled = orders.iter().filter(|o| o.filled > 0.0).count();
                        format!("{account}: {} order(s), {filled} filled", orders.len())
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => String::new(),
            };
            notifier.send(
                format!("{}: {} done", run.strategy, run.command.name()),
                format!("Run {}\n{summary}", run.id),
                Urgency::Low,
            );
        }
        _ => {}
    }
}

async fn record_end(
    scheduler: &Scheduler,
    run: &RunRow,
    state: RunState,
    exit_code: Option<i32>,
    error: Option<String>,
) {
    if let Err(err) = scheduler
        .journal
        .transition(&run.id, StateChange::ended(state, exit_code, error))
        .await
    {
        tracing::error!(strategy = %run.strategy, run_id = %run.id, %err, "cannot journal the run's end");
        scheduler.notifier.send(
            format!("{}: journal failure", run.strategy),
            format!(
                "Run {} ended {} but the journal could not record it: {err}",
                run.id,
                state.name()
            ),
            Urgency::High,
        );
    }
}

/// What a run's jobs carry for the weight-drop guard: the last rebalanced targets, and
/// whether a person confirmed this run's.
struct TargetsGuard {
    previous: Option<PreviousTargets>,
    confirmed: bool,
}

async fn targets_guard(scheduler: &Scheduler, run: &RunRow) -> Result<TargetsGuard, JournalError> {
    if !run.command.needs_targets() {
        return Ok(TargetsGuard {
            previous: None,
            confirmed: false,
        });
    }
    Ok(TargetsGuard {
        previous: scheduler
            .journal
            .last_rebalanced_targets(&run.strategy)
            .await?,
        confirmed: run.command == Command::Rebalance && scheduler.take_confirmation(&run.strategy),
    })
}

fn job(
    scheduler: &Scheduler,
    run: &RunRow,
    accounts: &[JobAccount],
    (targets, guard): (Option<Vec<Allocation>>, &TargetsGuard),
) -> Job {
    Job {
        version: PROTOCOL_VERSION,
        run_id: run.id.clone(),
        strategy: run.strategy.clone(),
        command: run.command,
        accounts: accounts.to_vec(),
        trading_mode: scheduler.mode.account_type(),
        port: scheduler.port,
        settings: scheduler.settings.clone(),
        secrets: Secrets {
            allocations_api_key: scheduler.api_key.clone(),
        },
        deadline_seconds: scheduler.settings.supervisor.worker_timeout.as_secs_f64(),
        targets,
        previous_targets: guard.previous.clone(),
        confirm_targets: guard.confirmed,
    }
}

/// One worker for `accounts`: spawn, follow its events until it exits, the deadline passes
/// (worker timeout plus grace) or the run is cancelled.
async fn run_batch(
    scheduler: &Scheduler,
    run: &RunRow,
    accounts: &[JobAccount],
    targets: (Option<Vec<Allocation>>, &TargetsGuard),
    token: &CancellationToken,
) -> BatchEnd {
    let mut end = BatchEnd {
        exit: None,
        outcomes: BTreeMap::new(),
        problem: None,
        journal_failure: None,
        targets: None,
    };
    let job = job(scheduler, run, accounts, targets);
    let mut worker = match spawn::spawn(&scheduler.worker, &job).await {
        Ok(worker) => worker,
        Err(err) => {
            tracing::error!(strategy = %run.strategy, run_id = %run.id, %err, worker = %scheduler.worker.display(), "cannot start the worker");
            end.problem = Some(format!(
                "cannot start the worker {}: {err}",
                scheduler.worker.display()
            ));
            return end;
        }
    };
    let grace = scheduler.settings.supervisor.stop_grace;
    let deadline =
        tokio::time::Instant::now() + scheduler.settings.supervisor.worker_timeout + grace;
    let mut stop_reason: Option<&str> = None;
    loop {
        if end.journal_failure.is_some() {
            stop_reason = Some("stopped: the journal cannot record its work");
            break;
        }
        tokio::select! {
            output = worker.output.recv() => match output {
                Some(Output::Event(event)) => journal_event(scheduler, run, &event.body, &mut end).await,
                Some(Output::Malformed(line)) => {
                    tracing::warn!(strategy = %run.strategy, run_id = %run.id, %line, "worker wrote a line that is not an event");
                    end.problem = Some(format!("the worker wrote output that is not an event: {line}"));
                }
                None => break,
            },
            () = tokio::time::sleep_until(deadline) => { stop_reason = Some("timed out"); break; }
            () = token.cancelled() => { stop_reason = Some("stopped"); break; }
        }
    }
    let status = match stop_reason {
        Some(reason) => {
            tracing::warn!(strategy = %run.strategy, run_id = %run.id, reason, "stopping the worker");
            end.problem = Some(format!("worker {reason}"));
            stop::stop(&mut worker.child, grace).await
        }
        None => tokio::select! {
            status = worker.child.wait() => status,
            () = tokio::time::sleep_until(deadline) => {
                end.problem = Some("worker timed out".into());
                stop::stop(&mut worker.child, grace).await
            }
            () = token.cancelled() => {
                end.problem = Some("worker stopped".into());
                stop::stop(&mut worker.child, grace).await
            }
        },
    };
    while let Ok(output) = worker.output.try_recv() {
        if let Output::Event(event) = output {
            journal_event(scheduler, run, &event.body, &mut end).await;
        }
    }
    match status {
        Ok(status) => {
            let exit = Exit::of(status);
            if let Exit::Killed(signal) = exit {
                tracing::error!(strategy = %run.strategy, run_id = %run.id, signal, "worker was killed");
                end.problem
                    .get_or_insert_with(|| format!("the worker was killed by signal {signal}"));
            }
            end.exit = Some(exit);
        }
        Err(err) => end.problem = Some(format!("cannot reap the worker: {err}")),
    }
    end
}

async fn journal_event(scheduler: &Scheduler, run: &RunRow, body: &EventBody, end: &mut BatchEnd) {
    let result = match body {
        EventBody::AccountFinished {
            account,
            outcome,
            result,
        } => {
            end.outcomes.insert(account.clone(), outcome.clone());
            let result = result.as_ref().and_then(|r| serde_json::to_string(r).ok());
            scheduler
                .journal
                .record_account(&run.id, account, outcome, result)
                .await
        }
        EventBody::OrderSubmitted { account, order }
        | EventBody::OrderStatus { account, order } => {
            scheduler
                .journal
                .record_order(&run.id, account, order)
                .await
        }
        EventBody::Snapshot {
            account,
            phase,
            snapshot,
        } => {
            scheduler
                .journal
                .record_snapshot(&run.id, account, *phase, snapshot)
                .await
        }
        EventBody::Targets { targets } => {
            end.targets = Some(targets.clone());
            scheduler.journal.set_targets(&run.id, targets).await
        }
        _ => Ok(()),
    };
    if let Err(err) = result {
        tracing::error!(strategy = %run.strategy, run_id = %run.id, %err, "cannot journal a worker event: stopping the run");
        end.journal_failure.get_or_insert(err);
    }
}
