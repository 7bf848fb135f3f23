//! Logs on stderr through tracing; RUST_LOG (or the Python rebalancer's LOG_LEVEL) overrides
//! the default level.

use tracing_subscriber::EnvFilter;
use trading_core::config::environment;

use crate::cli::LogFormat;

/// Sends logs to stderr at `default_level` unless RUST_LOG says otherwise.
pub fn init(format: LogFormat, default_level: &str) {
    let filter = environment::log_filter()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| EnvFilter::new(default_level));
    // A failed write must not become a panic: when the supervisor dies, the worker's stderr
    // is a broken pipe, and it must still stop cleanly.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .log_internal_errors(false);
    let result = match format {
        LogFormat::Text => builder.with_ansi(false).try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    if let Err(err) = result {
        eprintln!("worker: logging unavailable: {err}");
    }
}
