//! Command-line arguments of `worker`.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use trading_core::protocol::Command as JobCommand;

use crate::plan::PlanArgs;

/// Rebalances the accounts of one trading strategy over IB Gateway, each account on its own
/// connection, all in parallel.
///
/// Run by hand:   worker --strategy etf-blend-102-25 --dry-run
/// Run by the supervisor:   worker job   (one job JSON on stdin, events on stdout)
///
/// Environment: TRADING_MODE (paper|live, default paper), ALLOCATIONS_API_KEY,
/// GATEWAY_HOST and GATEWAY_PORT (override config.yaml). Exit codes: 0 all accounts ok,
/// 1 some account failed, 2 bad arguments, job or configuration, 143 stopped by a signal.
#[derive(Parser)]
#[command(
    version,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub subcommand: Option<Sub>,
    #[command(flatten)]
    pub manual: ManualArgs,
    /// Log format on stderr.
    #[arg(long, value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

/// Modes other than a manual run.
#[derive(Subcommand)]
pub enum Sub {
    /// Compute one account's plan from files, offline; places nothing.
    Plan(PlanArgs),
    /// Run one job read as JSON from stdin, writing JSON-lines events to stdout (the
    /// supervisor's mode).
    Job,
}

/// A run started by hand.
#[derive(Args)]
pub struct ManualArgs {
    /// The strategy whose enabled accounts (of TRADING_MODE) are run.
    #[arg(long, required = true)]
    pub strategy: Option<String>,
    /// Plan from live data and print it; place and cancel nothing (= --command print-rebalance).
    #[arg(long)]
    pub dry_run: bool,
    /// Only these accounts (repeatable); each must be an enabled account of the strategy.
    #[arg(long = "account", value_name = "ID")]
    pub accounts_only: Vec<String>,
    /// What to do for each account.
    #[arg(long, default_value = "rebalance", value_parser = PossibleValuesParser::new(JobCommand::NAMES).try_map(|s| s.parse::<JobCommand>()))]
    pub command: JobCommand,
    /// accounts.yaml.
    #[arg(long, value_name = "FILE", default_value = "accounts.yaml")]
    pub accounts: PathBuf,
    /// replacement-sets.yaml [default: beside the accounts file, if present].
    #[arg(long, value_name = "FILE")]
    pub replacement_sets: Option<PathBuf>,
    /// config.yaml [default: built-in defaults].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print one JSON object with every account's result instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// Log line format.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}
