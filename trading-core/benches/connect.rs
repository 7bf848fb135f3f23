//! Time for a client to connect to the gateway simulator and read one account's positions
//! and values: our `ibapi` adapter (criterion), then `ib_async` over the classic encoding
//! (timed inside its own Python process, when Python and PyPI are at hand).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::time::{Duration, Instant};

use criterion::Criterion;
use sim::gateway::{ETF_QUOTES, GatewaySim, Scenario};
use sim::python::IbAsync;
use trading_core::broker::{Broker, IbkrBroker};
use trading_core::config::GatewaySettings;

const ACCOUNT: &str = "DU1234567";
/// ib_async connections to time; one under `cargo test`, which runs benches once as a check.
const IB_ASYNC_RUNS: u32 = 30;

fn scenario() -> Scenario {
    Scenario::default().with_quotes(&ETF_QUOTES).with_account(
        ACCOUNT,
        20_000.0,
        &[("VTI", 200.0), ("BND", 400.0)],
    )
}

/// Connects, reads the account, and returns how long that took; disconnecting and waiting
/// for the gateway to let the client id go are not timed.
async fn connect_and_read(sim: &GatewaySim, settings: &GatewaySettings) -> Duration {
    let started = Instant::now();
    let broker = IbkrBroker::connect(settings, sim.addr().port(), 11)
        .await
        .expect("connect");
    let state = broker.account_state(ACCOUNT).await.expect("account state");
    let took = started.elapsed();
    assert_eq!(state.positions.len(), 2);
    broker.disconnect().await;
    assert!(sim.wait_for_connections(0, Duration::from_secs(5)).await);
    took
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let sim = runtime
        .block_on(GatewaySim::start(&scenario(), 0))
        .expect("gateway simulator");
    let settings = GatewaySettings::default();

    let mut criterion = Criterion::default().configure_from_args();
    criterion.bench_function("ibapi adapter: connect, read positions and values", |b| {
        b.iter_custom(|iterations| {
            runtime.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    total += connect_and_read(&sim, &settings).await;
                }
                total
            })
        });
    });
    criterion.final_summary();

    let dir = tempfile::tempdir().expect("temporary directory");
    let Some(python) = runtime.block_on(IbAsync::install_or_skip(dir.path(), "connect benchmark"))
    else {
        return;
    };
    let runs = if std::env::args().any(|arg| arg == "--test") {
        1
    } else {
        IB_ASYNC_RUNS
    };
    let times = runtime
        .block_on(python.bench(sim.addr().port(), 100, ACCOUNT, runs))
        .expect("ib_async benchmark");
    let first = times[0];
    println!(
        "ib_async (classic encoding): connect, read positions and values: median {:.2} ms \
         of {runs} (first {first:.2} ms, fastest {:.2} ms)",
        median(times.clone()),
        times.iter().copied().fold(f64::INFINITY, f64::min),
    );
}
