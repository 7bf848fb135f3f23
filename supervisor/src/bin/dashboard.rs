//! `dashboard`: the rebalancer's web pages, JSON API and health check, in a process of its
//! own beside the daemon. It reads the daemon's journal read-only and talks to the daemon
//! over its control socket; stopping, killing or overloading it never touches a run.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Parser;
use supervisor::journal::Journal;
use supervisor::web::auth::{ApiToken, TOKEN_VARIABLE};
use supervisor::web::{self, WebState};
use tracing_subscriber::EnvFilter;
use trading_core::config::Settings;

/// The rebalancer's dashboard: overview, strategies, runs and a JSON API, on loopback by
/// default (reach it over an SSH tunnel or a reverse proxy). Actions (trigger, retry,
/// cancel, pause, resume) need REBALANCER_API_TOKEN set here and sent as a bearer token;
/// without it they are disabled.
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// config.yaml: `web.listen`, and the daemon's `supervisor.journal_path` and
    /// `supervisor.socket_path` [default: built-in defaults].
    #[arg(long, value_name = "FILE", env = "REBALANCER_CONFIG")]
    config: Option<PathBuf>,
    /// Listen here instead of `web.listen` (default 127.0.0.1:8640).
    #[arg(long, value_name = "ADDR:PORT")]
    listen: Option<std::net::SocketAddr>,
}

fn main() -> ExitCode {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(serve(Cli::parse())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(cli: Cli) -> Result<()> {
    let settings = Settings::load(cli.config.as_deref())?;
    let journal_path = &settings.supervisor.journal_path;
    let journal = Journal::open_read_only(journal_path)
        .with_context(|| format!("reading the journal {}", journal_path.display()))?;
    let token = ApiToken::from_environment();
    if token.is_none() {
        tracing::info!("{TOKEN_VARIABLE} is not set: actions are disabled");
    }
    let state = Arc::new(WebState::new(
        journal,
        settings.supervisor.socket_path.clone(),
        token,
    ));
    let listen = cli.listen.unwrap_or(settings.web.listen);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, "dashboard listening");
    println!("dashboard on http://{address}/");
    let app = web::router(state, settings.web.cors_origin.as_deref());
    axum::serve(listener, app)
        .with_graceful_shutdown(stopped())
        .await
        .context("serving HTTP")
}

/// Resolves on SIGTERM or Ctrl-C.
async fn stopped() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}
