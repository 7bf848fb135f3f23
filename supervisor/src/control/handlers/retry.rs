//! `retry`: run a finished run's failed accounts again, now.

use trading_core::control::Response;
use trading_core::protocol::Outcome;

use crate::daemon::Daemon;
use crate::journal::RunState;

/// Submits a run of the failed accounts of run `id` (all its accounts if none reported).
pub async fn handle(daemon: &Daemon, id: &str) -> Response {
    let journal = &daemon.scheduler.journal;
    let run = match journal.run(id).await {
        Ok(Some(run)) => run,
        Ok(None) => return super::error(format!("no run `{id}`")),
        Err(err) => return super::error(err),
    };
    if !matches!(
        run.state,
        RunState::Failed | RunState::Interrupted | RunState::Cancelled
    ) {
        return super::error(format!(
            "run `{id}` is {}; only failed, interrupted or cancelled runs are retried",
            run.state.name()
        ));
    }
    let outcomes = match journal.account_outcomes(id).await {
        Ok(outcomes) => outcomes,
        Err(err) => return super::error(err),
    };
    let ok: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.outcome == Outcome::Ok)
        .map(|o| o.account.as_str())
        .collect();
    let accounts: Vec<String> = run
        .accounts
        .iter()
        .filter(|a| !ok.contains(&a.as_str()))
        .cloned()
        .collect();
    match daemon
        .scheduler
        .submit(&run.strategy, run.command, &accounts, "retry", None)
        .await
    {
        Ok(submitted) => Response::Accepted {
            run_id: submitted.run_id,
            queued: submitted.queued,
        },
        Err(err) => super::error(err),
    }
}
