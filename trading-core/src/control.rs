//! The supervisor's control protocol: one JSON request per line on its Unix socket, one
//! JSON response line back. Shared by the daemon and its command-line clients.

use serde::{Deserialize, Serialize};

use crate::protocol::{Command, Outcome};

/// Largest request line the daemon reads.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// What a client asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// Health and per-strategy state.
    Status {},
    /// Start a run by hand (coalesced like an event).
    Trigger {
        /// Strategy.
        strategy: String,
        /// Command [default: rebalance].
        #[serde(default = "default_command")]
        command: Command,
        /// Only these accounts (empty: all of the strategy's).
        #[serde(default)]
        accounts: Vec<String>,
        /// Wait for market hours (the next session's open when the market is closed)
        /// instead of running now.
        #[serde(default)]
        at_open: bool,
        /// A person confirms the strategy's current targets: its next rebalance skips the
        /// weight-drop guard (`allocations.max_weight_drop`).
        #[serde(default)]
        confirm_targets: bool,
    },
    /// Recent runs, newest first.
    Runs {
        /// Only this strategy.
        #[serde(default)]
        strategy: Option<String>,
        /// At most this many [default: 20].
        #[serde(default = "default_limit")]
        limit: u32,
    },
    /// One run with its accounts and orders.
    Run {
        /// Run id.
        id: String,
    },
    /// Run a finished run's failed accounts again.
    Retry {
        /// Run id.
        id: String,
    },
    /// Stop a running run or drop a queued one.
    Cancel {
        /// Run id.
        id: String,
    },
    /// Hold new runs of a strategy (or of all): events are still journaled.
    Pause {
        /// The strategy [default: all].
        #[serde(default)]
        strategy: Option<String>,
    },
    /// Release a paused strategy (or all) and its held runs.
    Resume {
        /// The strategy [default: all].
        #[serde(default)]
        strategy: Option<String>,
    },
    /// Keep the connection open and stream what happens: after the `subscribed` answer,
    /// one [`LiveEvent`] per line until the client hangs up.
    Subscribe {},
}

fn default_command() -> Command {
    Command::Rebalance
}

fn default_limit() -> u32 {
    20
}

/// The daemon's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "response", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Response {
    /// For `status`.
    Status(StatusReport),
    /// For `trigger` and `retry`: the run created or joined.
    Accepted {
        /// Run id.
        run_id: String,
        /// True when it became the follow-up of a running run (or joined one already queued).
        queued: bool,
    },
    /// For `runs`.
    Runs {
        /// Newest first.
        runs: Vec<RunSummary>,
    },
    /// For `run`.
    Run(Box<RunDetail>),
    /// For `cancel`.
    Cancelled {
        /// Run id.
        run_id: String,
    },
    /// For `pause` and `resume`.
    Paused {
        /// Strategies paused now (`*` for all).
        paused: Vec<String>,
        /// Held runs released by a resume.
        released: Vec<String>,
    },
    /// For `subscribe`: [`LiveEvent`] lines follow.
    Subscribed {},
    /// Anything that failed.
    Error {
        /// Why.
        message: String,
    },
}

/// What a `subscribe` streams, one JSON line each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LiveEvent {
    /// A run was created or changed state; this is the run now.
    Run {
        /// The run.
        run: RunSummary,
    },
    /// An order was placed, or its status or fills changed.
    Order {
        /// The run that placed it.
        run_id: String,
        /// The order now.
        order: OrderRow,
    },
    /// The subscriber fell behind and missed this many events: read the state again.
    Missed {
        /// Events missed.
        count: u64,
    },
}

/// Health and state of the daemon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusReport {
    /// False when something needs attention (see `problems`).
    pub healthy: bool,
    /// What needs attention.
    pub problems: Vec<String>,
    /// The Ably link, e.g. `connected`.
    pub realtime: String,
    /// Gateway connections leased now.
    pub gateway_connections: u32,
    /// The configured cap.
    pub gateway_connection_cap: u32,
    /// What the supervisor's gateway probe last found, and since when.
    #[serde(default)]
    pub gateway: GatewayStatus,
    /// Per strategy, by name.
    pub strategies: Vec<StrategyStatus>,
}

/// The gateway as the supervisor's probe sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum GatewayHealth {
    /// Not probed yet.
    Unknown,
    /// Logged in, answering, managing every traded account.
    Up {
        /// Its API server version.
        server_version: i32,
    },
    /// It answers the handshake but is not logged in to IB (no managed accounts).
    LoggedOut,
    /// It accepts connections but does not answer.
    Hung,
    /// Connections are refused (not running, restarting, or the API is disabled).
    Refused {
        /// What the connection attempt said.
        reason: String,
    },
    /// It speaks an API version older than this rebalancer needs.
    TooOld {
        /// The version it speaks.
        found: i32,
        /// The version needed.
        needed: i32,
    },
    /// It is logged in, but not as the user of these traded accounts.
    AccountsMissing {
        /// The accounts it does not manage.
        accounts: Vec<String>,
    },
    /// Anything else went wrong.
    Failing {
        /// What.
        reason: String,
    },
}

impl GatewayHealth {
    /// Whether runs may start: up, or not probed yet.
    pub fn allows_runs(&self) -> bool {
        matches!(self, Self::Up { .. } | Self::Unknown)
    }

    /// The state's name, as `supervisor status` shows it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Up { .. } => "up",
            Self::LoggedOut => "logged out",
            Self::Hung => "hung",
            Self::Refused { .. } => "refusing connections",
            Self::TooOld { .. } => "too old",
            Self::AccountsMissing { .. } => "missing accounts",
            Self::Failing { .. } => "failing",
        }
    }

    /// What the state means and what a person can do about it.
    pub fn advice(&self) -> String {
        match self {
            Self::Unknown => "not probed yet".into(),
            Self::Up { server_version } => format!("API server version {server_version}"),
            Self::LoggedOut => {
                "it is not logged in: approve the IB Key login (or log in through VNC)".into()
            }
            Self::Hung => "it accepts connections but does not answer: restart IB Gateway".into(),
            Self::Refused { reason } => format!(
                "{reason}: is IB Gateway running with API connections enabled? (its daily restart takes a few minutes)"
            ),
            Self::TooOld { found, needed } => format!(
                "it speaks API server version {found}, this rebalancer needs {needed} or later: upgrade IB Gateway"
            ),
            Self::AccountsMissing { accounts } => format!(
                "it does not manage {}: log it in with the user that owns them, or fix accounts.yaml",
                accounts.join(", ")
            ),
            Self::Failing { reason } => reason.clone(),
        }
    }
}

/// The gateway's health and since when it has been so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GatewayStatus {
    /// What the last probe found.
    pub health: GatewayHealth,
    /// Since when (RFC 3339), when known.
    pub since: Option<String>,
    /// When it was last probed (RFC 3339).
    pub checked_at: Option<String>,
}

impl Default for GatewayStatus {
    fn default() -> Self {
        Self {
            health: GatewayHealth::Unknown,
            since: None,
            checked_at: None,
        }
    }
}

/// One strategy's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StrategyStatus {
    /// Strategy name (= channel).
    pub name: String,
    /// Its enabled accounts.
    pub accounts: Vec<String>,
    /// Whether its channel is attached.
    pub subscribed: bool,
    /// Whether its new runs are held (`supervisor pause`).
    pub paused: bool,
    /// When its last event arrived (RFC 3339).
    pub last_event_at: Option<String>,
    /// The run in progress.
    pub running: Option<String>,
    /// The follow-up run waiting for it.
    pub queued: Option<String>,
    /// A run waiting for a later time (the next session, a retry), with that time.
    pub scheduled: Option<RunSummary>,
    /// The last finished run and its state.
    pub last_result: Option<RunSummary>,
    /// Something the operator should know, such as an interrupted run being resumed.
    #[serde(default)]
    pub note: Option<String>,
}

/// A run in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunSummary {
    /// Run id.
    pub id: String,
    /// Strategy.
    pub strategy: String,
    /// Command.
    pub command: Command,
    /// `event`, `manual`, `retry`, `recovery`, `pdt` or `catch-up`.
    pub trigger: String,
    /// `scheduled`, `held`, `queued`, `running`, `succeeded`, `failed`, `interrupted`,
    /// `cancelled` or `expired`.
    pub state: String,
    /// 1 for the first run, 2+ for retries of the same work.
    pub attempt: u32,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When a scheduled run is due to start (RFC 3339).
    pub not_before: Option<String>,
    /// When it finished (RFC 3339).
    pub finished_at: Option<String>,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// The run this one retries or recovers: the previous attempt of the same work.
    #[serde(default)]
    pub retry_of: Option<String>,
}

/// A run with everything recorded about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunDetail {
    /// The run.
    pub run: RunSummary,
    /// The accounts it covers.
    pub accounts: Vec<String>,
    /// The targets it traded against, once a worker fetched them.
    #[serde(default)]
    pub targets: Option<Vec<crate::allocations::Allocation>>,
    /// How each account ended.
    pub results: Vec<AccountOutcome>,
    /// Orders seen.
    pub orders: Vec<OrderRow>,
}

/// One account's end in a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountOutcome {
    /// Account.
    pub account: String,
    /// Ok or error.
    pub outcome: Outcome,
}

/// One order as journaled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderRow {
    /// Account.
    pub account: String,
    /// Broker order id.
    pub order_id: i64,
    /// Symbol.
    pub symbol: String,
    /// `BUY` or `SELL`.
    pub action: String,
    /// Shares ordered.
    pub quantity: u64,
    /// Last status.
    pub status: String,
    /// Shares filled.
    pub filled: f64,
    /// Average fill price.
    pub avg_fill_price: Option<f64>,
    /// Commissions reported so far (USD); none for orders journaled before they were kept.
    #[serde(default)]
    pub commission: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_tagged_json() {
        let request: Request =
            serde_json::from_str(r#"{"request":"trigger","strategy":"s"}"#).unwrap();
        assert_eq!(
            request,
            Request::Trigger {
                strategy: "s".into(),
                command: Command::Rebalance,
                accounts: vec![],
                at_open: false,
                confirm_targets: false,
            }
        );
        let runs: Request = serde_json::from_str(r#"{"request":"runs"}"#).unwrap();
        assert_eq!(
            runs,
            Request::Runs {
                strategy: None,
                limit: 20
            }
        );
        assert!(serde_json::from_str::<Request>(r#"{"request":"status","extra":1}"#).is_err());
        assert!(serde_json::from_str::<Request>(r#"{"request":"reboot"}"#).is_err());
    }
}
