//! `sim`: run a protocol-faithful simulator by hand, e.g. point TWS API clients at
//! `sim gateway --port 4004 --scenario sim/scenarios/example.yaml`.

mod bench;
mod demo;
mod demo_world;
mod playground;
mod stack;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use sim::gateway::{GatewaySim, LatencyRange, Scenario};

#[derive(Parser)]
#[command(
    version,
    about = "Simulators of the services the rebalancer talks to (loopback only)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the TWS API socket protocol on 127.0.0.1 as IB Gateway does, until Ctrl-C.
    Gateway {
        /// Port to listen on (4004 is the paper gateway's).
        #[arg(long, default_value_t = 4004)]
        port: u16,
        /// Scenario file (YAML or JSON): accounts, quotes, fill model, faults.
        #[arg(long, value_name = "FILE")]
        scenario: PathBuf,
        /// Also serve the HTTP control API on this port (state, restarts, halts, quotes,
        /// position lag, orders; see `sim/src/gateway/control.rs`).
        #[arg(long, value_name = "PORT")]
        control_port: Option<u16>,
        /// Append every order placed, execution, cancel and rejection to this file as JSON
        /// lines.
        #[arg(long, value_name = "FILE")]
        record: Option<PathBuf>,
    },
    /// Serve Ably's realtime protocol and REST history (and publishing) on 127.0.0.1, as
    /// Ably does for one app, until Ctrl-C.
    Ably {
        /// Port to listen on.
        #[arg(long, default_value_t = 4010)]
        port: u16,
        /// The one API key accepted, `appId.keyId:secret` [default: a fixed test key].
        #[arg(long, default_value = "sim.local:not-a-secret")]
        key: String,
        /// Seconds a channel keeps its messages for history and resumes (Ably: about 120
        /// without persistence).
        #[arg(long, default_value_t = 120.0)]
        history_seconds: f64,
    },
    /// Start the demo's simulators and leave them running for you to drive the real
    /// supervisor by hand: writes a ready config.yaml and accounts.yaml into DIR and prints
    /// the two commands to run next. Ctrl-C stops it.
    Up {
        /// Where config.yaml, accounts.yaml, the journal, the socket and the record of what
        /// reached the exchange (exchange.jsonl) go.
        #[arg(long, value_name = "DIR", default_value = playground::DEFAULT_DIR)]
        dir: PathBuf,
    },
    /// Send an event to the Ably simulator of a running `sim up`, as a strategy's publisher
    /// does.
    Publish {
        /// The directory `sim up` was given.
        #[arg(long, value_name = "DIR", default_value = playground::DEFAULT_DIR)]
        dir: PathBuf,
        /// The strategy (its channel).
        #[arg(long)]
        strategy: String,
        /// The event's `exec` (rebalance, print-positions, ...).
        #[arg(long, default_value = "rebalance")]
        exec: String,
    },
    /// The product end to end on the simulators: 7 paper accounts, 2 strategies, one event
    /// each; prints orders, fills and final weights; fails unless every account converges.
    Demo,
    /// Measure the real binaries against the simulators (all measurements when no
    /// subcommand is given).
    Bench {
        #[command(subcommand)]
        which: Option<Bench>,
    },
}

#[derive(Subcommand)]
enum Bench {
    /// The worker on 1 and on N (default 32) accounts: wall-time ratio and peak RSS.
    Fanout {
        /// Fill latency per order at the gateway simulator, in ms.
        #[arg(long, default_value_t = 200)]
        latency_ms: u64,
        /// Accounts in the large run.
        #[arg(long, default_value_t = 32)]
        accounts: usize,
        /// Rounds to run; the median ratio is reported.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Delay every gateway reply (account data, contract details, market data) by a
        /// seeded draw from MIN..MAX milliseconds.
        #[arg(long, value_name = "MIN..MAX", default_value = "0..0", value_parser = bench::parse_reply_latency)]
        reply_latency_ms: LatencyRange,
        /// The worker binary [default: `worker` beside this binary].
        #[arg(long, value_name = "FILE")]
        worker: Option<PathBuf>,
    },
    /// Ably event → first order at the gateway through the real supervisor (median), and
    /// the supervisor's idle RSS.
    Latency {
        /// Events to time, each on its own strategy.
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        /// Delay every gateway reply by a seeded draw from MIN..MAX milliseconds.
        #[arg(long, value_name = "MIN..MAX", default_value = "0..0", value_parser = bench::parse_reply_latency)]
        reply_latency_ms: LatencyRange,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Gateway {
            port,
            scenario,
            control_port,
            record,
        } => {
            let scenario = Scenario::load(&scenario)?;
            let sim = Arc::new(
                GatewaySim::start(&scenario, port)
                    .await
                    .with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?,
            );
            if let Some(path) = &record {
                sim.record_to(path)
                    .await
                    .with_context(|| format!("cannot write the record {}", path.display()))?;
            }
            println!(
                "gateway simulator listening on {} (server versions {}..{} classic, {}..{} protobuf)",
                sim.addr(),
                sim::gateway::wire::classic::MIN_VERSION,
                sim::gateway::wire::classic::MAX_VERSION,
                sim::gateway::wire::encoding::MIN_PROTOBUF_VERSION,
                sim::gateway::SERVER_VERSION
            );
            if let Some(control_port) = control_port {
                let addr = sim::gateway::control::serve(sim.clone(), control_port)
                    .await
                    .with_context(|| format!("cannot listen on 127.0.0.1:{control_port}"))?;
                println!("gateway control API on http://{addr}");
            }
            tokio::signal::ctrl_c()
                .await
                .context("waiting for Ctrl-C")?;
            Ok(())
        }
        Command::Ably {
            port,
            key,
            history_seconds,
        } => {
            let config = sim::ably::SimConfig {
                history_retention: std::time::Duration::try_from_secs_f64(history_seconds)
                    .context("--history-seconds must be a number ≥ 0")?,
                ..sim::ably::SimConfig::default()
            };
            let ably = sim::ably::AblySim::start_with(port, &key, config)
                .await
                .with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
            println!(
                "Ably simulator: realtime {} and REST {} (publish: POST /channels/NAME/messages)",
                ably.realtime_url(),
                ably.rest_url()
            );
            tokio::signal::ctrl_c()
                .await
                .context("waiting for Ctrl-C")?;
            Ok(())
        }
        Command::Up { dir } => playground::up(&dir).await,
        Command::Publish {
            dir,
            strategy,
            exec,
        } => playground::publish(&dir, &strategy, &exec).await,
        Command::Demo => demo::run(&bench::bin_dir()?).await,
        Command::Bench { which } => match which {
            Some(Bench::Fanout {
                latency_ms,
                accounts,
                rounds,
                worker,
                reply_latency_ms,
            }) => {
                let worker = match worker {
                    Some(path) => path,
                    None => bench::sibling_binary("worker")?,
                };
                bench::fanout::run(
                    &worker,
                    latency_ms,
                    reply_latency_ms,
                    accounts,
                    rounds.max(1),
                )
                .await
            }
            Some(Bench::Latency {
                rounds,
                reply_latency_ms,
            }) => bench::latency::run(&bench::bin_dir()?, rounds.max(1), reply_latency_ms).await,
            None => {
                let worker = bench::sibling_binary("worker")?;
                let replies = [
                    LatencyRange::default(),
                    LatencyRange {
                        min_ms: 20,
                        max_ms: 80,
                    },
                ];
                for reply in replies {
                    println!("== worker fan-out, {} ==", bench::describe(reply));
                    bench::fanout::run(&worker, 200, reply, 32, 5).await?;
                    println!(
                        "\n== event latency and supervisor memory, {} ==",
                        bench::describe(reply)
                    );
                    bench::latency::run(&bench::bin_dir()?, 20, reply).await?;
                    println!();
                }
                println!(
                    "\nThe calculator's benchmark is criterion's: cargo bench -p trading-core"
                );
                Ok(())
            }
        },
    }
}
