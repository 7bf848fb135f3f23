//! Each account's snapshot as a run's first plan saw it (net liquidation, cash, positions,
//! quotes): what a rerun of a crashed attempt reconciles the gateway's positions against.

use rusqlite::{OptionalExtension, params};
use trading_core::executor::EarlierAttempts;
use trading_core::snapshot::AccountSnapshot;

use super::{Journal, JournalError, RunRow};
use crate::clock::now_ms;

impl Journal {
    /// Records `account`'s snapshot in run `run_id`; the first one of a run is kept.
    pub async fn record_snapshot(
        &self,
        run_id: &str,
        account: &str,
        snapshot: &AccountSnapshot,
    ) -> Result<(), JournalError> {
        let (run_id, account) = (run_id.to_string(), account.to_string());
        let json =
            serde_json::to_string(snapshot).map_err(|e| JournalError::Corrupt(e.to_string()))?;
        self.call(move |c| {
            c.execute(
                "INSERT OR IGNORE INTO account_snapshots (run_id, account, taken_at, snapshot) VALUES (?1, ?2, ?3, ?4)",
                params![run_id, account, now_ms(), json],
            )?;
            Ok(())
        })
        .await
    }

    /// `account`'s snapshot in run `run_id`, when it was recorded.
    pub async fn snapshot(
        &self,
        run_id: &str,
        account: &str,
    ) -> Result<Option<AccountSnapshot>, JournalError> {
        let (run_id, account) = (run_id.to_string(), account.to_string());
        let json: Option<String> = self
            .call(move |c| {
                Ok(c.query_row(
                    "SELECT snapshot FROM account_snapshots WHERE run_id = ?1 AND account = ?2",
                    params![run_id, account],
                    |r| r.get(0),
                )
                .optional()?)
            })
            .await?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| JournalError::Corrupt(e.to_string())))
            .transpose()
    }

    /// The latest snapshot of each account a run of `strategy` recorded, with when it was
    /// taken (ms since the epoch), by account.
    pub async fn latest_snapshots(
        &self,
        strategy: &str,
    ) -> Result<Vec<(i64, AccountSnapshot)>, JournalError> {
        let strategy = strategy.to_string();
        let rows: Vec<(i64, String)> = self
            .call(move |c| {
                let mut statement = c.prepare(
                    "SELECT s.taken_at, s.snapshot FROM account_snapshots s JOIN runs r ON r.id = s.run_id
                     WHERE r.strategy = ?1 AND s.taken_at = (
                         SELECT MAX(s2.taken_at) FROM account_snapshots s2 JOIN runs r2 ON r2.id = s2.run_id
                         WHERE r2.strategy = ?1 AND s2.account = s.account)
                     ORDER BY s.account",
                )?;
                let rows = statement
                    .query_map(params![strategy], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(rows)
            })
            .await?;
        rows.into_iter()
            .map(|(taken_at, json)| {
                serde_json::from_str(&json)
                    .map(|snapshot| (taken_at, snapshot))
                    .map_err(|e| JournalError::Corrupt(e.to_string()))
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
            .record_snapshot(&second, ACCOUNT, &snapshot(50_000.0, 10.0))
            .await
            .unwrap();
        journal
            .record_snapshot(&second, ACCOUNT, &snapshot(1.0, 99.0))
            .await
            .unwrap();
        journal
            .record_snapshot(&third, ACCOUNT, &snapshot(40_000.0, 50.0))
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
}
