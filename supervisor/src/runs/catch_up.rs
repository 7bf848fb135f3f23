//! Missed-event catch-up. Ably keeps about two minutes of history unless a channel has
//! persistence, so a supervisor that was away longer, or whose realtime link was down
//! longer, can lose events; the allocation API always answers the current targets. At
//! start, when a channel's history no longer reaches back to its last message, and (with
//! `supervisor.daily_check_at_open`) at each session's open, each strategy's current
//! targets are compared with those of its last successful rebalance (journaled with that
//! run); where they differ, one `catch-up` rebalance is submitted, in market hours, and
//! announced. Checks run one at a time, and a strategy with a rebalance already waiting
//! or running is left alone, so one missed event makes one run.

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;
use trading_core::allocations::{Allocation, AllocationClient, ApiKey};
use trading_core::calendar;
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

/// Why a catch-up check runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    /// The supervisor started.
    Start,
    /// A channel's history no longer reached back to its last message after the realtime
    /// link was down.
    LinkGap,
    /// A trading session opened (`supervisor.daily_check_at_open`).
    SessionOpen,
}

impl Occasion {
    /// How the occasion reads in the log and the notification.
    fn describe(self) -> &'static str {
        match self {
            Self::Start => "an event was missed while the supervisor was away",
            Self::LinkGap => {
                "an event was missed while the realtime link was down longer than Ably keeps history"
            }
            Self::SessionOpen => "the daily check at the open found them changed",
        }
    }
}

/// Compares the targets of `strategies` (every strategy when `None`) with their last
/// rebalance's and submits a catch-up rebalance where they differ; returns the runs
/// submitted.
pub async fn catch_up(
    scheduler: &Arc<Scheduler>,
    api_key: Option<&str>,
    strategies: Option<&[String]>,
    occasion: Occasion,
) -> Vec<String> {
    let _one_at_a_time = scheduler.catching_up.lock().await;
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
    let names = match strategies {
        Some(names) => names.to_vec(),
        None => scheduler.strategy_names().await,
    };
    for strategy in names {
        match one(scheduler, &client, &strategy, occasion).await {
            Ok(Some(run_id)) => submitted.push(run_id),
            Ok(None) => {}
            Err(err) => tracing::warn!(strategy = %strategy, %err, "catch-up check failed"),
        }
    }
    submitted
}

/// When the daily check after `now` is due: the next session's open plus `open_delay`.
pub fn next_daily_check(now: OffsetDateTime, open_delay: Duration) -> Option<OffsetDateTime> {
    calendar::next_open(now).map(|open| open + open_delay)
}

/// Checks every strategy at each session's open (`supervisor.daily_check_at_open`) until
/// `shutdown`.
pub async fn daily_at_open(scheduler: Arc<Scheduler>, shutdown: CancellationToken) {
    loop {
        let now = scheduler.now();
        let Some(due) = next_daily_check(now, scheduler.settings().supervisor.open_delay) else {
            tracing::error!("daily check: no session open found in the calendar; stopping");
            return;
        };
        let wait = Duration::try_from(due - now).unwrap_or_default();
        tracing::info!(at = %due, "daily check at the open scheduled");
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = shutdown.cancelled() => return,
        }
        let runs = catch_up(
            &scheduler,
            scheduler.allocations_key(),
            None,
            Occasion::SessionOpen,
        )
        .await;
        tracing::info!(runs = runs.len(), "daily check at the open done");
    }
}

async fn one(
    scheduler: &Arc<Scheduler>,
    client: &AllocationClient,
    strategy: &str,
    occasion: Occasion,
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
        .runs_in(&[
            RunState::Queued,
            RunState::Scheduled,
            RunState::Held,
            RunState::Running,
        ])
        .await
        .map_err(|e| e.to_string())?;
    if pending
        .iter()
        .any(|r| r.strategy == strategy && r.command == Command::Rebalance)
    {
        tracing::info!(
            strategy,
            "catch-up: a rebalance is already waiting or running"
        );
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
        "the targets changed since run {} ({changes}): {}; run {} rebalances",
        last.run_id,
        occasion.describe(),
        submitted.run_id
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
    fn the_daily_check_is_due_at_the_next_open_plus_the_delay() {
        use time::macros::datetime;
        let delay = Duration::from_secs(300);
        // Saturday: the next session opens Monday 09:30 New York (14:30 UTC).
        assert_eq!(
            next_daily_check(datetime!(2026-11-28 12:00 UTC), delay),
            Some(datetime!(2026-11-30 14:35 UTC))
        );
        // During Monday's session: Tuesday's open.
        assert_eq!(
            next_daily_check(datetime!(2026-11-30 16:00 UTC), delay),
            Some(datetime!(2026-12-01 14:35 UTC))
        );
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
