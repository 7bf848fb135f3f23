//! `cancel`: stop a running run or drop a queued one.

use trading_core::control::Response;

use crate::daemon::Daemon;

/// Cancels run `id`.
pub async fn handle(daemon: &Daemon, id: &str) -> Response {
    match daemon.scheduler.cancel(id).await {
        Ok(()) => Response::Cancelled {
            run_id: id.to_string(),
        },
        Err(err) => super::error(err),
    }
}
