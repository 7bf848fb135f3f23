//! Stopping the real binaries that tests and the demo start: SIGTERM, then a bounded wait.

use std::process::ExitStatus;
use std::time::Duration;

use anyhow::{Context, Result};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use tokio::process::Child;

/// Sends SIGTERM to `child`; nothing when it has already been reaped.
pub fn sigterm(child: &Child) -> Result<()> {
    if let Some(pid) = child.id() {
        let pid = i32::try_from(pid).context("pid out of range")?;
        kill(Pid::from_raw(pid), Signal::SIGTERM).context("sending SIGTERM")?;
    }
    Ok(())
}

/// Sends SIGTERM to `child` and waits up to `within` for it to exit.
pub async fn terminate(child: &mut Child, within: Duration) -> Result<ExitStatus> {
    sigterm(child)?;
    tokio::time::timeout(within, child.wait())
        .await
        .with_context(|| format!("still running {within:?} after SIGTERM"))?
        .context("waiting for the process")
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::ExitStatusExt;

    use super::*;

    #[tokio::test]
    async fn a_sleeping_child_is_ended_by_sigterm() {
        let mut child = tokio::process::Command::new("sleep")
            .arg("60")
            .spawn()
            .unwrap();
        let status = terminate(&mut child, Duration::from_secs(10))
            .await
            .unwrap();
        assert_eq!(status.signal(), Some(Signal::SIGTERM as i32));
    }
}
