//! systemd integration: readiness, stopping and watchdog pings (no-ops outside systemd).

use std::time::Duration;

use sd_notify::NotifyState;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Tells systemd the daemon is ready.
pub fn ready() {
    if let Err(err) = sd_notify::notify(false, &[NotifyState::Ready]) {
        tracing::debug!(%err, "sd_notify READY not sent");
    }
}

/// Tells systemd the daemon is stopping.
pub fn stopping() {
    let _ = sd_notify::notify(false, &[NotifyState::Stopping]);
}

/// Pings the watchdog at half its interval until `stop`, when systemd asked for one.
pub fn watchdog(stop: CancellationToken) -> JoinHandle<()> {
    let mut usec = 0u64;
    let enabled = sd_notify::watchdog_enabled(false, &mut usec);
    tokio::spawn(async move {
        if !enabled || usec == 0 {
            return;
        }
        let every = Duration::from_micros(usec / 2);
        loop {
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(every) => {
                    let _ = sd_notify::notify(false, &[NotifyState::Watchdog]);
                }
            }
        }
    })
}
