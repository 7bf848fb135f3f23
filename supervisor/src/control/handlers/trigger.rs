//! `trigger`: a manual run, coalesced like an event; now, or with `at_open` in market hours.

use trading_core::control::Response;
use trading_core::protocol::Command;

use crate::daemon::Daemon;
use crate::journal::Trigger;

/// Submits a manual run.
pub async fn handle(
    daemon: &Daemon,
    strategy: &str,
    command: Command,
    accounts: &[String],
    at_open: bool,
) -> Response {
    match daemon
        .scheduler
        .submit(strategy, command, accounts, Trigger::Manual, None, at_open)
        .await
    {
        Ok(submitted) => Response::Accepted {
            run_id: submitted.run_id,
            queued: submitted.queued,
        },
        Err(err) => super::error(err),
    }
}
