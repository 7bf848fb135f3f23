//! `retry`: the next attempt of a finished run's unfinished accounts, in market hours.

use trading_core::control::Response;
use trading_core::protocol::Outcome;

use crate::daemon::Daemon;
use crate::journal::RunState;

/// Submits the next attempt of run `id` for its accounts that did not end ok (all of them if
/// none reported); a rebalance outside market hours waits for the next session.
pub async fn handle(daemon: &Daemon, id: &str) -> Response {
    let journal = daemon.scheduler.journal();
    let run = match journal.run(id).await {
        Ok(Some(run)) => run,
        Ok(None) => return super::error(format!("no run `{id}`")),
        Err(err) => return super::error(err),
    };
    if !matches!(
        run.state,
        RunState::Failed | RunState::Interrupted | RunState::Cancelled | RunState::Expired
    ) {
        return super::error(format!(
            "run `{id}` is {}; only failed, interrupted, cancelled or expired runs are retried",
            run.state.name()
        ));
    }
    let outcomes = match journal.account_outcomes(id).await {
        Ok(outcomes) => outcomes,
        Err(err) => return super::error(err),
    };
    let accounts: Vec<String> = run
        .accounts
        .iter()
        .filter(|a| {
            !outcomes
                .iter()
                .any(|o| &o.account == *a && o.outcome == Outcome::Ok)
        })
        .cloned()
        .collect();
    match daemon.scheduler.retry_now(&run, accounts).await {
        Ok(submitted) => Response::Accepted {
            run_id: submitted.run_id,
            queued: submitted.queued,
        },
        Err(err) => super::error(err),
    }
}
