//! `trigger`: a manual run, coalesced like an event.

use trading_core::control::Response;
use trading_core::protocol::Command;

use crate::daemon::Daemon;

/// Submits a manual run.
pub async fn handle(
    daemon: &Daemon,
    strategy: &str,
    command: Command,
    accounts: &[String],
) -> Response {
    match daemon
        .scheduler
        .submit(strategy, command, accounts, "manual", None)
        .await
    {
        Ok(submitted) => Response::Accepted {
            run_id: submitted.run_id,
            queued: submitted.queued,
        },
        Err(err) => super::error(err),
    }
}
