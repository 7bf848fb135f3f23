//! The worker protocol: one [`Job`] as JSON on the worker's stdin, [`Event`]s as JSON
//! lines on its stdout. Shared by the worker and the supervisor.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::broker::{AccountState, OpenOrder};
use crate::calculator::{AccountRules, Plan};
use crate::config::{Account, AccountType, Replacement, ReplacementSets, Settings};
use crate::executor::{AccountReport, OrderReport};

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// What a run does for each account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Command {
    /// Trade to the targets.
    Rebalance,
    /// Plan from live data; place nothing.
    PrintRebalance,
    /// List positions.
    PrintPositions,
    /// Show net liquidation, cash and buying power.
    PrintEquity,
    /// List working orders.
    PrintOrders,
    /// Cancel the account's working orders.
    CancelOrders,
}

impl Command {
    /// Every command, in the order help texts list them.
    pub const ALL: [Command; 6] = [
        Self::Rebalance,
        Self::PrintRebalance,
        Self::PrintPositions,
        Self::PrintEquity,
        Self::PrintOrders,
        Self::CancelOrders,
    ];

    /// The names of [`Command::ALL`], for command-line help.
    pub const NAMES: [&'static str; 6] = [
        "rebalance",
        "print-rebalance",
        "print-positions",
        "print-equity",
        "print-orders",
        "cancel-orders",
    ];

    /// Whether the command needs the strategy's target allocations.
    pub fn needs_targets(self) -> bool {
        matches!(self, Self::Rebalance | Self::PrintRebalance)
    }

    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Rebalance => "rebalance",
            Self::PrintRebalance => "print-rebalance",
            Self::PrintPositions => "print-positions",
            Self::PrintEquity => "print-equity",
            Self::PrintOrders => "print-orders",
            Self::CancelOrders => "cancel-orders",
        }
    }
}

impl std::str::FromStr for Command {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| {
                format!(
                    "unknown command `{name}`; expected one of {}",
                    Self::NAMES.join(", ")
                )
            })
    }
}

/// Secrets a job carries; never printed.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Secrets {
    /// The allocation API key.
    #[serde(default)]
    pub allocations_api_key: Option<String>,
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secrets(***)")
    }
}

/// One account of a job, with everything the worker needs to trade it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobAccount {
    /// IBKR account id.
    pub account_id: String,
    /// The gateway client id leased for this account's connection.
    pub client_id: i32,
    /// `paper` or `live`, from accounts.yaml; must match the job's `trading_mode`.
    pub account_type: AccountType,
    /// Percent of net liquidation kept in cash.
    #[serde(default)]
    pub cash_reserve_percent: f64,
    /// The account's replacement set, resolved.
    #[serde(default)]
    pub replacements: Vec<Replacement>,
    /// When the run retries attempts that may have traded this account: what they started
    /// from, so that positions lagging their executions are not bought again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earlier: Option<crate::executor::EarlierAttempts>,
}

impl JobAccount {
    /// `account` as a job carries it, with its replacement set resolved from `sets`.
    pub fn new(account: &Account, sets: &ReplacementSets, client_id: i32) -> Self {
        let rules = AccountRules::of(account, sets);
        Self {
            account_id: account.account_id.clone(),
            client_id,
            account_type: account.account_type,
            cash_reserve_percent: rules.cash_reserve_percent,
            replacements: rules.replacements,
            earlier: None,
        }
    }
}

/// One strategy run, as the supervisor hands it to a worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    /// Must equal [`PROTOCOL_VERSION`].
    pub version: u32,
    /// The run's id; in every event and order reference.
    pub run_id: String,
    /// Strategy name.
    pub strategy: String,
    /// What to do.
    pub command: Command,
    /// The accounts, each with its own client id.
    pub accounts: Vec<JobAccount>,
    /// The trading mode the run was started in: only accounts of this type are traded.
    pub trading_mode: AccountType,
    /// Gateway port (the host is `settings.gateway.host`).
    pub port: u16,
    /// Gateway, trading and allocation API settings.
    pub settings: Settings,
    /// Secrets.
    #[serde(default)]
    pub secrets: Secrets,
    /// The whole run must end within this many seconds; then it stops as on SIGTERM.
    pub deadline_seconds: f64,
    /// The run's targets, when an earlier worker of the same run fetched them: every batch
    /// of a run trades against the same targets. Absent: the worker fetches them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<crate::allocations::Allocation>>,
    /// The targets of the strategy's last successful rebalance: a rebalance whose targets
    /// total drops more than `allocations.max_weight_drop` below them is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_targets: Option<crate::allocations::PreviousTargets>,
    /// A person confirmed the targets (`supervisor trigger --confirm-targets`): no guard.
    #[serde(default)]
    pub confirm_targets: bool,
}

impl Job {
    /// Checks what serde cannot: version, ids, client ids and deadline.
    pub fn validate(&self) -> Result<(), String> {
        if self.version != PROTOCOL_VERSION {
            return Err(format!(
                "job version {} is not supported (this worker speaks {PROTOCOL_VERSION})",
                self.version
            ));
        }
        if self.run_id.is_empty() || self.run_id.contains(':') {
            return Err("run_id must be non-empty and contain no `:`".into());
        }
        if self.accounts.is_empty() {
            return Err("accounts is empty".into());
        }
        for (index, account) in self.accounts.iter().enumerate() {
            if account.account_id.is_empty() || account.account_id.contains(':') {
                return Err(format!(
                    "accounts[{index}].account_id must be non-empty and contain no `:`"
                ));
            }
            if self.accounts[..index]
                .iter()
                .any(|a| a.account_id == account.account_id)
            {
                return Err(format!(
                    "accounts[{index}].account_id `{}` is listed twice",
                    account.account_id
                ));
            }
            if self.accounts[..index]
                .iter()
                .any(|a| a.client_id == account.client_id)
            {
                return Err(format!(
                    "accounts[{index}].client_id {} is used twice",
                    account.client_id
                ));
            }
            if !(0.0..=100.0).contains(&account.cash_reserve_percent) {
                return Err(format!(
                    "accounts[{index}].cash_reserve_percent must be from 0 to 100"
                ));
            }
        }
        if !(self.deadline_seconds.is_finite() && self.deadline_seconds > 0.0) {
            return Err("deadline_seconds must be greater than 0".into());
        }
        Ok(())
    }
}

/// Why an account failed, for machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ErrorKind {
    /// The gateway could not be reached.
    Connect,
    /// The gateway refused the client id.
    ClientIdInUse,
    /// A gateway request failed or the connection dropped.
    Gateway,
    /// The allocations could not be fetched or were invalid.
    Allocations,
    /// No plan could be made (bad quotes, bad snapshot).
    Plan,
    /// Earlier runs' orders could not be cancelled.
    StaleOrders,
    /// Working orders placed by hand or by another tool are on symbols the plan trades.
    ForeignOrders,
    /// The positions agree neither with the state before earlier attempts of the run nor
    /// with it after their executions. Nothing was placed.
    PositionsUnreconciled,
    /// A risk guard refused the account: a limit was exceeded, or its type does not match
    /// the run's trading mode. Nothing was placed.
    RiskLimit,
    /// Some orders were rejected.
    OrdersRejected,
    /// Some orders did not fill in time.
    OrdersUnfilled,
    /// A stop (signal or deadline) cut the account short.
    Stopped,
    /// The account's task panicked.
    Panic,
}

/// How an account ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Outcome {
    /// Everything asked for was done.
    Ok,
    /// Something failed.
    Error {
        /// What kind of failure.
        kind: ErrorKind,
        /// For people.
        message: String,
    },
}

/// When in a run an account snapshot was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SnapshotPhase {
    /// Before the run's trades: what its first plan saw.
    #[default]
    Before,
    /// After them: what the rebalance left.
    After,
}

impl SnapshotPhase {
    /// The phase's name, as the journal stores it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Before => "before",
            Self::After => "after",
        }
    }
}

/// What a command produced for one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AccountResult {
    /// A rebalance or print-rebalance.
    Rebalance(AccountReport),
    /// print-positions and print-equity: balances and positions.
    Account(AccountState),
    /// print-orders: working orders.
    Orders {
        /// The orders.
        orders: Vec<OpenOrder>,
    },
    /// cancel-orders: what was cancelled and what could not be.
    Cancelled {
        /// Orders cancelled.
        cancelled: Vec<OpenOrder>,
        /// Orders still working after the attempt.
        still_working: Vec<OpenOrder>,
    },
}

/// One line of the worker's stdout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The run.
    pub run_id: String,
    /// When, RFC 3339 UTC.
    pub ts: String,
    /// What happened.
    #[serde(flatten)]
    pub body: EventBody,
}

/// The kinds of event, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventBody {
    /// The run began.
    Started {
        /// Strategy.
        strategy: String,
        /// Command.
        command: Command,
        /// Accounts in the run.
        accounts: Vec<String>,
    },
    /// The worker fetched the run's targets (not sent when the job carried them).
    Targets {
        /// The validated allocations.
        targets: Vec<crate::allocations::Allocation>,
    },
    /// An account's work began.
    AccountStarted {
        /// Account.
        account: String,
        /// Its client id.
        client_id: i32,
    },
    /// An account's balances, positions and quotes: as its first plan sees them (with the
    /// executions of earlier attempts added where the positions did not show them yet), or
    /// as the rebalance left them.
    Snapshot {
        /// Account.
        account: String,
        /// Before the run's trades or after them [default: before, as older workers send].
        #[serde(default)]
        phase: SnapshotPhase,
        /// The snapshot.
        snapshot: crate::snapshot::AccountSnapshot,
    },
    /// A plan was made for an account.
    Plan {
        /// Account.
        account: String,
        /// The plan.
        plan: Plan,
    },
    /// An order was placed.
    OrderSubmitted {
        /// Account.
        account: String,
        /// The order.
        order: OrderReport,
    },
    /// An order's status or fills changed.
    OrderStatus {
        /// Account.
        account: String,
        /// The order now.
        order: OrderReport,
    },
    /// An account is done.
    AccountFinished {
        /// Account.
        account: String,
        /// Ok or the error.
        outcome: Outcome,
        /// What the command produced, when it got that far.
        result: Option<AccountResult>,
    },
    /// The run is done; the last line.
    Finished {
        /// Accounts that ended ok.
        accounts_ok: usize,
        /// Accounts that failed.
        accounts_failed: usize,
        /// Whether a signal or the deadline stopped the run.
        stopped: bool,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_flat_json_tagged_by_type() {
        let event = Event {
            run_id: "r1".into(),
            ts: "2026-11-25T08:00:00Z".into(),
            body: EventBody::AccountFinished {
                account: "DU1234567".into(),
                outcome: Outcome::Error {
                    kind: ErrorKind::OrdersRejected,
                    message: "VTI rejected".into(),
                },
                result: None,
            },
        };
        let line = serde_json::to_string(&event).unwrap();
        assert_eq!(
            line,
            r#"{"run_id":"r1","ts":"2026-11-25T08:00:00Z","type":"account_finished","account":"DU1234567","outcome":{"status":"error","kind":"orders_rejected","message":"VTI rejected"},"result":null}"#
        );
        assert_eq!(serde_json::from_str::<Event>(&line).unwrap(), event);
    }

    #[test]
    fn command_names_round_trip() {
        for (command, name) in Command::ALL.into_iter().zip(Command::NAMES) {
            assert_eq!(command.name(), name);
            assert_eq!(name.parse::<Command>(), Ok(command));
            assert_eq!(
                serde_json::to_string(&command).unwrap(),
                format!("\"{name}\"")
            );
        }
        assert!(
            "liquidate"
                .parse::<Command>()
                .unwrap_err()
                .contains("expected one of rebalance")
        );
    }

    #[test]
    fn secrets_never_print() {
        let secrets = Secrets {
            allocations_api_key: Some("k-123".into()),
        };
        assert!(!format!("{secrets:?}").contains("k-123"));
    }

    fn job() -> Job {
        Job {
            version: PROTOCOL_VERSION,
            run_id: "r1".into(),
            strategy: "s".into(),
            command: Command::PrintRebalance,
            accounts: vec![JobAccount {
                account_id: "DU1".into(),
                client_id: 7,
                account_type: AccountType::Paper,
                cash_reserve_percent: 1.0,
                replacements: Vec::new(),
                earlier: None,
            }],
            trading_mode: AccountType::Paper,
            port: 4004,
            settings: Settings::default(),
            secrets: Secrets::default(),
            deadline_seconds: 60.0,
            targets: None,
            previous_targets: None,
            confirm_targets: false,
        }
    }

    #[test]
    fn jobs_round_trip_and_validate() {
        let job = job();
        let json = serde_json::to_string(&job).unwrap();
        assert!(json.contains(r#""command":"print-rebalance""#));
        assert_eq!(serde_json::from_str::<Job>(&json).unwrap(), job);
        assert!(job.validate().is_ok());
        let mut bad = job.clone();
        bad.version = 9;
        assert!(bad.validate().unwrap_err().contains("version 9"));
        let mut bad = job.clone();
        bad.accounts.push(JobAccount {
            account_id: "DU2".into(),
            ..job.accounts[0].clone()
        });
        assert!(
            bad.validate()
                .unwrap_err()
                .contains("client_id 7 is used twice")
        );
        let mut bad = job;
        bad.deadline_seconds = 0.0;
        assert!(bad.validate().is_err());
    }
}
