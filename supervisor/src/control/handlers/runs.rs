//! `runs` and `run`: the journal's view of runs.

use trading_core::control::Response;

use crate::daemon::Daemon;
use crate::journal::RunFilter;

/// Recent runs.
pub async fn list(daemon: &Daemon, strategy: Option<String>, limit: u32) -> Response {
    match daemon
        .scheduler
        .journal()
        .recent_runs(&RunFilter::latest(strategy, limit.min(1000)))
        .await
    {
        Ok(runs) => Response::Runs {
            runs: runs.iter().map(|r| r.summary()).collect(),
        },
        Err(err) => super::error(err),
    }
}

/// One run with its accounts and orders.
pub async fn detail(daemon: &Daemon, id: &str) -> Response {
    match daemon.scheduler.journal().run_detail(id).await {
        Ok(Some(detail)) => Response::Run(Box::new(detail)),
        Ok(None) => super::error(format!("no run `{id}`")),
        Err(err) => super::error(err),
    }
}
