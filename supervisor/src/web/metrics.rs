//! `/metrics`: Prometheus text format (prometheus-client), computed on each scrape from the
//! journal and the daemon's status, so the dashboard keeps no counters of its own and a
//! restart of it loses nothing.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use trading_core::control::StatusReport;

use super::{WebError, WebState, views};
use crate::journal::JournalStats;

/// Bucket bounds (seconds) of event-to-first-order times.
const FIRST_ORDER_BUCKETS: [f64; 10] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];

/// Bucket bounds (seconds) of run durations.
const RUN_BUCKETS: [f64; 10] = [
    1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0,
];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RunLabels {
    strategy: String,
    state: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StrategyLabels {
    strategy: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct GatewayLabels {
    state: String,
}

/// The metrics route.
pub fn routes() -> Router<Arc<WebState>> {
    Router::new().route("/metrics", get(metrics))
}

async fn metrics(State(state): State<Arc<WebState>>) -> Result<Response, WebError> {
    let stats = state.journal.stats().await?;
    let bytes = state
        .journal
        .call(|c| {
            let pages: i64 = c.query_row("PRAGMA page_count", [], |r| r.get(0))?;
            let size: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0))?;
            Ok(pages * size)
        })
        .await?;
    let status = views::status(&state).await.ok();
    let text = render(&stats, bytes, status.as_ref(), crate::clock::now_ms());
    Ok((
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

/// The metrics text for `stats`, a journal of `journal_bytes`, the daemon's `status` (none
/// when it cannot be reached) at `now_ms`.
pub fn render(
    stats: &JournalStats,
    journal_bytes: i64,
    status: Option<&StatusReport>,
    now_ms: i64,
) -> String {
    let mut registry = Registry::with_prefix("rebalancer");

    let runs = Family::<RunLabels, Gauge>::default();
    for (strategy, state, n) in &stats.runs {
        runs.get_or_create(&RunLabels {
            strategy: strategy.clone(),
            state: state.clone(),
        })
        .set(i64::try_from(*n).unwrap_or(i64::MAX));
    }
    registry.register("runs", "Runs in the journal by strategy and state", runs);

    let orders = Family::<StatusLabels, Gauge>::default();
    for (status, n) in &stats.orders {
        orders
            .get_or_create(&StatusLabels {
                status: status.clone(),
            })
            .set(i64::try_from(*n).unwrap_or(i64::MAX));
    }
    registry.register("orders", "Orders in the journal by last status", orders);

    let first_order = Histogram::new(FIRST_ORDER_BUCKETS);
    stats
        .first_order_seconds
        .iter()
        .for_each(|s| first_order.observe(*s));
    registry.register(
        "event_to_first_order_seconds",
        "From an event's arrival to its run's first order",
        first_order,
    );
    let durations = Histogram::new(RUN_BUCKETS);
    stats.run_seconds.iter().for_each(|s| durations.observe(*s));
    registry.register(
        "run_duration_seconds",
        "From a run's start to its end",
        durations,
    );

    let since = Family::<StrategyLabels, Gauge<f64, AtomicU64>>::default();
    for (strategy, finished) in &stats.last_success {
        since
            .get_or_create(&StrategyLabels {
                strategy: strategy.clone(),
            })
            .set((now_ms - finished) as f64 / 1000.0);
    }
    registry.register(
        "seconds_since_last_success",
        "Seconds since each strategy's last succeeded rebalance",
        since,
    );

    let size = Gauge::<i64>::default();
    size.set(journal_bytes);
    registry.register("journal_bytes", "Size of the journal database", size);

    let reachable = Gauge::<i64>::default();
    reachable.set(i64::from(status.is_some()));
    registry.register(
        "daemon_up",
        "1 when the supervisor answers on its control socket",
        reachable,
    );
    if let Some(status) = status {
        let realtime = Gauge::<i64>::default();
        realtime.set(i64::from(status.realtime == "connected"));
        registry.register(
            "realtime_connected",
            "1 while the Ably realtime link is connected",
            realtime,
        );
        let gateway = Family::<GatewayLabels, Gauge>::default();
        gateway
            .get_or_create(&GatewayLabels {
                state: status.gateway.health.name().to_string(),
            })
            .set(1);
        registry.register(
            "gateway_state",
            "The IB Gateway's state as the supervisor's probe found it (1 for the current one)",
            gateway,
        );
        let healthy = Gauge::<i64>::default();
        healthy.set(i64::from(status.healthy));
        registry.register("healthy", "1 when the supervisor is healthy", healthy);
    }

    let mut text = String::new();
    // Writing into a String cannot fail.
    let _ = encode(&mut text, &registry);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_and_the_status_become_prometheus_text() {
        let stats = JournalStats {
            runs: vec![("alpha".into(), "succeeded".into(), 3)],
            orders: vec![("Filled".into(), 6), ("Inactive".into(), 1)],
            run_seconds: vec![2.0, 40.0],
            first_order_seconds: vec![0.02, 0.3],
            last_success: vec![("alpha".into(), 1_000)],
        };
        let text = render(&stats, 4096, None, 61_000);
        for line in [
            "rebalancer_runs{strategy=\"alpha\",state=\"succeeded\"} 3",
            "rebalancer_orders{status=\"Filled\"} 6",
            "rebalancer_orders{status=\"Inactive\"} 1",
            "rebalancer_event_to_first_order_seconds_count 2",
            "rebalancer_event_to_first_order_seconds_bucket{le=\"0.05\"} 1",
            "rebalancer_run_duration_seconds_count 2",
            "rebalancer_seconds_since_last_success{strategy=\"alpha\"} 60.0",
            "rebalancer_journal_bytes 4096",
            "rebalancer_daemon_up 0",
        ] {
            assert!(text.contains(line), "{line} missing from:\n{text}");
        }
        assert!(
            !text.contains("rebalancer_realtime_connected"),
            "unknown when unreachable"
        );
    }
}
