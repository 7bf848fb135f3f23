//! Ably's official Python SDK (`ably` on PyPI), installed into a virtual environment, as an
//! independent client of the Ably simulator: if the simulator and our own client shared a
//! misreading of the protocol, the SDK would show it.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

use crate::python::{or_skip, venv};

/// The SDK release the simulator is checked against; `python/ably-requirements.txt` pins it
/// and its dependencies with hashes.
pub const ABLY_SDK: &str = "ably==3.1.4";

const REQUIREMENTS: &str = include_str!("../python/ably-requirements.txt");

const CLIENT_SCRIPT: &str = include_str!("../python/ably_sdk_client.py");

/// How long the SDK may take for one step (connecting and attaching, or a message).
const STEP_TIMEOUT: Duration = Duration::from_secs(20);

/// A virtual environment holding the SDK and the subscriber script.
#[derive(Debug, Clone)]
pub struct AblySdk {
    python: PathBuf,
    script: PathBuf,
}

impl AblySdk {
    /// Creates a virtual environment in `dir` and installs [`ABLY_SDK`] from PyPI, every
    /// package checked against its pinned hash.
    pub async fn install(dir: &Path) -> Result<Self> {
        let python = venv(dir, REQUIREMENTS)
            .await
            .with_context(|| format!("installing {ABLY_SDK}"))?;
        let script = dir.join("ably_sdk_client.py");
        tokio::fs::write(&script, CLIENT_SCRIPT)
            .await
            .with_context(|| format!("writing {}", script.display()))?;
        Ok(Self { python, script })
    }

    /// For `test`: [`AblySdk::install`], or `None` when Python or PyPI is out of reach, which
    /// fails the test under `REQUIRE_EXTERNAL_TESTS` ([`crate::external::missing`]).
    pub async fn install_or_skip(dir: &Path, test: &str) -> Option<Self> {
        or_skip(Self::install(dir).await, test, ABLY_SDK)
    }

    /// Subscribes to `channel` at `host` (`127.0.0.1:PORT`) with `key` until `count`
    /// messages arrived, attaching with the `rewind` channel parameter when given;
    /// returns once the channel is attached.
    pub async fn subscribe(
        &self,
        host: &str,
        key: &str,
        channel: &str,
        count: usize,
        rewind: Option<&str>,
    ) -> Result<Subscriber> {
        let mut child = Command::new(&self.python)
            .arg(&self.script)
            .args([host, key, channel, &count.to_string()])
            .args(rewind)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .context("starting the Ably SDK subscriber")?;
        let stdout = child.stdout.take().context("subscriber stdout")?;
        let mut subscriber = Subscriber {
            child,
            lines: BufReader::new(stdout).lines(),
        };
        let attached = subscriber.next().await?;
        if attached["attached"] != channel {
            bail!("the Ably SDK did not attach {channel}: {attached}");
        }
        Ok(subscriber)
    }
}

/// A running SDK subscriber.
#[derive(Debug)]
pub struct Subscriber {
    child: Child,
    lines: Lines<BufReader<ChildStdout>>,
}

impl Subscriber {
    /// The next line the subscriber printed: a message's `id`, `name` and `data`.
    pub async fn next(&mut self) -> Result<Value> {
        let line = tokio::time::timeout(STEP_TIMEOUT, self.lines.next_line())
            .await
            .context("the Ably SDK subscriber did not answer in time")?
            .context("reading from the Ably SDK subscriber")?
            .context("the Ably SDK subscriber exited")?;
        serde_json::from_str(&line).with_context(|| format!("subscriber line `{line}`"))
    }

    /// Waits for the subscriber to close its connection and exit.
    pub async fn finish(mut self) -> Result<()> {
        let status = tokio::time::timeout(STEP_TIMEOUT, self.child.wait())
            .await
            .context("the Ably SDK subscriber did not exit")??;
        if !status.success() {
            bail!("the Ably SDK subscriber failed: {status}");
        }
        Ok(())
    }
}
