//! The whole product on loopback: the gateway, Ably and allocations simulators plus the real
//! `supervisor` (which spawns real `worker` processes), for the demo and the benchmarks.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;
use tokio::process::{Child, Command};

use sim::ably::AblySim;
use sim::allocations::{AllocationsApi, Canned};
use sim::gateway::{GatewaySim, Scenario};

/// The Ably simulator's key (a simulator key, not a secret).
pub const ABLY_KEY: &str = "demo.key:not-a-real-secret";
const ALLOCATIONS_KEY: &str = "demo-allocations-key";
const SOCKET: &str = "supervisor.sock";

/// A strategy: its name, targets, and its accounts' lines for accounts.yaml.
pub struct StrategySpec {
    /// Channel and allocation API path segment.
    pub name: String,
    /// Targets (symbol, weight).
    pub targets: Vec<(String, f64)>,
}

/// The three simulators of one world, on free loopback ports.
pub struct Simulators {
    /// The gateway simulator (shared with its control API, when one is served).
    pub gateway: Arc<GatewaySim>,
    /// The Ably simulator.
    pub ably: AblySim,
    /// The allocation API simulator, answering each strategy's targets.
    pub allocations: AllocationsApi,
}

impl Simulators {
    /// Starts the gateway on `scenario`, Ably, and the allocation API answering
    /// `strategies`' targets.
    pub async fn start(scenario: &Scenario, strategies: &[StrategySpec]) -> Result<Self> {
        let gateway = Arc::new(GatewaySim::start(scenario, 0).await?);
        let allocations = AllocationsApi::start(0, Some(ALLOCATIONS_KEY)).await?;
        for strategy in strategies {
            let targets: Vec<(&str, f64)> = strategy
                .targets
                .iter()
                .map(|(s, w)| (s.as_str(), *w))
                .collect();
            allocations.set(&strategy.name, [Canned::allocations(&targets)]);
        }
        let ably = AblySim::start(0, ABLY_KEY).await?;
        Ok(Self {
            gateway,
            ably,
            allocations,
        })
    }

    /// A config.yaml pointing a supervisor at these simulators, with its journal and
    /// socket in `dir` and `worker` as its worker.
    pub fn config_yaml(&self, dir: &Path, worker: &Path) -> String {
        format!(
            "allocations: {{base_url: {}}}\nrealtime: {{realtime_url: {}, rest_url: {}}}\ngateway: {{paper_port: {}}}\nsupervisor: {{market_hours: false, journal_path: {}, socket_path: {}, worker_path: {}}}\n",
            self.allocations.base_url(),
            self.ably.realtime_url(),
            self.ably.rest_url(),
            self.gateway.addr().port(),
            dir.join("journal.sqlite").display(),
            dir.join(SOCKET).display(),
            worker.display()
        )
    }

    /// The environment a supervisor of these simulators needs (the simulators' keys).
    pub fn environment() -> [(&'static str, &'static str); 2] {
        [
            ("REALTIME_API_KEY", ABLY_KEY),
            ("ALLOCATIONS_API_KEY", ALLOCATIONS_KEY),
        ]
    }

    /// Writes config.yaml, `accounts_yaml` and optional replacement sets into `dir`.
    pub fn write_config(
        &self,
        dir: &Path,
        worker: &Path,
        accounts_yaml: &str,
        replacement_sets: Option<&str>,
    ) -> Result<()> {
        let write = |name: &str, text: &str| {
            let path = dir.join(name);
            std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
        };
        write("accounts.yaml", accounts_yaml)?;
        if let Some(sets) = replacement_sets {
            write("replacement-sets.yaml", sets)?;
        }
        write("config.yaml", &self.config_yaml(dir, worker))
    }
}

/// The running stack.
pub struct Stack {
    /// The simulators.
    pub sims: Simulators,
    supervisor: Child,
    socket: PathBuf,
    /// Where config, journal, socket and the supervisor's log live.
    pub dir: tempfile::TempDir,
}

impl Stack {
    /// Starts the simulators and the supervisor with `accounts_yaml` (and optional
    /// replacement sets), waiting until its realtime link is up.
    pub async fn start(
        bin_dir: &Path,
        scenario: &Scenario,
        strategies: &[StrategySpec],
        accounts_yaml: &str,
        replacement_sets: Option<&str>,
    ) -> Result<Self> {
        let supervisor = bin_dir.join("supervisor");
        let worker = bin_dir.join("worker");
        for binary in [&supervisor, &worker] {
            if !binary.is_file() {
                bail!(
                    "{} not found; build it first: cargo build --release --workspace --bins",
                    binary.display()
                );
            }
        }
        let sims = Simulators::start(scenario, strategies).await?;
        let dir = tempfile::tempdir()?;
        let socket = dir.path().join(SOCKET);
        sims.write_config(dir.path(), &worker, accounts_yaml, replacement_sets)?;
        let log = std::fs::File::create(dir.path().join("supervisor.log"))?;
        let child = Command::new(&supervisor)
            .args(["run", "--config"])
            .arg(dir.path().join("config.yaml"))
            .arg("--accounts")
            .arg(dir.path().join("accounts.yaml"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs(Simulators::environment())
            .env("TRADING_MODE", "paper")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot start {}", supervisor.display()))?;
        let stack = Self {
            sims,
            supervisor: child,
            socket,
            dir,
        };
        let started = Instant::now();
        while stack
            .request(serde_json::json!({"request": "status"}))
            .await
            .is_none_or(|s| s["realtime"] != "connected")
        {
            if started.elapsed() > Duration::from_secs(20) {
                bail!(
                    "the supervisor did not come up within 20 s; see {}",
                    stack.dir.path().join("supervisor.log").display()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(stack)
    }

    /// Sends one control request line and returns the answer.
    pub async fn request(&self, request: Value) -> Option<Value> {
        sim::supervisor_socket::request(&self.socket, request).await
    }

    /// The supervisor's pid.
    pub fn supervisor_pid(&self) -> Option<u32> {
        self.supervisor.id()
    }

    /// Stops the supervisor with SIGTERM and waits for it.
    pub async fn stop(mut self) -> Result<()> {
        let status = sim::process::terminate(&mut self.supervisor, Duration::from_secs(60))
            .await
            .context("the supervisor did not stop")?;
        if !status.success() {
            bail!("the supervisor exited with {status}");
        }
        Ok(())
    }
}
