//! Starting a worker.

use std::path::Path;
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;
use trading_core::protocol::{Event, Job};

/// Environment variables a worker inherits; everything else is cleared. Secrets travel in
/// the job, never in the environment or on the command line.
const ENV_ALLOW_LIST: [&str; 8] = [
    "PATH",
    "LANG",
    "LC_ALL",
    "TZ",
    "RUST_LOG",
    "LOG_LEVEL",
    "RUST_BACKTRACE",
    "TRADING_MODE",
];

/// Longest stdout or stderr line kept from a worker.
const MAX_LINE_BYTES: usize = 1024 * 1024;

/// What a worker's stdout line turned out to be.
#[derive(Debug)]
pub enum Output {
    /// A protocol event.
    Event(Box<Event>),
    /// A line that is not one; the run fails.
    Malformed(String),
}

/// A started worker.
pub struct Worker {
    /// The process; its pid is also its process group id.
    pub child: Child,
    /// Its stdout, line by line, until it closes.
    pub output: mpsc::UnboundedReceiver<Output>,
}

/// Starts `worker job` in a new process group, writes `job` to its stdin and closes it.
/// Stderr lines are logged under the run's strategy and id.
pub async fn spawn(worker: &Path, job: &Job) -> std::io::Result<Worker> {
    let mut command = Command::new(worker);
    command
        .args(["job", "--log-format", "json"])
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(false);
    for name in ENV_ALLOW_LIST {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    let mut child = command.spawn()?;
    let input = serde_json::to_vec(job).map_err(std::io::Error::other)?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(&input).await?;
        stdin.shutdown().await?;
    }
    let (sender, output) = mpsc::unbounded_channel();
    if let Some(stdout) = child.stdout.take() {
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            loop {
                match lines.next_line().await {
                    Ok(Some(line)) => {
                        let parsed = if line.len() > MAX_LINE_BYTES {
                            Output::Malformed(format!("a {}-byte line", line.len()))
                        } else {
                            match serde_json::from_str::<Event>(&line) {
                                Ok(event) => Output::Event(Box::new(event)),
                                Err(err) => Output::Malformed(format!(
                                    "{err}: {}",
                                    line.chars().take(200).collect::<String>()
                                )),
                            }
                        };
                        if sender.send(parsed).is_err() {
                            return;
                        }
                    }
                    Ok(None) => return,
                    Err(err) => {
                        let _ = sender.send(Output::Malformed(format!("unreadable stdout: {err}")));
                        return;
                    }
                }
            }
        });
    }
    if let Some(stderr) = child.stderr.take() {
        let (strategy, run_id) = (job.strategy.clone(), job.run_id.clone());
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let line: String = line.chars().take(MAX_LINE_BYTES).collect();
                tracing::info!(target: "worker", strategy = %strategy, run_id = %run_id, "{line}");
            }
        });
    }
    Ok(Worker { child, output })
}
