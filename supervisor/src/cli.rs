//! Command-line arguments of `supervisor`.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand, ValueEnum};
use tracing_subscriber::EnvFilter;
use trading_core::config::{Settings, environment};
use trading_core::protocol::Command;

/// The rebalancer daemon: listens to one Ably channel per strategy and runs a `worker`
/// process per event, one strategy at a time, under a cap of gateway connections.
///
/// `supervisor run` starts the daemon (REALTIME_API_KEY and ALLOCATIONS_API_KEY from the
/// environment; TRADING_MODE paper|live). The other commands talk to a running daemon over
/// its control socket. Exit codes: 0 ok, 1 unhealthy (status --check), 2 error.
#[derive(Parser)]
#[command(version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Sub,
    /// config.yaml (also tells the clients where the socket is).
    #[arg(long, global = true, env = "REBALANCER_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// accounts.yaml (daemon only).
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        default_value = "accounts.yaml"
    )]
    pub accounts: PathBuf,
    /// replacement-sets.yaml [default: beside the accounts file, if present] (daemon only).
    #[arg(long, global = true, value_name = "FILE")]
    pub replacement_sets: Option<PathBuf>,
    /// The control socket [default: supervisor.socket_path from --config, else
    /// /run/rebalancer/supervisor.sock].
    #[arg(long, global = true, env = "REBALANCER_SOCKET", value_name = "PATH")]
    pub socket: Option<PathBuf>,
    /// Log format on stderr (daemon only).
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// Commands.
#[derive(Subcommand)]
pub enum Sub {
    /// Without ID: run the daemon. With ID: show that run's accounts and orders.
    Run {
        /// A run id.
        id: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Health, the realtime link, connections and each strategy's state.
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Exit 1 when unhealthy or unreachable (for health checks).
        #[arg(long)]
        check: bool,
    },
    /// Start a run by hand, now even outside market hours (coalesced with a running one like
    /// an event).
    Trigger {
        /// Strategy.
        #[arg(long)]
        strategy: String,
        /// Command.
        #[arg(long, default_value = "rebalance", value_parser = PossibleValuesParser::new(Command::NAMES).try_map(|s| s.parse::<Command>()))]
        command: Command,
        /// Only these accounts (repeatable).
        #[arg(long = "account", value_name = "ID")]
        accounts: Vec<String>,
        /// Run in market hours: when the market is closed, at the next session's open.
        #[arg(long)]
        at_open: bool,
        /// Confirm the strategy's current targets: the next rebalance trades them even if
        /// their total dropped more than allocations.max_weight_drop since the last one.
        #[arg(long)]
        confirm_targets: bool,
    },
    /// Check everything the daemon needs without starting it: the configuration, the
    /// gateway (version, login, accounts), each strategy's allocations, the Ably key, the
    /// journal and socket directories and the worker. Exit 0 only when all pass.
    Check {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Turn a Python rebalancer installation's config.yaml, .env, accounts.yaml and
    /// replacement-sets.yaml into ours, printing what became of every key. Nothing is
    /// overwritten without --force; the written files are checked as the daemon loads them.
    Migrate {
        /// The Python rebalancer's directory.
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
        /// Where to write ours.
        #[arg(long, value_name = "DIR", default_value = ".")]
        to: PathBuf,
        /// Replace files that already exist in --to.
        #[arg(long)]
        force: bool,
    },
    /// Recent runs, newest first.
    Runs {
        /// Only this strategy.
        #[arg(long)]
        strategy: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Run a failed, interrupted, cancelled or expired run's unfinished accounts again, as
    /// its next attempt; a rebalance outside market hours waits for the next session.
    Retry {
        /// Run id.
        id: String,
    },
    /// Stop a running run (its worker gets SIGTERM) or drop a queued one.
    Cancel {
        /// Run id.
        id: String,
    },
    /// Hold new runs of a strategy (all strategies without --strategy); events are still
    /// received and journaled. Survives restarts.
    Pause {
        /// Strategy.
        #[arg(long)]
        strategy: Option<String>,
    },
    /// Release a paused strategy (all without --strategy) and run what was held.
    Resume {
        /// Strategy.
        #[arg(long)]
        strategy: Option<String>,
    },
}

/// Log level ceilings that keep the realtime key out of the websocket library's logs.
const KEY_SAFE_TUNGSTENITE: &str = "tungstenite=info";
const KEY_SAFE_TOKIO_TUNGSTENITE: &str = "tokio_tungstenite=info";

/// Log formats.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Lines for people.
    Text,
    /// One JSON object per line.
    Json,
}

impl Cli {
    /// The control socket: --socket / REBALANCER_SOCKET, else the config's, else the default.
    pub fn socket_path(&self) -> PathBuf {
        if let Some(socket) = &self.socket {
            return socket.clone();
        }
        self.config
            .as_deref()
            .and_then(|c| Settings::load(Some(c)).ok())
            .unwrap_or_default()
            .supervisor
            .socket_path
    }
}

/// Logs to stderr at info unless RUST_LOG says otherwise. The websocket library is held at
/// info whatever RUST_LOG says: at debug it would log the connection URL, which carries the
/// realtime key.
#[allow(
    clippy::expect_used,
    reason = "the two directives are constants, parsed by a unit test"
)]
pub fn init_logging(format: LogFormat) {
    let filter = environment::log_filter()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| EnvFilter::new("info"))
        .add_directive(
            KEY_SAFE_TUNGSTENITE
                .parse()
                .expect("a valid static directive"),
        )
        .add_directive(
            KEY_SAFE_TOKIO_TUNGSTENITE
                .parse()
                .expect("a valid static directive"),
        );
    // A failed write must not become a panic: when the supervisor dies, the worker's stderr
    // is a broken pipe, and it must still stop cleanly.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .log_internal_errors(false);
    let _ = match format {
        LogFormat::Text => builder.with_ansi(false).try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

#[cfg(test)]
mod tests {
    use tracing_subscriber::filter::Directive;

    #[test]
    fn the_key_safe_directives_parse() {
        for directive in [
            super::KEY_SAFE_TUNGSTENITE,
            super::KEY_SAFE_TOKIO_TUNGSTENITE,
        ] {
            assert!(directive.parse::<Directive>().is_ok(), "{directive}");
        }
    }
}
