//! PDT protection: an account with `pdt_protection_enabled` that already traded today (New
//! York) is not traded again; its part of a rebalance moves to a run at the next session's
//! open. What it knows of today's trades is the journal's orders, so a journal it cannot
//! read fails the run instead of guessing.

use std::sync::Arc;

use trading_core::calendar;
use trading_core::protocol::{Command, JobAccount};

use super::Scheduler;
use crate::journal::{JournalError, NewRun, RunRow, Trigger};
use crate::notify::Urgency;

/// Which accounts of a run trade now.
#[derive(Debug)]
pub enum Split {
    /// These accounts trade now (the others, if any, were deferred).
    Trade(Vec<JobAccount>),
    /// Every account was deferred; the note says to which run.
    NoneLeft(String),
}

/// Splits a rebalance's accounts into those that trade now and those deferred to the next
/// open, journaling the deferred run.
pub async fn defer_traded_accounts(
    scheduler: &Arc<Scheduler>,
    run: &RunRow,
    accounts: Vec<JobAccount>,
) -> Result<Split, JournalError> {
    if run.command != Command::Rebalance {
        return Ok(Split::Trade(accounts));
    }
    let now = scheduler.now();
    let Some(day_start) = calendar::new_york_day_start(now) else {
        return Ok(Split::Trade(accounts));
    };
    let since = (day_start.unix_timestamp_nanos() / 1_000_000) as i64;
    let protected: Vec<bool> = {
        let table = scheduler.table.read().await;
        accounts
            .iter()
            .map(|a| table.is_pdt_protected(&a.account_id))
            .collect()
    };
    let mut trade_now = Vec::new();
    let mut later = Vec::new();
    for (account, protected) in accounts.into_iter().zip(protected) {
        if protected
            && scheduler
                .journal
                .traded_since(&account.account_id, since)
                .await?
        {
            later.push(account.account_id.clone());
        } else {
            trade_now.push(account);
        }
    }
    if later.is_empty() {
        return Ok(Split::Trade(trade_now));
    }
    let Some(open) = calendar::next_open(now) else {
        return Ok(Split::Trade(trade_now));
    };
    let when = ((open + scheduler.settings.supervisor.open_delay).unix_timestamp_nanos()
        / 1_000_000) as i64;
    let deferred = NewRun {
        strategy: run.strategy.clone(),
        command: run.command,
        trigger: Trigger::Pdt,
        attempt: run.attempt,
        accounts: later.clone(),
        not_before: Some(when),
        retry_of: Some(run.id.clone()),
    };
    let id = scheduler.journal.create_run(deferred).await?;
    scheduler.arm(id.clone(), when);
    let note = format!(
        "PDT protection: {} traded today; deferred to run {id} at the next open",
        later.join(", ")
    );
    tracing::warn!(strategy = %run.strategy, run_id = %run.id, "{note}");
    scheduler.notifier.send(
        format!("{}: rebalance deferred", run.strategy),
        note.clone(),
        Urgency::Low,
    );
    if trade_now.is_empty() {
        Ok(Split::NoneLeft(note))
    } else {
        Ok(Split::Trade(trade_now))
    }
}
