//! Aggregates over the journal for the dashboard's metrics: runs by strategy and state,
//! orders by status, how long runs took and how soon after their event the first order
//! went out, and each strategy's last successful rebalance.

use super::{Journal, JournalError};

/// What the journal holds, counted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JournalStats {
    /// Runs by (strategy, state).
    pub runs: Vec<(String, String, u64)>,
    /// Orders by status (`Filled`, `Cancelled`, `Inactive`, ...).
    pub orders: Vec<(String, u64)>,
    /// Seconds from start to finish of every finished run that started.
    pub run_seconds: Vec<f64>,
    /// Seconds from an event's arrival to its run's first order, per run that placed one.
    pub first_order_seconds: Vec<f64>,
    /// Each strategy's last succeeded rebalance (ms since the epoch).
    pub last_success: Vec<(String, i64)>,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Journal {
    /// Counts what the journal holds.
    pub async fn stats(&self) -> Result<JournalStats, JournalError> {
        self.call(|c| {
            let runs = c
                .prepare("SELECT strategy, state, COUNT(*) FROM runs GROUP BY strategy, state ORDER BY strategy, state")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, count(r.get(2)?))))?
                .collect::<Result<Vec<_>, _>>()?;
            let orders = c
                .prepare("SELECT status, COUNT(*) FROM orders GROUP BY status ORDER BY status")?
                .query_map([], |r| Ok((r.get(0)?, count(r.get(1)?))))?
                .collect::<Result<Vec<_>, _>>()?;
            let run_seconds = c
                .prepare("SELECT finished_at - started_at FROM runs WHERE started_at IS NOT NULL AND finished_at IS NOT NULL")?
                .query_map([], |r| Ok(r.get::<_, i64>(0)? as f64 / 1000.0))?
                .collect::<Result<Vec<_>, _>>()?;
            let first_order_seconds = c
                .prepare(
                    "SELECT MIN(o.placed_at) - e.received_at FROM events e JOIN orders o ON o.run_id = e.run_id
                     WHERE o.placed_at IS NOT NULL GROUP BY e.id",
                )?
                .query_map([], |r| Ok(r.get::<_, i64>(0)?.max(0) as f64 / 1000.0))?
                .collect::<Result<Vec<_>, _>>()?;
            let last_success = c
                .prepare(
                    "SELECT strategy, MAX(finished_at) FROM runs WHERE state = 'succeeded' AND command = 'rebalance'
                     GROUP BY strategy ORDER BY strategy",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(JournalStats {
                runs,
                orders,
                run_seconds,
                first_order_seconds,
                last_success,
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use trading_core::executor::OrderReport;
    use trading_core::protocol::Command;

    use super::*;
    use crate::journal::{NewRun, RunState, StateChange, Trigger};

    #[tokio::test]
    async fn runs_orders_and_the_time_from_event_to_first_order_are_counted() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let event = journal
            .insert_event("m1", "alpha", Command::Rebalance, "{}")
            .await
            .unwrap()
            .unwrap();
        let run = journal
            .create_run(NewRun::first(
                "alpha",
                Command::Rebalance,
                Trigger::Event,
                vec!["DU1234567".into()],
            ))
            .await
            .unwrap();
        journal.link_event(event, &run).await.unwrap();
        let order: OrderReport = serde_json::from_value(serde_json::json!({
            "order_id": 1, "symbol": "VTI", "action": "BUY", "quantity": 1, "order_type": "MKT",
            "limit_price": null, "order_ref": "rb:x", "status": "Submitted", "filled": 0.0,
            "avg_fill_price": null, "commission": 0.0, "unfilled_reason": null
        }))
        .unwrap();
        journal
            .record_order(&run, "DU1234567", &order)
            .await
            .unwrap();
        let placed: i64 = journal
            .call(|c| Ok(c.query_row("SELECT placed_at FROM orders", [], |r| r.get(0))?))
            .await
            .unwrap();
        let filled = OrderReport {
            status: trading_core::broker::OrderStatus::Filled,
            filled: 1.0,
            ..order
        };
        journal
            .record_order(&run, "DU1234567", &filled)
            .await
            .unwrap();
        for to in [RunState::Running, RunState::Succeeded] {
            journal.transition(&run, StateChange::to(to)).await.unwrap();
        }
        let stats = journal.stats().await.unwrap();
        assert_eq!(stats.runs, [("alpha".into(), "succeeded".into(), 1)]);
        assert_eq!(
            stats.orders,
            [("Filled".into(), 1)],
            "an order counts once, as it is now"
        );
        assert_eq!(stats.first_order_seconds.len(), 1);
        assert!(stats.first_order_seconds[0] < 5.0);
        assert_eq!(stats.run_seconds.len(), 1);
        assert_eq!(stats.last_success[0].0, "alpha");
        let kept: i64 = journal
            .call(|c| Ok(c.query_row("SELECT placed_at FROM orders", [], |r| r.get(0))?))
            .await
            .unwrap();
        assert_eq!(kept, placed, "an update keeps when the order was placed");
    }
}
