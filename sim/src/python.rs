//! `ib_async`, the Python TWS client that speaks only the classic encoding, installed into a
//! virtual environment so tests and the benchmark can drive it against the gateway
//! simulator through `python/ib_async_client.py`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// The `ib_async` release whose reading of the classic encoding the simulator is tested
/// against; `python/requirements.txt` pins it and its dependencies with hashes.
pub const IB_ASYNC: &str = "ib_async==2.1.0";

const REQUIREMENTS: &str = include_str!("../python/requirements.txt");

/// How long one client command may take (connecting, or an order to fill).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

const CLIENT_SCRIPT: &str = include_str!("../python/ib_async_client.py");

/// A virtual environment holding `ib_async` and the client script.
#[derive(Debug, Clone)]
pub struct IbAsync {
    python: PathBuf,
    script: PathBuf,
}

impl IbAsync {
    /// Creates a virtual environment in `dir` with `python3 -m venv` and installs
    /// [`IB_ASYNC`] and its dependencies from PyPI, each checked against its pinned hash.
    /// The error says which step failed and why.
    pub async fn install(dir: &Path) -> Result<Self> {
        let python = venv(dir, REQUIREMENTS)
            .await
            .with_context(|| format!("installing {IB_ASYNC}"))?;
        let script = dir.join("ib_async_client.py");
        tokio::fs::write(&script, CLIENT_SCRIPT)
            .await
            .with_context(|| format!("writing {}", script.display()))?;
        Ok(Self { python, script })
    }

    /// For `test`: [`IbAsync::install`], or `None` when Python or PyPI is out of reach,
    /// which fails the test under `REQUIRE_EXTERNAL_TESTS` and is reported as a skip
    /// otherwise ([`crate::external::missing`]).
    pub async fn install_or_skip(dir: &Path, test: &str) -> Option<Self> {
        or_skip(Self::install(dir).await, test, IB_ASYNC)
    }

    /// Connects a client to the gateway on 127.0.0.1:`port` and waits until `ib_async` has
    /// finished its start-up synchronisation.
    pub async fn connect(&self, port: u16, client_id: i32, account: &str) -> Result<Session> {
        let mut child = Command::new(&self.python)
            .arg(&self.script)
            .args([
                "session",
                &port.to_string(),
                &client_id.to_string(),
                account,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("starting the ib_async client")?;
        let stdin = child.stdin.take().context("client stdin")?;
        let stdout = child.stdout.take().context("client stdout")?;
        let mut session = Session {
            child,
            stdin,
            answers: BufReader::new(stdout).lines(),
        };
        let hello = session.answer().await?;
        if hello["connected"] != true {
            bail!("the ib_async client did not connect: {hello}");
        }
        Ok(session)
    }

    /// Times `runs` connections that each read `account`'s positions and values; the
    /// milliseconds of each.
    pub async fn bench(
        &self,
        port: u16,
        client_id: i32,
        account: &str,
        runs: u32,
    ) -> Result<Vec<f64>> {
        let stdout = run(Command::new(&self.python)
            .arg(&self.script)
            .args(["bench", &port.to_string(), &client_id.to_string(), account])
            .arg(runs.to_string()))
        .await
        .context("running the ib_async benchmark")?;
        let answer: Value = serde_json::from_slice(&stdout).context("benchmark output")?;
        serde_json::from_value(answer["ms"].clone()).context("benchmark times")
    }
}

/// A running `ib_async` client, one JSON answer per command.
#[derive(Debug)]
pub struct Session {
    child: Child,
    stdin: ChildStdin,
    answers: Lines<BufReader<ChildStdout>>,
}

impl Session {
    /// Sends one command (`state`, `buy VTI 10`, `sell VTI 10`, `expect VTI 10`) and
    /// returns its answer.
    pub async fn command(&mut self, command: &str) -> Result<Value> {
        self.stdin
            .write_all(format!("{command}\n").as_bytes())
            .await
            .context("writing to the ib_async client")?;
        self.stdin
            .flush()
            .await
            .context("writing to the ib_async client")?;
        self.answer()
            .await
            .with_context(|| format!("answer to `{command}`"))
    }

    async fn answer(&mut self) -> Result<Value> {
        let line = tokio::time::timeout(COMMAND_TIMEOUT, self.answers.next_line())
            .await
            .context("the ib_async client did not answer in time")?
            .context("reading from the ib_async client")?;
        match line {
            Some(line) => serde_json::from_str(&line).with_context(|| format!("answer `{line}`")),
            None => {
                let mut stderr = String::new();
                if let Some(mut err) = self.child.stderr.take() {
                    let _ = err.read_to_string(&mut stderr).await;
                }
                bail!("the ib_async client exited: {stderr}")
            }
        }
    }

    /// Disconnects and returns what the client wrote to stderr (its warnings and errors).
    pub async fn quit(mut self) -> Result<String> {
        self.stdin.write_all(b"quit\n").await.context("quit")?;
        let mut stderr = String::new();
        if let Some(mut err) = self.child.stderr.take() {
            err.read_to_string(&mut stderr)
                .await
                .context("client stderr")?;
        }
        let status = tokio::time::timeout(COMMAND_TIMEOUT, self.child.wait())
            .await
            .context("the ib_async client did not exit")??;
        if !status.success() {
            bail!("the ib_async client failed ({status}): {stderr}");
        }
        Ok(stderr)
    }
}

/// `installed`, or `None` after telling [`crate::external::missing`] that `test` cannot
/// run because `package` cannot be installed (a failure under `REQUIRE_EXTERNAL_TESTS`).
pub(crate) fn or_skip<T>(installed: Result<T>, test: &str, package: &str) -> Option<T> {
    match installed {
        Ok(installed) => Some(installed),
        Err(err) => {
            crate::external::missing(test, format!("{package} cannot be installed here: {err:#}"));
            None
        }
    }
}

/// Creates a virtual environment in `dir/venv` with `python3 -m venv` and installs
/// `requirements` (a pip requirements file's text, every package pinned with its hashes)
/// from PyPI into it; returns its Python. The error says which step failed and why.
pub(crate) async fn venv(dir: &Path, requirements: &str) -> Result<PathBuf> {
    let venv = dir.join("venv");
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv))
        .await
        .context("creating a Python virtual environment with `python3 -m venv`")?;
    let python = venv.join("bin").join("python");
    let file = dir.join("requirements.txt");
    tokio::fs::write(&file, requirements)
        .await
        .with_context(|| format!("writing {}", file.display()))?;
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--require-hashes",
            "-r",
        ])
        .arg(&file))
    .await
    .context("installing the pinned packages from PyPI")?;
    Ok(python)
}

/// Runs `command` to its end; its standard output, or an error with its standard error.
pub(crate) async fn run(command: &mut Command) -> Result<Vec<u8>> {
    let output = command
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .context("cannot start it")?;
    if !output.status.success() {
        bail!(
            "{}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}
