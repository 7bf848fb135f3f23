//! Missed-event catch-up. Ably keeps about two minutes of history unless a channel has
//! persistence, so a supervisor that was away longer can lose events; the allocation API
//! always answers the current targets. At start, each strategy's current targets are
//! compared with those of its last successful rebalance (journaled with that run); where
//! they differ, one `catch-up` rebalance is submitted, in market hours, and announced.

use std::sync::Arc;

use trading_core::allocations::{Allocation, AllocationClient, ApiKey};
use trading_core::protocol::Command;

use super::Scheduler;
use crate::journal::{RunState, Trigger};
use crate::notify::Urgency;

/// A weight difference at or below this counts as the same target (publisher rounding).
const WEIGHT_TOLERANCE: f64 = 0.0005;

/// Why two target lists differ, for the log and the notification; `None` when they match.
pub fn difference(before: &[Allocation], now: &[Allocation]) -> Option<String> {
    let weight = |list: &[Allocation], symbol: &str| {
        list.iter()
            .filter(|a| a.symbol == symbol)
            .fold(0.0, |total, a| total + a.weight)
    };
    let mut symbols: Vec<&str> = before
        .iter()
        .chain(now)
        .map(|a| a.symbol.as_str())
        .collect();
    symbols.sort_unstable();
    symbols.dedup();
    let changes: Vec<String> = symbols
        .into_iter()
        .filter_map(|s| {
            let (was, is) = (weight(before, s), weight(now, s));
            ((was - is).abs() > WEIGHT_TOLERANCE)
                .then(|| format!("{s} {:.2}% → {:.2}%", was * 100.0, is * 100.0))
        })
        .collect();
    (!changes.is_empty()).then(|| changes.join(", "))
}

/// Compares every strategy's targets with its last rebalance's and submits a catch-up
/// rebalance where they differ; returns the runs submitted.
pub async fn catch_up(scheduler: &Arc<Scheduler>, api_key: Option<&str>) -> Vec<String> {
    let Some(key) = api_key else {
        tracing::warn!("catch-up skipped: ALLOCATIONS_API_KEY is not set");
        return Vec::new();
    };
    let client = match AllocationClient::new(
        scheduler.settings().allocations.clone(),
        ApiKey::new(key.to_string()),
    ) {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(%err, "catch-up skipped");
            return Vec::new();
        }
    };
    let mut submitted = Vec::new();
    for strategy in scheduler.strategy_names().await {
        match one(scheduler, &client, &strategy).await {
            Ok(Some(run_id)) => submitted.push(run_id),
            Ok(None) => {}
            Err(err) => tracing::warn!(strategy = %strategy, %err, "catch-up check failed"),
        }
    }
    submitted
}

async fn one(
    scheduler: &Arc<Scheduler>,
    client: &AllocationClient,
    strategy: &str,
) -> Result<Option<String>, String> {
    let journal = scheduler.journal();
    let Some(last) = journal
        .last_rebalanced_targets(strategy)
        .await
        .map_err(|e| e.to_string())?
    else {
        tracing::info!(strategy, "catch-up: no earlier rebalance to compare with");
        return Ok(None);
    };
    let pending = journal
        .runs_in(&[RunState::Queued, RunState::Scheduled, RunState::Held])
        .await
        .map_err(|e| e.to_string())?;
    if pending
        .iter()
        .any(|r| r.strategy == strategy && r.command == Command::Rebalance)
    {
        tracing::info!(strategy, "catch-up: a rebalance is already waiting");
        return Ok(None);
    }
    let now = client.fetch(strategy).await.map_err(|e| e.to_string())?;
    let Some(changes) = difference(&last.targets, &now) else {
        tracing::info!(
            strategy,
            "catch-up: targets unchanged since the last rebalance"
        );
        return Ok(None);
    };
    let submitted = scheduler
        .submit(
            strategy,
            Command::Rebalance,
            &[],
            Trigger::CatchUp,
            None,
            true,
        )
        .await
        .map_err(|e| e.to_string())?;
    let why = format!(
        "the targets changed since run {} ({changes}): an event was missed while the supervisor was away; run {} rebalances",
        last.run_id, submitted.run_id
    );
    tracing::warn!(strategy, run_id = %submitted.run_id, "catch-up: {why}");
    scheduler.notifier().send(
        format!("{strategy}: catching up a missed rebalance"),
        why,
        Urgency::High,
    );
    Ok(Some(submitted.run_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(weights: &[(&str, f64)]) -> Vec<Allocation> {
        weights
            .iter()
            .map(|(s, w)| Allocation {
                symbol: s.to_string(),
                weight: *w,
            })
            .collect()
    }

    #[test]
    fn targets_differ_by_symbol_or_weight_beyond_rounding() {
        let before = list(&[("VTI", 0.6), ("BND", 0.4)]);
        assert_eq!(
            difference(&before, &list(&[("BND", 0.4), ("VTI", 0.6002)])),
            None
        );
        assert_eq!(
            difference(&before, &list(&[("VTI", 0.5), ("BND", 0.4), ("GLD", 0.1)])).as_deref(),
            Some("GLD 0.00% → 10.00%, VTI 60.00% → 50.00%")
        );
        assert_eq!(
            difference(&before, &list(&[("VTI", 0.6)])).as_deref(),
            Some("BND 40.00% → 0.00%")
        );
    }
}
