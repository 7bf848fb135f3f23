//! Stopping: SIGTERM/SIGINT, the job's deadline, and the death of the parent process.

use std::time::Duration;

use tokio::signal::unix::{SignalKind, signal};
use tokio_util::sync::CancellationToken;

/// Cancels `stop` on SIGTERM or SIGINT.
pub fn on_signals(stop: CancellationToken) -> std::io::Result<()> {
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    tokio::spawn(async move {
        let name = tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        };
        stop.cancel();
        tracing::warn!("{name}: no new orders; cleaning up");
    });
    Ok(())
}

/// Cancels `stop` when `deadline` passes.
pub fn on_deadline(stop: CancellationToken, deadline: Duration) {
    tokio::spawn(async move {
        tokio::time::sleep(deadline).await;
        if !stop.is_cancelled() {
            tracing::warn!(
                deadline_seconds = deadline.as_secs_f64(),
                "job deadline reached: stopping"
            );
            stop.cancel();
        }
    });
}

/// Asks the kernel for SIGTERM when the parent (the supervisor) dies, so no worker outlives
/// it. Returns false when the parent is already gone.
pub fn die_with_parent() -> bool {
    let parent = nix::unistd::getppid();
    if let Err(err) = nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGTERM) {
        tracing::warn!(%err, "cannot ask for SIGTERM on parent death");
    }
    nix::unistd::getppid() == parent && parent.as_raw() != 1
}
