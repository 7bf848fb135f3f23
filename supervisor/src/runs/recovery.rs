//! What a previous supervisor left, picked up in one pass at start. The pass is idempotent:
//! run twice (or after a crash in the middle of it) it creates nothing twice, because each
//! interrupted run gets at most one next attempt ([`Journal::create_next_attempt`]) and the
//! scheduler refuses a run it already holds.
//!
//! 1. Runs still `running` were cut short by a crash: they become `interrupted`.
//! 2. Each `interrupted` run without a next attempt gets one for its unfinished accounts
//!    (those without an ok or a final outcome): a `recovery` run with the next attempt
//!    number, at once or at the next session's open, announced. One older than
//!    `max_event_age_hours` gets an `expired` attempt instead, announced too.
//! 3. `queued` runs are started or queued (rebalances outside market hours move to the next
//!    session), `scheduled` runs armed for their time.
//! 4. Events received and never given a run are submitted, or expired when too old.
//!
//! [`Journal::create_next_attempt`]: crate::journal::Journal::create_next_attempt

use std::sync::Arc;

use trading_core::protocol::Outcome;

use super::Scheduler;
use super::execute::final_failure;
use crate::clock::{now_ms, rfc3339};
use crate::journal::{JournalError, NewRun, RunRow, RunState, StateChange, Trigger};
use crate::notify::Urgency;

/// What one recovery pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Recovered {
    /// Runs a crash left `running`, now `interrupted`.
    pub interrupted: Vec<String>,
    /// The recovery attempts created: (interrupted run, new run).
    pub resumed: Vec<(String, String)>,
    /// Interrupted runs too old to resume: (interrupted run, expired attempt).
    pub expired: Vec<(String, String)>,
    /// Waiting runs put back in line.
    pub requeued: Vec<String>,
    /// Events never run, now submitted.
    pub events_submitted: usize,
    /// Events never run, too old: expired.
    pub events_expired: usize,
}

/// Picks up what a previous supervisor left (see the module docs).
pub async fn recover(scheduler: &Arc<Scheduler>) -> Result<Recovered, JournalError> {
    let mut done = Recovered::default();
    let journal = scheduler.journal();
    for run in journal.runs_in(&[RunState::Running]).await? {
        tracing::warn!(strategy = %run.strategy, run_id = %run.id, "run cut short by a supervisor crash");
        journal
            .transition(
                &run.id,
                StateChange::ended(
                    RunState::Interrupted,
                    None,
                    Some("the supervisor died during the run".into()),
                ),
            )
            .await?;
        done.interrupted.push(run.id);
    }
    for run in journal.runs_in(&[RunState::Interrupted]).await? {
        resume_interrupted(scheduler, &run, &mut done).await?;
    }
    for run in journal
        .runs_in(&[RunState::Queued, RunState::Scheduled])
        .await?
    {
        match run.state {
            RunState::Scheduled => scheduler.arm(run.id.clone(), run.not_before.unwrap_or(0)),
            _ => {
                if let Err(err) = scheduler.release(&run).await {
                    tracing::error!(strategy = %run.strategy, run_id = %run.id, %err, "cannot put a queued run back in line");
                    continue;
                }
            }
        }
        done.requeued.push(run.id);
    }
    submit_unserved_events(scheduler, &mut done).await?;
    Ok(done)
}

/// Creates the next attempt of interrupted run `run`, unless it has one or nothing is left.
async fn resume_interrupted(
    scheduler: &Arc<Scheduler>,
    run: &RunRow,
    done: &mut Recovered,
) -> Result<(), JournalError> {
    let journal = scheduler.journal();
    let outcomes = journal.account_outcomes(&run.id).await?;
    let finished = |account: &str| {
        outcomes.iter().any(|o| {
            o.account == account
                && match &o.outcome {
                    Outcome::Ok => true,
                    Outcome::Error { kind, .. } => final_failure(*kind).is_some(),
                }
        })
    };
    let unfinished: Vec<String> = run
        .accounts
        .iter()
        .filter(|a| !finished(a))
        .cloned()
        .collect();
    if unfinished.is_empty() {
        return Ok(());
    }
    let interrupted_at = run.finished_at.unwrap_or(run.created_at);
    let max_age = scheduler.settings().supervisor.max_event_age;
    let too_old = now_ms() - interrupted_at > max_age.as_millis() as i64;
    let not_before = scheduler.start_time(run.command);
    let next = NewRun::next_attempt(
        run,
        Trigger::Recovery,
        unfinished.clone(),
        if too_old { None } else { not_before },
    );
    let expired = too_old.then(|| {
        format!(
            "run {} was cut short at {}, more than {} h ago: not resumed; check {} and trigger a run by hand",
            run.id,
            rfc3339(interrupted_at),
            max_age.as_secs() / 3600,
            unfinished.join(", ")
        )
    });
    let Some(id) = journal
        .create_next_attempt(&run.id, next, expired.clone())
        .await?
    else {
        return Ok(());
    };
    let (title, body) = match (&expired, not_before) {
        (Some(reason), _) => {
            tracing::error!(strategy = %run.strategy, run_id = %run.id, expired = %id, "{reason}");
            done.expired.push((run.id.clone(), id));
            (
                format!("{}: interrupted run not resumed", run.strategy),
                reason.clone(),
            )
        }
        (None, when) => {
            let start = when.map_or_else(|| "now".to_string(), |w| format!("at {}", rfc3339(w)));
            let text = format!(
                "Run {} was cut short by a supervisor stop; accounts {} resume in run {id} (attempt {}) {start}.",
                run.id,
                unfinished.join(", "),
                run.attempt + 1
            );
            tracing::warn!(strategy = %run.strategy, run_id = %run.id, next = %id, "{text}");
            done.resumed.push((run.id.clone(), id));
            (format!("{}: interrupted run resumed", run.strategy), text)
        }
    };
    scheduler.notifier().send(title, body, Urgency::High);
    Ok(())
}

/// Submits events a previous supervisor journaled and never gave a run; expires old ones.
async fn submit_unserved_events(
    scheduler: &Arc<Scheduler>,
    done: &mut Recovered,
) -> Result<(), JournalError> {
    let journal = scheduler.journal();
    let max_age = scheduler.settings().supervisor.max_event_age;
    for event in journal.unserved_events().await? {
        if now_ms() - event.received_at > max_age.as_millis() as i64 {
            let reason = format!(
                "event {} was received at {}, more than {} h ago, and never run: not traded",
                event.message_id,
                rfc3339(event.received_at),
                max_age.as_secs() / 3600
            );
            let accounts = scheduler
                .table()
                .await
                .accounts(&event.strategy)
                .map(|a| a.iter().map(|x| x.account_id.clone()).collect())
                .unwrap_or_default();
            let run = NewRun::first(&event.strategy, event.command, Trigger::Event, accounts);
            let id = journal.create_expired_run(run, reason.clone()).await?;
            journal.link_event(event.id, &id).await?;
            tracing::warn!(strategy = %event.strategy, run_id = %id, "{reason}");
            scheduler.notifier().send(
                format!("{}: event expired", event.strategy),
                reason,
                Urgency::High,
            );
            done.events_expired += 1;
            continue;
        }
        tracing::info!(strategy = %event.strategy, message_id = %event.message_id, "event received before a stop; running it now");
        match scheduler
            .submit(
                &event.strategy,
                event.command,
                &[],
                Trigger::Event,
                Some(event.id),
                false,
            )
            .await
        {
            Ok(_) => done.events_submitted += 1,
            Err(err) => {
                tracing::warn!(strategy = %event.strategy, %err, "recovered event not run")
            }
        }
    }
    Ok(())
}
