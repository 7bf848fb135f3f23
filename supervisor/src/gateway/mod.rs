//! The gateway watch: the supervisor probes IB Gateway on its own client id every
//! `gateway.probe_interval_seconds`, keeps what it found and since when, tells the owner of
//! every change, and lets runs wait while the gateway is not up.

mod probe;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use trading_core::control::{GatewayHealth, GatewayStatus};

pub use probe::probe;

use crate::clock::{now_ms, rfc3339};

/// The client id the supervisor's probe uses: above any account's digits, beside
/// [`crate::preflight::CHECK_CLIENT_ID`].
pub const PROBE_CLIENT_ID: i32 = 2_000_000_002;

/// What the watch knows: the last health found and when it began and was last seen.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Known {
    health: GatewayHealth,
    since_ms: Option<i64>,
    checked_ms: Option<i64>,
}

/// The one owner of the gateway's observed state.
pub struct GatewayWatch {
    known: watch::Sender<Known>,
}

/// A change of state, for the log and the notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The state before.
    pub before: GatewayHealth,
    /// The state now.
    pub now: GatewayHealth,
    /// When the new state was seen first (RFC 3339).
    pub since: String,
}

impl Change {
    /// Whether a person should hear of it: every change but the first probe finding the
    /// gateway up.
    pub fn worth_telling(&self) -> bool {
        !(self.before == GatewayHealth::Unknown && self.now.allows_runs())
    }

    /// The notification's title and body.
    pub fn message(&self) -> (String, String) {
        if self.now.allows_runs() {
            (
                "IB Gateway is up again".to_string(),
                format!(
                    "up since {} (it was {}); runs waiting for it start now",
                    self.since,
                    self.before.name()
                ),
            )
        } else {
            (
                format!("IB Gateway {}", self.now.name()),
                format!(
                    "{} since {}: {}; runs wait until it is up",
                    self.now.name(),
                    self.since,
                    self.now.advice()
                ),
            )
        }
    }
}

impl GatewayWatch {
    /// A watch that has not probed yet.
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            known: watch::channel(Known {
                health: GatewayHealth::Unknown,
                since_ms: None,
                checked_ms: None,
            })
            .0,
        })
    }

    /// Records a probe's result at `now_ms`; returns the change, when the state changed.
    pub fn record(&self, health: GatewayHealth, now_ms: i64) -> Option<Change> {
        let mut change = None;
        self.known.send_modify(|known| {
            known.checked_ms = Some(now_ms);
            if known.health != health {
                change = Some(Change {
                    before: std::mem::replace(&mut known.health, health.clone()),
                    now: health,
                    since: rfc3339(now_ms),
                });
                known.since_ms = Some(now_ms);
            }
        });
        change
    }

    /// The state as `supervisor status` shows it.
    pub fn status(&self) -> GatewayStatus {
        let known = self.known.borrow();
        GatewayStatus {
            health: known.health.clone(),
            since: known.since_ms.map(rfc3339),
            checked_at: known.checked_ms.map(rfc3339),
        }
    }

    /// What makes the daemon unhealthy at `now_ms`: the gateway not up for `after` or
    /// longer while the market is open.
    pub fn problem(&self, after: Duration, now_ms: i64, market_open: bool) -> Option<String> {
        let known = self.known.borrow();
        let after_ms = i64::try_from(after.as_millis()).unwrap_or(i64::MAX);
        let since = known.since_ms?;
        (market_open && !known.health.allows_runs() && now_ms - since >= after_ms).then(|| {
            format!(
                "IB Gateway is {} since {}: {}",
                known.health.name(),
                rfc3339(since),
                known.health.advice()
            )
        })
    }

    /// Waits until runs may start (the gateway is up, or not probed yet), at most `limit`;
    /// returns whether they may.
    pub async fn wait_until_up(&self, limit: Duration) -> bool {
        let mut known = self.known.subscribe();
        tokio::time::timeout(limit, known.wait_for(|k| k.health.allows_runs()))
            .await
            .is_ok_and(|seen| seen.is_ok())
    }
}

/// What a watch loop needs.
pub struct WatchSetup {
    /// The gateway settings (host, timeouts, probe interval).
    pub settings: trading_core::config::GatewaySettings,
    /// The gateway port.
    pub port: u16,
    /// The accounts the gateway must manage.
    pub traded: Vec<String>,
    /// The connection cap every gateway connection counts in.
    pub permits: Arc<tokio::sync::Semaphore>,
    /// Ends the loop.
    pub shutdown: CancellationToken,
}

/// Probes the gateway until shutdown, recording each result in `watch` and handing each
/// change worth telling to `on_change`.
pub async fn run(watch: Arc<GatewayWatch>, setup: WatchSetup, on_change: impl Fn(Change)) {
    loop {
        let permit = tokio::select! {
            permit = setup.permits.clone().acquire_owned() => permit,
            () = setup.shutdown.cancelled() => return,
        };
        let Ok(_permit) = permit else { return };
        let health = tokio::select! {
            health = probe(&setup.settings, setup.port, PROBE_CLIENT_ID, &setup.traded) => health,
            () = setup.shutdown.cancelled() => return,
        };
        drop(_permit);
        if let Some(change) = watch.record(health, now_ms()) {
            if change.now.allows_runs() {
                tracing::info!(before = change.before.name(), "IB Gateway is up");
            } else {
                tracing::warn!(state = change.now.name(), advice = %change.now.advice(), "IB Gateway is not up");
            }
            if change.worth_telling() {
                on_change(change);
            }
        }
        tokio::select! {
            () = tokio::time::sleep(setup.settings.probe_interval) => {}
            () = setup.shutdown.cancelled() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_reported_once_with_its_start() {
        let watch = GatewayWatch::new();
        let up = GatewayHealth::Up {
            server_version: 223,
        };
        let first = watch.record(up.clone(), 1_000).expect("unknown → up");
        assert_eq!(first.before, GatewayHealth::Unknown);
        assert!(!first.worth_telling(), "finding it up at start is no news");
        assert!(
            watch.record(up.clone(), 61_000).is_none(),
            "no change, no report"
        );
        let down = watch
            .record(GatewayHealth::LoggedOut, 121_000)
            .expect("up → logged out");
        let (title, body) = down.message();
        assert_eq!(title, "IB Gateway logged out");
        assert!(body.contains("approve the IB Key login"), "{body}");
        let status = watch.status();
        assert_eq!(status.health, GatewayHealth::LoggedOut);
        assert_eq!(status.since, Some(rfc3339(121_000)));
        assert_eq!(status.checked_at, Some(rfc3339(121_000)));
        let after = Duration::from_secs(600);
        assert_eq!(
            watch.problem(after, 600_000, true),
            None,
            "not down long enough"
        );
        assert_eq!(
            watch.problem(after, 721_000, false),
            None,
            "the market is closed"
        );
        let problem = watch
            .problem(after, 721_000, true)
            .expect("down ten minutes");
        assert!(
            problem.starts_with("IB Gateway is logged out since"),
            "{problem}"
        );
        assert!(down.worth_telling());
        let back = watch.record(up, 800_000).expect("logged out → up");
        assert!(back.worth_telling());
        assert_eq!(back.message().0, "IB Gateway is up again");
    }

    #[tokio::test]
    async fn runs_wait_while_the_gateway_is_down_and_go_when_it_is_up() {
        let watch = GatewayWatch::new();
        assert!(
            watch.wait_until_up(Duration::ZERO).await,
            "not probed yet: go"
        );
        watch.record(GatewayHealth::Hung, 1);
        assert!(!watch.wait_until_up(Duration::from_millis(20)).await);
        let waiting = {
            let watch = watch.clone();
            tokio::spawn(async move { watch.wait_until_up(Duration::from_secs(10)).await })
        };
        watch.record(
            GatewayHealth::Up {
                server_version: 223,
            },
            2,
        );
        assert!(waiting.await.unwrap());
    }
}
