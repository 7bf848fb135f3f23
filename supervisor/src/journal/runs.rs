//! Runs, their per-account results and orders.

use rusqlite::{Connection, OptionalExtension, Row, params};
use trading_core::allocations::Allocation;
use trading_core::control::{AccountOutcome, LiveEvent, OrderRow, RunDetail, RunSummary};
use trading_core::executor::OrderReport;
use trading_core::protocol::{AccountResult, Command, Outcome};

use super::{Journal, JournalError, RunState, StateChange, Trigger};
use crate::clock::{now_ms, rfc3339};

/// A run to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRun {
    /// Strategy.
    pub strategy: String,
    /// Command.
    pub command: Command,
    /// What started it.
    pub trigger: Trigger,
    /// 1 for new work, +1 per retry or recovery.
    pub attempt: u32,
    /// Accounts covered.
    pub accounts: Vec<String>,
    /// Not to start before this time (ms): the run is created `scheduled`.
    pub not_before: Option<i64>,
    /// The run this retries or recovers.
    pub retry_of: Option<String>,
}

impl NewRun {
    /// New work: a first attempt that may start at once and retries nothing.
    pub fn first(
        strategy: &str,
        command: Command,
        trigger: Trigger,
        accounts: Vec<String>,
    ) -> Self {
        Self {
            strategy: strategy.to_string(),
            command,
            trigger,
            attempt: 1,
            accounts,
            not_before: None,
            retry_of: None,
        }
    }
}

impl NewRun {
    /// The next attempt of `previous` for `accounts`: the same strategy and command, one
    /// attempt more, starting at `not_before` (or at once). Its link to `previous` is made by
    /// [`Journal::create_next_attempt`].
    pub fn next_attempt(
        previous: &RunRow,
        trigger: Trigger,
        accounts: Vec<String>,
        not_before: Option<i64>,
    ) -> Self {
        Self {
            strategy: previous.strategy.clone(),
            command: previous.command,
            trigger,
            attempt: previous.attempt + 1,
            accounts,
            not_before,
            retry_of: None,
        }
    }
}

/// A stored run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    /// Run id.
    pub id: String,
    /// Strategy.
    pub strategy: String,
    /// Command.
    pub command: Command,
    /// What started it.
    pub trigger: Trigger,
    /// State.
    pub state: RunState,
    /// Attempt.
    pub attempt: u32,
    /// Accounts.
    pub accounts: Vec<String>,
    /// Created (ms).
    pub created_at: i64,
    /// Earliest start (ms).
    pub not_before: Option<i64>,
    /// Finished (ms).
    pub finished_at: Option<i64>,
    /// Failure text.
    pub error: Option<String>,
    /// The run this one retries or recovers.
    pub retry_of: Option<String>,
    /// The targets it traded against, once a worker fetched them.
    pub targets: Option<Vec<Allocation>>,
}

impl RunRow {
    /// The row as the control protocol shows it.
    pub fn summary(&self) -> RunSummary {
        RunSummary {
            id: self.id.clone(),
            strategy: self.strategy.clone(),
            command: self.command,
            trigger: self.trigger.name().to_string(),
            state: self.state.name().to_string(),
            attempt: self.attempt,
            created_at: rfc3339(self.created_at),
            not_before: self.not_before.map(rfc3339),
            finished_at: self.finished_at.map(rfc3339),
            error: self.error.clone(),
            retry_of: self.retry_of.clone(),
        }
    }
}

const RUN_COLUMNS: &str = "id, strategy, command, trigger, state, attempt, accounts, created_at, not_before, finished_at, error, retry_of, targets";

/// A runs row as stored, before its columns are decoded.
fn run_row(row: &Row<'_>) -> rusqlite::Result<RawRun> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
        row.get(9)?,
        row.get(10)?,
        row.get(11)?,
        row.get(12)?,
    ))
}

type RawRun = (
    String,
    String,
    String,
    String,
    String,
    u32,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn decode(raw: RawRun) -> Result<RunRow, JournalError> {
    let (
        id,
        strategy,
        command,
        trigger,
        state,
        attempt,
        accounts,
        created_at,
        not_before,
        finished_at,
        error,
        retry_of,
        targets,
    ) = raw;
    let command: Command = serde_json::from_value(serde_json::Value::String(command.clone()))
        .map_err(|_| JournalError::Corrupt(format!("run {id}: command `{command}`")))?;
    let accounts: Vec<String> = serde_json::from_str(&accounts)
        .map_err(|e| JournalError::Corrupt(format!("run {id}: accounts: {e}")))?;
    let targets = targets
        .map(|t| serde_json::from_str(&t))
        .transpose()
        .map_err(|e| JournalError::Corrupt(format!("run {id}: targets: {e}")))?;
    Ok(RunRow {
        state: RunState::parse(&state)?,
        trigger: Trigger::parse(&trigger)?,
        id,
        strategy,
        command,
        attempt,
        accounts,
        created_at,
        not_before,
        finished_at,
        error,
        retry_of,
        targets,
    })
}

fn query_runs(
    connection: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<RunRow>, JournalError> {
    let mut statement = connection.prepare(&format!("SELECT {RUN_COLUMNS} FROM runs {filter}"))?;
    let raws = statement
        .query_map(args, run_row)?
        .collect::<Result<Vec<_>, _>>()?;
    raws.into_iter().map(decode).collect()
}

/// Each account's `column` (`outcome` or `result`) of `account_results` in run `run_id`,
/// decoded from its JSON, by account; accounts where it is null are left out.
fn accounts_json<T: serde::de::DeserializeOwned>(
    c: &Connection,
    run_id: &str,
    column: &'static str,
) -> Result<Vec<(String, T)>, JournalError> {
    let mut statement = c.prepare(&format!(
        "SELECT account, {column} FROM account_results WHERE run_id = ?1 AND {column} IS NOT NULL ORDER BY account"
    ))?;
    let rows = statement
        .query_map([run_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(account, json)| {
            let value = serde_json::from_str(&json)
                .map_err(|e| JournalError::Corrupt(format!("{column} of {account}: {e}")))?;
            Ok((account, value))
        })
        .collect()
}

/// `order` of `account` as the journal lists it.
fn order_row(account: &str, order: &OrderReport) -> OrderRow {
    OrderRow {
        account: account.to_string(),
        order_id: order.order_id,
        symbol: order.symbol.clone(),
        action: order.action.name().to_string(),
        quantity: order.quantity,
        status: format!("{:?}", order.status),
        filled: order.filled,
        avg_fill_price: order.avg_fill_price,
        commission: Some(order.commission),
    }
}

/// Which runs a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunFilter {
    /// Only this strategy's.
    pub strategy: Option<String>,
    /// Only runs in this state.
    pub state: Option<RunState>,
    /// At most this many.
    pub limit: u32,
}

impl RunFilter {
    /// The latest `limit` runs of `strategy` (of every strategy when `None`), any state.
    pub fn latest(strategy: Option<String>, limit: u32) -> Self {
        Self {
            strategy,
            state: None,
            limit,
        }
    }
}

/// A new run id: time-ordered and unique, with no `:` (it is part of order references).
fn new_run_id(strategy: &str) -> String {
    let suffix: String = (0..4).map(|_| fastrand::alphanumeric()).collect();
    format!("{}-{}-{}", strategy, now_ms(), suffix.to_ascii_lowercase())
}

/// Inserts `run` in `state` (by default queued, or scheduled when it has a start time).
fn insert_run(
    c: &Connection,
    run: &NewRun,
    state: Option<RunState>,
) -> Result<String, JournalError> {
    let id = new_run_id(&run.strategy);
    let state = state.unwrap_or(if run.not_before.is_some() {
        RunState::Scheduled
    } else {
        RunState::Queued
    });
    let accounts =
        serde_json::to_string(&run.accounts).map_err(|e| JournalError::Corrupt(e.to_string()))?;
    c.execute(
        "INSERT INTO runs (id, strategy, command, trigger, state, attempt, accounts, created_at, not_before, retry_of)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            id,
            run.strategy,
            run.command.name(),
            run.trigger.name(),
            state.name(),
            run.attempt,
            accounts,
            now_ms(),
            run.not_before,
            run.retry_of
        ],
    )?;
    Ok(id)
}

/// Inserts `run` as `expired`: finished at once, with `reason`, never run.
fn insert_expired(c: &Connection, run: &NewRun, reason: &str) -> Result<String, JournalError> {
    let id = insert_run(c, run, Some(RunState::Expired))?;
    c.execute(
        "UPDATE runs SET finished_at = ?2, error = ?3 WHERE id = ?1",
        params![id, now_ms(), reason],
    )?;
    Ok(id)
}

impl Journal {
    /// Records a new run (queued, or scheduled when it has a start time) and returns its id.
    pub async fn create_run(&self, run: NewRun) -> Result<String, JournalError> {
        let id = self.call(move |c| insert_run(c, &run, None)).await?;
        self.announce_run(&id).await;
        Ok(id)
    }

    /// Records a new held run (its strategy is paused) and returns its id.
    pub async fn create_held_run(&self, run: NewRun) -> Result<String, JournalError> {
        let id = self
            .call(move |c| insert_run(c, &run, Some(RunState::Held)))
            .await?;
        self.announce_run(&id).await;
        Ok(id)
    }

    /// Records `run` as the next attempt of run `parent` (its retry or recovery), unless a
    /// retry or recovery already follows `parent`: then returns `None`. The check and the insert are one
    /// transaction, so a run gets at most one next attempt however often this is asked.
    /// With `expired`, the attempt is recorded `expired` with that reason and never runs.
    pub async fn create_next_attempt(
        &self,
        parent: &str,
        run: NewRun,
        expired: Option<String>,
    ) -> Result<Option<String>, JournalError> {
        let parent = parent.to_string();
        let id = self.call(move |c| {
            let tx = c.transaction()?;
            let taken: Option<String> = tx
                .query_row(
                    "SELECT id FROM runs WHERE retry_of = ?1 AND trigger IN ('retry', 'recovery') LIMIT 1",
                    [&parent],
                    |r| r.get(0),
                )
                .optional()?;
            if taken.is_some() {
                return Ok(None);
            }
            let run = NewRun {
                retry_of: Some(parent),
                ..run
            };
            let id = match expired {
                Some(reason) => insert_expired(&tx, &run, &reason)?,
                None => insert_run(&tx, &run, None)?,
            };
            tx.commit()?;
            Ok(Some(id))
        })
        .await?;
        if let Some(id) = &id {
            self.announce_run(id).await;
        }
        Ok(id)
    }

    /// Records an `expired` run for work too old to trade, with the reason.
    pub async fn create_expired_run(
        &self,
        run: NewRun,
        reason: String,
    ) -> Result<String, JournalError> {
        let id = self.call(move |c| insert_expired(c, &run, &reason)).await?;
        self.announce_run(&id).await;
        Ok(id)
    }

    /// Records the targets run `id` trades against.
    pub async fn set_targets(&self, id: &str, targets: &[Allocation]) -> Result<(), JournalError> {
        let id = id.to_string();
        let targets =
            serde_json::to_string(targets).map_err(|e| JournalError::Corrupt(e.to_string()))?;
        self.call(move |c| {
            c.execute(
                "UPDATE runs SET targets = ?2 WHERE id = ?1",
                params![id, targets],
            )?;
            Ok(())
        })
        .await
    }

    /// The run `id` and every run it retries or recovers, newest first.
    pub async fn retry_chain(&self, id: &str) -> Result<Vec<RunRow>, JournalError> {
        let id = id.to_string();
        self.call(move |c| {
            let filter = "WHERE id IN (WITH RECURSIVE chain(id, retry_of) AS (SELECT id, retry_of FROM runs WHERE id = ?1 \
                 UNION ALL SELECT r.id, r.retry_of FROM runs r JOIN chain ON r.id = chain.retry_of) SELECT id FROM chain) ORDER BY created_at DESC, rowid DESC";
            query_runs(c, filter, &[&id])
        })
        .await
    }

    /// Whether any order of `account` has filled since `since_ms`.
    pub async fn traded_since(&self, account: &str, since_ms: i64) -> Result<bool, JournalError> {
        let account = account.to_string();
        self.call(move |c| {
            let count: i64 = c.query_row(
                "SELECT COUNT(*) FROM orders WHERE account = ?1 AND filled > 0 AND updated_at >= ?2",
                params![account, since_ms],
                |r| r.get(0),
            )?;
            Ok(count > 0)
        })
        .await
    }

    /// Strategies paused by `supervisor pause` (`*` for all).
    pub async fn paused(&self) -> Result<Vec<String>, JournalError> {
        self.call(|c| {
            let mut statement = c.prepare("SELECT strategy FROM paused ORDER BY strategy")?;
            let rows = statement
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
    }

    /// Pauses (`true`) or resumes a strategy, or all with `*`; resuming all clears every pause.
    pub async fn set_paused(&self, strategy: &str, paused: bool) -> Result<(), JournalError> {
        let strategy = strategy.to_string();
        self.call(move |c| {
            match (paused, strategy.as_str()) {
                (true, _) => c.execute(
                    "INSERT OR IGNORE INTO paused (strategy) VALUES (?1)",
                    [&strategy],
                )?,
                (false, "*") => c.execute("DELETE FROM paused", [])?,
                (false, _) => c.execute("DELETE FROM paused WHERE strategy = ?1", [&strategy])?,
            };
            Ok(())
        })
        .await
    }

    /// Moves run `id` to `change.to` if the run state machine allows it from the state the
    /// run is in now, and returns that state. The update is conditional on the source state
    /// (`WHERE state IN (...)`), so of two paths racing to make the same move only one wins;
    /// the other gets [`JournalError::Transition`]. Final states record the end time, exit
    /// code and error; `running` the start time; `scheduled` the start time asked for.
    pub async fn transition(
        &self,
        id: &str,
        change: StateChange,
    ) -> Result<RunState, JournalError> {
        let run_id = id.to_string();
        let id = run_id.clone();
        let from = self.call(move |c| {
            let Some(name) = c
                .query_row("SELECT state FROM runs WHERE id = ?1", [&id], |r| {
                    r.get::<_, String>(0)
                })
                .optional()?
            else {
                return Err(JournalError::NoRun(id));
            };
            let from = RunState::parse(&name)?;
            let to = change.to;
            let sources: Vec<String> = to
                .sources()
                .iter()
                .map(|s| format!("'{}'", s.name()))
                .collect();
            let guard = format!("id = ?1 AND state IN ({})", sources.join(","));
            let changed = match to {
                RunState::Running => c.execute(
                    &format!("UPDATE runs SET state = ?2, started_at = ?3 WHERE {guard}"),
                    params![id, to.name(), now_ms()],
                )?,
                RunState::Scheduled => c.execute(
                    &format!("UPDATE runs SET state = ?2, not_before = ?3 WHERE {guard}"),
                    params![id, to.name(), change.not_before],
                )?,
                _ if to.is_final() => c.execute(
                    &format!(
                        "UPDATE runs SET state = ?2, finished_at = ?3, exit_code = ?4, error = ?5 WHERE {guard}"
                    ),
                    params![id, to.name(), now_ms(), change.exit_code, change.error],
                )?,
                _ => c.execute(
                    &format!("UPDATE runs SET state = ?2 WHERE {guard}"),
                    params![id, to.name()],
                )?,
            };
            if changed == 0 {
                let now: String =
                    c.query_row("SELECT state FROM runs WHERE id = ?1", [&id], |r| r.get(0))?;
                return Err(JournalError::Transition {
                    from: RunState::parse(&now)?,
                    run: id,
                    to,
                });
            }
            Ok(from)
        })
        .await?;
        self.announce_run(&run_id).await;
        Ok(from)
    }

    /// The runs that follow run `id`: its retries and recoveries (and PDT deferrals).
    pub async fn next_attempts(&self, id: &str) -> Result<Vec<RunRow>, JournalError> {
        let id = id.to_string();
        self.call(move |c| query_runs(c, "WHERE retry_of = ?1 ORDER BY created_at, rowid", &[&id]))
            .await
    }

    /// One run.
    pub async fn run(&self, id: &str) -> Result<Option<RunRow>, JournalError> {
        let id = id.to_string();
        self.call(move |c| Ok(query_runs(c, "WHERE id = ?1", &[&id])?.into_iter().next()))
            .await
    }

    /// Runs in `states`, oldest first.
    pub async fn runs_in(&self, states: &[RunState]) -> Result<Vec<RunRow>, JournalError> {
        let names: Vec<String> = states.iter().map(|s| format!("'{}'", s.name())).collect();
        let filter = format!(
            "WHERE state IN ({}) ORDER BY created_at, rowid",
            names.join(",")
        );
        self.call(move |c| query_runs(c, &filter, &[])).await
    }

    /// Recent runs matching `filter`, newest first.
    pub async fn recent_runs(&self, filter: &RunFilter) -> Result<Vec<RunRow>, JournalError> {
        let strategy = filter.strategy.clone();
        let state = filter.state.map(|s| s.name());
        let limit = filter.limit;
        self.call(move |c| {
            query_runs(
                c,
                "WHERE (?1 IS NULL OR strategy = ?1) AND (?2 IS NULL OR state = ?2) ORDER BY created_at DESC, rowid DESC LIMIT ?3",
                &[&strategy, &state, &limit],
            )
        })
        .await
    }

    /// The targets of the strategy's latest succeeded rebalance, if one recorded them.
    pub async fn last_rebalanced_targets(
        &self,
        strategy: &str,
    ) -> Result<Option<trading_core::allocations::PreviousTargets>, JournalError> {
        let strategy = strategy.to_string();
        self.call(move |c| {
            let run = query_runs(
                c,
                "WHERE strategy = ?1 AND command = 'rebalance' AND state = 'succeeded' AND targets IS NOT NULL ORDER BY finished_at DESC, rowid DESC LIMIT 1",
                &[&strategy],
            )?
            .into_iter()
            .next();
            Ok(run.and_then(|r| {
                r.targets.map(|targets| trading_core::allocations::PreviousTargets {
                    run_id: r.id,
                    targets,
                })
            }))
        })
        .await
    }

    /// The latest finished run of a strategy.
    pub async fn last_finished(&self, strategy: &str) -> Result<Option<RunRow>, JournalError> {
        let strategy = strategy.to_string();
        self.call(move |c| {
            Ok(query_runs(
                c,
                "WHERE strategy = ?1 AND finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1",
                &[&strategy],
            )?
            .into_iter()
            .next())
        })
        .await
    }

    /// Records how an account ended in a run.
    pub async fn record_account(
        &self,
        run_id: &str,
        account: &str,
        outcome: &Outcome,
        result: Option<String>,
    ) -> Result<(), JournalError> {
        let (run_id, account) = (run_id.to_string(), account.to_string());
        let outcome =
            serde_json::to_string(outcome).map_err(|e| JournalError::Corrupt(e.to_string()))?;
        self.call(move |c| {
            c.execute(
                "INSERT OR REPLACE INTO account_results (run_id, account, outcome, result) VALUES (?1, ?2, ?3, ?4)",
                params![run_id, account, outcome, result],
            )?;
            Ok(())
        })
        .await
    }

    /// Records an order's latest state.
    pub async fn record_order(
        &self,
        run_id: &str,
        account: &str,
        order: &OrderReport,
    ) -> Result<(), JournalError> {
        let (run_id, account, order) = (run_id.to_string(), account.to_string(), order.clone());
        let announced = (run_id.clone(), order_row(&account, &order));
        self.call(move |c| {
            let action = order.action.name();
            c.execute(
                "INSERT INTO orders (run_id, account, order_id, symbol, action, quantity, status, filled, avg_fill_price, order_ref, updated_at, commission, placed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?11)
                 ON CONFLICT (run_id, account, order_id) DO UPDATE SET symbol = excluded.symbol,
                     action = excluded.action, quantity = excluded.quantity, status = excluded.status,
                     filled = excluded.filled, avg_fill_price = excluded.avg_fill_price,
                     order_ref = excluded.order_ref, updated_at = excluded.updated_at,
                     commission = excluded.commission, placed_at = COALESCE(orders.placed_at, excluded.placed_at)",
                params![run_id, account, order.order_id, order.symbol, action, order.quantity as i64, format!("{:?}", order.status), order.filled, order.avg_fill_price, order.order_ref, now_ms(), order.commission],
            )?;
            Ok(())
        })
        .await?;
        let (run_id, order) = announced;
        self.announce(LiveEvent::Order { run_id, order });
        Ok(())
    }

    /// What each account of a run produced (its plan, orders and warnings for a
    /// rebalance), by account, for the accounts that reported one.
    pub async fn account_results(
        &self,
        run_id: &str,
    ) -> Result<Vec<(String, AccountResult)>, JournalError> {
        let run_id = run_id.to_string();
        self.call(move |c| accounts_json(c, &run_id, "result"))
            .await
    }

    /// Account outcomes of a run.
    pub async fn account_outcomes(
        &self,
        run_id: &str,
    ) -> Result<Vec<AccountOutcome>, JournalError> {
        let run_id = run_id.to_string();
        let rows = self
            .call(move |c| accounts_json(c, &run_id, "outcome"))
            .await?;
        Ok(rows
            .into_iter()
            .map(|(account, outcome)| AccountOutcome { account, outcome })
            .collect())
    }

    /// A run with its accounts and orders.
    pub async fn run_detail(&self, id: &str) -> Result<Option<RunDetail>, JournalError> {
        let Some(run) = self.run(id).await? else {
            return Ok(None);
        };
        let results = self.account_outcomes(id).await?;
        let run_id = id.to_string();
        let orders = self
            .call(move |c| {
                let mut statement = c.prepare(
                    "SELECT account, order_id, symbol, action, quantity, status, filled, avg_fill_price, commission FROM orders WHERE run_id = ?1 ORDER BY account, order_id",
                )?;
                let rows = statement
                    .query_map([&run_id], |r| {
                        Ok(OrderRow {
                            account: r.get(0)?,
                            order_id: r.get(1)?,
                            symbol: r.get(2)?,
                            action: r.get(3)?,
                            quantity: r.get::<_, i64>(4)?.max(0) as u64,
                            status: r.get(5)?,
                            filled: r.get(6)?,
                            avg_fill_price: r.get(7)?,
                            commission: r.get(8)?,
                        })
                    })?
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(rows)
            })
            .await?;
        Ok(Some(RunDetail {
            accounts: run.accounts.clone(),
            run: run.summary(),
            targets: run.targets.clone(),
            results,
            orders,
        }))
    }

    /// Deletes finished runs (and their results, snapshots and orders) older than `days`.
    pub async fn apply_retention(&self, days: u32) -> Result<usize, JournalError> {
        let cutoff = now_ms() - i64::from(days) * 86_400_000;
        self.call(move |c| {
            let tx = c.transaction()?;
            tx.execute("DELETE FROM orders WHERE run_id IN (SELECT id FROM runs WHERE finished_at < ?1)", [cutoff])?;
            tx.execute("DELETE FROM account_results WHERE run_id IN (SELECT id FROM runs WHERE finished_at < ?1)", [cutoff])?;
            tx.execute("DELETE FROM account_snapshots WHERE run_id IN (SELECT id FROM runs WHERE finished_at < ?1)", [cutoff])?;
            tx.execute("DELETE FROM events WHERE received_at < ?1 AND run_id IN (SELECT id FROM runs WHERE finished_at < ?1)", [cutoff])?;
            let deleted = tx.execute("DELETE FROM runs WHERE finished_at < ?1", [cutoff])?;
            tx.commit()?;
            Ok(deleted)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal() -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("j.sqlite")).unwrap();
        (dir, journal)
    }

    fn new_run() -> NewRun {
        NewRun::first(
            "alpha",
            Command::Rebalance,
            Trigger::Event,
            vec!["DU1111111".into(), "DU2222222".into()],
        )
    }

    #[tokio::test]
    async fn of_two_racing_starts_exactly_one_wins() {
        let (_dir, journal) = journal();
        for _ in 0..20 {
            let id = journal.create_run(new_run()).await.unwrap();
            let (a, b) = tokio::join!(
                journal.transition(&id, StateChange::to(RunState::Running)),
                journal.transition(&id, StateChange::to(RunState::Running)),
            );
            assert!(a.is_ok() != b.is_ok(), "{a:?} {b:?}");
            let loser = a.err().or(b.err()).unwrap();
            assert!(
                matches!(
                    loser,
                    JournalError::Transition {
                        from: RunState::Running,
                        to: RunState::Running,
                        ..
                    }
                ),
                "{loser}"
            );
        }
    }

    #[tokio::test]
    async fn moves_outside_the_table_are_refused_and_change_nothing() {
        let (_dir, journal) = journal();
        let id = journal.create_run(new_run()).await.unwrap();
        journal
            .transition(&id, StateChange::to(RunState::Running))
            .await
            .unwrap();
        let err = journal
            .transition(&id, StateChange::to(RunState::Queued))
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("journal: run {id} is running and cannot become queued")
        );
        journal
            .transition(&id, StateChange::ended(RunState::Succeeded, Some(0), None))
            .await
            .unwrap();
        for to in crate::journal::ALL_STATES {
            assert!(
                journal.transition(&id, StateChange::to(to)).await.is_err(),
                "succeeded -> {}",
                to.name()
            );
        }
        let row = journal.run(&id).await.unwrap().unwrap();
        assert_eq!((row.state, row.error), (RunState::Succeeded, None));
        assert!(matches!(
            journal
                .transition("nope", StateChange::to(RunState::Running))
                .await,
            Err(JournalError::NoRun(_))
        ));
    }

    #[tokio::test]
    async fn scheduling_records_the_start_time() {
        let (_dir, journal) = journal();
        let id = journal.create_run(new_run()).await.unwrap();
        journal
            .transition(&id, StateChange::scheduled_at(1_234))
            .await
            .unwrap();
        let row = journal.run(&id).await.unwrap().unwrap();
        assert_eq!(
            (row.state, row.not_before),
            (RunState::Scheduled, Some(1_234))
        );
    }

    #[tokio::test]
    async fn a_run_gets_one_next_attempt_and_a_pdt_deferral_is_not_one() {
        let (_dir, journal) = journal();
        let first = journal.create_run(new_run()).await.unwrap();
        let pdt = NewRun {
            trigger: Trigger::Pdt,
            retry_of: Some(first.clone()),
            not_before: Some(1),
            ..new_run()
        };
        journal.create_run(pdt).await.unwrap();
        let retry = || NewRun {
            trigger: Trigger::Recovery,
            attempt: 2,
            ..new_run()
        };
        let second = journal
            .create_next_attempt(&first, retry(), None)
            .await
            .unwrap()
            .expect("the first next attempt is created");
        assert_eq!(
            journal
                .create_next_attempt(&first, retry(), None)
                .await
                .unwrap(),
            None
        );
        let row = journal.run(&second).await.unwrap().unwrap();
        assert_eq!(row.retry_of.as_deref(), Some(first.as_str()));
        assert_eq!((row.attempt, row.trigger), (2, Trigger::Recovery));
        let chain: Vec<String> = journal
            .retry_chain(&second)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(chain, [second.clone(), first.clone()]);

        let expired = journal
            .create_next_attempt(&second, retry(), Some("too old".into()))
            .await
            .unwrap()
            .unwrap();
        let row = journal.run(&expired).await.unwrap().unwrap();
        assert_eq!(row.state, RunState::Expired);
        assert_eq!(row.error.as_deref(), Some("too old"));
        assert!(row.finished_at.is_some());
    }

    #[tokio::test]
    async fn targets_are_kept_with_the_run() {
        let (_dir, journal) = journal();
        let id = journal.create_run(new_run()).await.unwrap();
        let targets = vec![Allocation {
            symbol: "VTI".into(),
            weight: 0.6,
        }];
        journal.set_targets(&id, &targets).await.unwrap();
        let detail = journal.run_detail(&id).await.unwrap().unwrap();
        assert_eq!(detail.targets, Some(targets));
    }

    #[tokio::test]
    async fn a_journal_from_before_versioning_opens_with_its_runs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite");
        std::fs::copy(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/journal-unversioned.sqlite"
            ),
            &path,
        )
        .unwrap();
        let journal = Journal::open(&path).unwrap();
        let interrupted = journal.runs_in(&[RunState::Interrupted]).await.unwrap();
        assert_eq!(interrupted.len(), 1);
        let run = &interrupted[0];
        assert_eq!((run.trigger, run.attempt), (Trigger::Event, 1));
        assert_eq!(run.targets, None);
        let outcomes = journal.account_outcomes(&run.id).await.unwrap();
        assert_eq!(outcomes.len(), 2);
        assert_eq!(journal.unserved_events().await.unwrap().len(), 1);
        assert_eq!(journal.paused().await.unwrap(), ["beta"]);
        let version: u32 = journal
            .call(|c| Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?))
            .await
            .unwrap();
        assert_eq!(version, super::super::SCHEMA_VERSION);
        journal.set_targets(&run.id, &[]).await.unwrap();
    }
}
