//! Each account's snapshots in a run (net liquidation, cash, positions, quotes): before its
//! trades, as its first plan saw it (what a rerun of a crashed attempt reconciles the
//! gateway's positions against), and after them (what the dashboard shows drift from).

use rusqlite::{OptionalExtension, params};
use trading_core::executor::EarlierAttempts;
use trading_core::protocol::SnapshotPhase;
use trading_core::snapshot::AccountSnapshot;

use super::{Journal, JournalError, RunRow};
use crate::clock::now_ms;

/// A snapshot as the journal holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSnapshot {
    /// The run that took it.
    pub run_id: String,
    /// Before or after that run's trades.
    pub phase: SnapshotPhase,
    /// When (ms since the epoch).
    pub taken_at: i64,
    /// The account's balances, positions and quotes.
    pub snapshot: AccountSnapshot,
}

impl Journal {
    /// Records `account`'s snapshot in run `run_id` at `phase`; the first one of a run and
    /// phase is kept.
    pub async fn record_snapshot(
        &self,
        run_id: &str,
        account: &str,
        phase: SnapshotPhase,
        snapshot: &AccountSnapshot,
    ) -> Result<(), JournalError> {
        let (run_id, account) = (run_id.to_string(), account.to_string());
        let json =
            serde_json::to_string(snapshot).map_err(|e| JournalError::Corrupt(e.to_string()))?;
        self.call(move |c| {
            c.execute(
                "INSERT OR IGNORE INTO account_snapshots (run_id, account, phase, taken_at, snapshot) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![run_id, account, phase.name(), now_ms(), json],
            )?;
            Ok(())
        })
        .await
    }

    /// `account`'s snapshot before run `run_id`'s trades, when it was recorded.
    pub async fn snapshot(
        &self,
        run_id: &str,
        account: &str,
    ) -> Result<Option<AccountSnapshot>, JournalError> {
        let (run_id, account) = (run_id.to_string(), account.to_string());
        let json: Option<String> = self
            .call(move |c| {
                Ok(c.query_row(
                    "SELECT snapshot FROM account_snapshots WHERE run_id = ?1 AND account = ?2 AND phase = 'before'",
                    params![run_id, account],
                    |r| r.get(0),
                )
                .optional()?)
            })
            .await?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| JournalError::Corrupt(e.to_string())))
            .transpose()
    }

    /// The latest snapshot (before or after a run's trades) of each account a run of
    /// `strategy` recorded, by account; of two taken at once, the after one.
    pub async fn latest_snapshots(
        &self,
        strategy: &str,
    ) -> Result<Vec<StoredSnapshot>, JournalError> {
        let strategy = strategy.to_string();
        let rows: Vec<(String, String, i64, String)> = self
            .call(move |c| {
                let mut statement = c.prepare(
                    "SELECT run_id, phase, taken_at, snapshot FROM (
                         SELECT s.run_id, s.phase, s.account, s.taken_at, s.snapshot, ROW_NUMBER() OVER (
                             PARTITION BY s.account ORDER BY s.taken_at DESC, s.phase = 'after' DESC
                         ) AS newest
                         FROM account_snapshots s JOIN runs r ON r.id = s.run_id WHERE r.strategy = ?1
                     ) WHERE newest = 1 ORDER BY account",
                )?;
                let rows = statement
                    .query_map(params![strategy], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                    })?
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(rows)
            })
            .await?;
        rows.into_iter()
            .map(|(run_id, phase, taken_at, json)| {
                let corrupt =
                    |e: String| JournalError::Corrupt(format!("snapshot in {run_id}: {e}"));
                let phase = match phase.as_str() {
                    "before" => SnapshotPhase::Before,
                    "after" => SnapshotPhase::After,
                    other => return Err(corrupt(format!("phase `{other}`"))),
                };
                let snapshot = serde_json::from_str(&json).map_err(|e| corrupt(e.to_string()))?;
                Ok(StoredSnapshot {
                    run_id,
                    phase,
                    taken_at,
                    snapshot,
                })
            })
            .collect()
    }

    /// What the earlier attempts of `run` started from in `account`: the snapshot of the
    /// oldest attempt that recorded one, with the ids of that attempt and every later one
    /// before `run`. `None` for a first attempt, or when no earlier attempt got as far as a
    /// snapshot of the account (so it placed nothing there).
    pub async fn earlier_attempts(
        &self,
        run: &RunRow,
        account: &str,
    ) -> Result<Option<EarlierAttempts>, JournalError> {
        if run.retry_of.is_none() {
            return Ok(None);
        }
        let mut earlier: Vec<RunRow> = self
            .retry_chain(&run.id)
            .await?
            .into_iter()
            .filter(|r| r.id != run.id)
            .collect();
        earlier.reverse();
        for (index, attempt) in earlier.iter().enumerate() {
            if let Some(snapshot) = self.snapshot(&attempt.id, account).await? {
                let run_ids = earlier[index..].iter().map(|r| r.id.clone()).collect();
                return Ok(Some(EarlierAttempts::before(&snapshot, run_ids)));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use trading_core::protocol::Command;
    use trading_core::snapshot::Position;

    use super::*;
    use crate::journal::{NewRun, Trigger};

    const ACCOUNT: &str = "DU1234567";

    fn snapshot(cash: f64, vti: f64) -> AccountSnapshot {
        AccountSnapshot {
            account_id: ACCOUNT.into(),
            net_liquidation: 100_000.0,
            cash,
            positions: vec![Position {
                symbol: "VTI".into(),
                quantity: vti,
            }],
            quotes: BTreeMap::new(),
            held_not_traded: Vec::new(),
        }
    }

    #[tokio::test]
    async fn a_retry_starts_from_the_oldest_attempt_that_saw_the_account() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let first = journal
            .create_run(NewRun::first(
                "alpha",
                Command::Rebalance,
                Trigger::Event,
                vec![ACCOUNT.into()],
            ))
            .await
            .unwrap();
        let next = |parent: String| {
            let journal = journal.clone();
            async move {
                let row = journal.run(&parent).await.unwrap().unwrap();
                let run = NewRun::next_attempt(&row, Trigger::Retry, vec![ACCOUNT.into()], None);
                journal
                    .create_next_attempt(&parent, run, None)
                    .await
                    .unwrap()
                    .unwrap()
            }
        };
        let second = next(first.clone()).await;
        let third = next(second.clone()).await;
        let row = |id: String| {
            let journal = journal.clone();
            async move { journal.run(&id).await.unwrap().unwrap() }
        };
        assert_eq!(
            journal
                .earlier_attempts(&row(first.clone()).await, ACCOUNT)
                .await
                .unwrap(),
            None,
            "a first attempt has none"
        );
        // The first attempt died before it saw the account; the second saw it and traded.
        journal
            .record_snapshot(
                &second,
                ACCOUNT,
                SnapshotPhase::Before,
                &snapshot(50_000.0, 10.0),
            )
            .await
            .unwrap();
        journal
            .record_snapshot(
                &second,
                ACCOUNT,
                SnapshotPhase::Before,
                &snapshot(1.0, 99.0),
            )
            .await
            .unwrap();
        journal
            .record_snapshot(
                &third,
                ACCOUNT,
                SnapshotPhase::Before,
                &snapshot(40_000.0, 50.0),
            )
            .await
            .unwrap();
        let earlier = journal
            .earlier_attempts(&row(third.clone()).await, ACCOUNT)
            .await
            .unwrap()
            .expect("earlier attempts");
        assert_eq!(earlier.run_ids, vec![second.clone()]);
        assert_eq!(
            earlier.cash, 50_000.0,
            "the first snapshot of a run is kept"
        );
        assert_eq!(earlier.positions[0].quantity, 10.0);
        assert_eq!(
            journal
                .earlier_attempts(&row(third).await, "DU7654321")
                .await
                .unwrap(),
            None,
            "no attempt saw that account"
        );
    }

    #[tokio::test]
    async fn the_latest_snapshot_is_the_after_one_and_retries_still_start_from_before() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        let run = journal
            .create_run(NewRun::first(
                "alpha",
                Command::Rebalance,
                Trigger::Event,
                vec![ACCOUNT.into()],
            ))
            .await
            .unwrap();
        journal
            .record_snapshot(
                &run,
                ACCOUNT,
                SnapshotPhase::Before,
                &snapshot(90_000.0, 0.0),
            )
            .await
            .unwrap();
        journal
            .record_snapshot(&run, ACCOUNT, SnapshotPhase::After, &snapshot(10.0, 320.0))
            .await
            .unwrap();
        let latest = journal.latest_snapshots("alpha").await.unwrap();
        assert_eq!(latest.len(), 1, "one per account");
        assert_eq!(latest[0].phase, SnapshotPhase::After);
        assert_eq!(latest[0].snapshot.cash, 10.0);
        assert_eq!(
            journal
                .snapshot(&run, ACCOUNT)
                .await
                .unwrap()
                .map(|s| s.cash),
            Some(90_000.0),
            "what a retry reconciles against is the before one"
        );
        assert!(journal.latest_snapshots("beta").await.unwrap().is_empty());
    }
}
