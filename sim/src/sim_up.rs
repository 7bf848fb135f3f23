//! `sim up` as a test drives it: started on a directory, its two printed commands read,
//! and those commands run exactly as a shell runs them.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// A running `sim up` and the commands it printed.
pub struct SimUp {
    /// The `sim up` process (killed when dropped).
    pub child: Child,
    /// Everything it printed, up to and including the publish command.
    pub printed: Vec<String>,
    /// The printed command that starts the supervisor.
    pub run: String,
    /// The printed command that publishes an event.
    pub publish: String,
}

impl SimUp {
    /// Starts `sim` (`up --dir dir`) and waits, at most `wait` per line, for its two
    /// commands.
    pub async fn start(sim: &Path, dir: &Path, wait: Duration) -> Result<Self> {
        let mut child = Command::new(sim)
            .arg("up")
            .arg("--dir")
            .arg(dir)
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", sim.display()))?;
        let stdout = child.stdout.take().context("sim up's stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let mut printed = Vec::new();
        loop {
            let Some(line) = tokio::time::timeout(wait, lines.next_line())
                .await
                .context("sim up printed nothing in time")??
            else {
                bail!("sim up ended after printing {printed:#?}");
            };
            let last = line.contains(" publish ");
            printed.push(line);
            if last {
                break;
            }
        }
        let command = |marker: &str| {
            printed
                .iter()
                .rev()
                .find(|l| l.contains(marker))
                .map(|l| l.trim().to_string())
                .with_context(|| format!("no `{marker}` command in {printed:#?}"))
        };
        let (run, publish) = (command(" run --config ")?, command(" publish ")?);
        Ok(Self {
            child,
            printed,
            run,
            publish,
        })
    }
}

/// `line` as a shell runs it, in the shell's own process (`exec env LINE`: `env` takes the
/// leading assignments), so that stopping it stops the command; killed when dropped.
pub fn shell(line: &str) -> Command {
    let mut command = Command::new("sh");
    command.arg("-c").arg(format!("exec env {line}"));
    command.kill_on_drop(true);
    command
}
