//! `pause` and `resume`: hold and release new runs, persisted in the journal.

use trading_core::control::Response;

use crate::daemon::Daemon;

/// Pauses a strategy, or all of them.
pub async fn pause(daemon: &Daemon, strategy: Option<String>) -> Response {
    let strategy = strategy.unwrap_or_else(|| "*".into());
    match daemon.scheduler.pause(&strategy).await {
        Ok(paused) => Response::Paused {
            paused,
            released: Vec::new(),
        },
        Err(err) => super::error(err),
    }
}

/// Resumes a strategy, or all of them, releasing held runs.
pub async fn resume(daemon: &Daemon, strategy: Option<String>) -> Response {
    let strategy = strategy.unwrap_or_else(|| "*".into());
    let released = match daemon.scheduler.resume(&strategy).await {
        Ok(released) => released,
        Err(err) => return super::error(err),
    };
    match daemon.scheduler.journal().paused().await {
        Ok(paused) => Response::Paused { paused, released },
        Err(err) => super::error(err),
    }
}
