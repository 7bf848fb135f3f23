//! Stopping a worker's whole process group.

use std::process::ExitStatus;
use std::time::Duration;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use tokio::process::Child;

/// Sends SIGTERM to the worker's process group, waits up to `grace` for it to exit, then
/// sends SIGKILL; always reaps it.
pub async fn stop(child: &mut Child, grace: Duration) -> std::io::Result<ExitStatus> {
    if let Some(pid) = child.id() {
        let group = Pid::from_raw(pid as i32);
        if let Err(err) = killpg(group, Signal::SIGTERM) {
            tracing::warn!(pid, %err, "cannot SIGTERM the worker's process group");
        }
        if let Ok(status) = tokio::time::timeout(grace, child.wait()).await {
            return status;
        }
        tracing::warn!(
            pid,
            grace_seconds = grace.as_secs_f64(),
            "worker ignored SIGTERM; sending SIGKILL"
        );
        if let Err(err) = killpg(group, Signal::SIGKILL) {
            tracing::warn!(pid, %err, "cannot SIGKILL the worker's process group");
        }
    }
    child.wait().await
}
