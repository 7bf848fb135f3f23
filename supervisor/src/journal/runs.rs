//! Runs, their per-account results and orders.

use rusqlite::{Connection, Row, params};
use trading_core::control::{AccountOutcome, OrderRow, RunDetail, RunSummary};
use trading_core::executor::OrderReport;
use trading_core::protocol::{Command, Outcome};

use super::{Journal, JournalError};
use crate::clock::{now_ms, rfc3339};

/// Where a run is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    /// A retry waiting for its time.
    Scheduled,
    /// Waiting for its strategy to be resumed (`supervisor pause`).
    Held,
    /// Waiting for the strategy's current run, or for gateway connections.
    Queued,
    /// A worker is running it.
    Running,
    /// Every account ended ok.
    Succeeded,
    /// Some account failed.
    Failed,
    /// The supervisor stopped or died while it ran.
    Interrupted,
    /// Cancelled by request.
    Cancelled,
}

impl RunState {
    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Held => "held",
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Interrupted => "interrupted",
            Self::Cancelled => "cancelled",
        }
    }

    fn parse(name: &str) -> Result<Self, JournalError> {
        Ok(match name {
            "scheduled" => Self::Scheduled,
            "held" => Self::Held,
            "queued" => Self::Queued,
            "running" => Self::Running,
            "succeeded" => Self::Succeeded,
            "failed" => Self::Failed,
            "interrupted" => Self::Interrupted,
            "cancelled" => Self::Cancelled,
            other => return Err(JournalError::Corrupt(format!("run state `{other}`"))),
        })
    }
}

/// A run to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRun {
    /// Strategy.
    pub strategy: String,
    /// Command.
    pub command: Command,
    /// `event`, `manual`, `retry` or `recovery`.
    pub trigger: &'static str,
    /// 1 for new work, +1 per retry.
    pub attempt: u32,
    /// Accounts covered.
    pub accounts: Vec<String>,
    /// Not to start before this time (ms), for retries.
    pub not_before: Option<i64>,
    /// The run this retries or recovers.
    pub retry_of: Option<String>,
}

impl NewRun {
    /// New work: a first attempt that may start at once and retries nothing.
    pub fn first(
        strategy: &str,
        command: Command,
        trigger: &'static str,
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

/// A stored run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    /// Run id.
    pub id: String,
    /// Strategy.
    pub strategy: String,
    /// Command.
    pub command: Command,
    /// Trigger.
    pub trigger: String,
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
}

impl RunRow {
    /// The row as the control protocol shows it.
    pub fn summary(&self) -> RunSummary {
        RunSummary {
            id: self.id.clone(),
            strategy: self.strategy.clone(),
            command: self.command,
            trigger: self.trigger.clone(),
            state: self.state.name().to_string(),
            attempt: self.attempt,
            created_at: rfc3339(self.created_at),
            not_before: self.not_before.map(rfc3339),
            finished_at: self.finished_at.map(rfc3339),
            error: self.error.clone(),
        }
    }
}

const RUN_COLUMNS: &str = "id, strategy, command, trigger, state, attempt, accounts, created_at, not_before, finished_at, error";

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
    ) = raw;
    let command: Command = serde_json::from_value(serde_json::Value::String(command.clone()))
        .map_err(|_| JournalError::Corrupt(format!("run {id}: command `{command}`")))?;
    let accounts: Vec<String> = serde_json::from_str(&accounts)
        .map_err(|e| JournalError::Corrupt(format!("run {id}: accounts: {e}")))?;
    Ok(RunRow {
        state: RunState::parse(&state)?,
        id,
        strategy,
        command,
        trigger,
        attempt,
        accounts,
        created_at,
        not_before,
        finished_at,
        error,
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

/// A new run id: time-ordered and unique, with no `:` (it is part of order references).
fn new_run_id(strategy: &str) -> String {
    let suffix: String = (0..4).map(|_| fastrand::alphanumeric()).collect();
    format!("{}-{}-{}", strategy, now_ms(), suffix.to_ascii_lowercase())
}

impl Journal {
    /// Records a new run (queued, or scheduled when it has a start time) and returns its id.
    pub async fn create_run(&self, run: NewRun) -> Result<String, JournalError> {
        self.call(move |c| {
            let id = new_run_id(&run.strategy);
            let state = if run.not_before.is_some() { RunState::Scheduled } else { RunState::Queued };
            let accounts = serde_json::to_string(&run.accounts).map_err(|e| JournalError::Corrupt(e.to_string()))?;
            c.execute(
                "INSERT INTO runs (id, strategy, command, trigger, state, attempt, accounts, created_at, not_before, retry_of)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![id, run.strategy, run.command.name(), run.trigger, state.name(), run.attempt, accounts, now_ms(), run.not_before, run.retry_of],
            )?;
            Ok(id)
        })
        .await
    }

    /// Moves a scheduled run to a new start time (ms).
    pub async fn reschedule(&self, id: &str, not_before: i64) -> Result<(), JournalError> {
        let id = id.to_string();
        self.call(move |c| {
            c.execute(
                "UPDATE runs SET state = 'scheduled', not_before = ?2 WHERE id = ?1",
                params![id, not_before],
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
                 UNION ALL SELECT r.id, r.retry_of FROM runs r JOIN chain ON r.id = chain.retry_of) SELECT id FROM chain) ORDER BY created_at DESC";
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

    /// Moves a run to `state`; terminal states record the end time, exit code and error.
    pub async fn set_run_state(
        &self,
        id: &str,
        state: RunState,
        exit_code: Option<i32>,
        error: Option<String>,
    ) -> Result<(), JournalError> {
        let id = id.to_string();
        self.call(move |c| {
            let now = now_ms();
            match state {
                RunState::Running => c.execute("UPDATE runs SET state = ?2, started_at = ?3 WHERE id = ?1", params![id, state.name(), now])?,
                RunState::Queued | RunState::Scheduled | RunState::Held => c.execute("UPDATE runs SET state = ?2 WHERE id = ?1", params![id, state.name()])?,
                _ => c.execute(
                    "UPDATE runs SET state = ?2, finished_at = ?3, exit_code = ?4, error = ?5 WHERE id = ?1",
                    params![id, state.name(), now, exit_code, error],
                )?,
            };
            Ok(())
        })
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
        let filter = format!("WHERE state IN ({}) ORDER BY created_at", names.join(","));
        self.call(move |c| query_runs(c, &filter, &[])).await
    }

    /// Recent runs, newest first.
    pub async fn recent_runs(
        &self,
        strategy: Option<String>,
        limit: u32,
    ) -> Result<Vec<RunRow>, JournalError> {
        self.call(move |c| match strategy {
            Some(s) => query_runs(
                c,
                "WHERE strategy = ?1 ORDER BY created_at DESC LIMIT ?2",
                &[&s, &limit],
            ),
            None => query_runs(c, "ORDER BY created_at DESC LIMIT ?1", &[&limit]),
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
        self.call(move |c| {
            let action = match order.action {
                trading_core::calculator::Action::Buy => "BUY",
                trading_core::calculator::Action::Sell => "SELL",
            };
            c.execute(
                "INSERT OR REPLACE INTO orders (run_id, account, order_id, symbol, action, quantity, status, filled, avg_fill_price, order_ref, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![run_id, account, order.order_id, order.symbol, action, order.quantity as i64, format!("{:?}", order.status), order.filled, order.avg_fill_price, order.order_ref, now_ms()],
            )?;
            Ok(())
        })
        .await
    }

    /// Account outcomes of a run.
    pub async fn account_outcomes(
        &self,
        run_id: &str,
    ) -> Result<Vec<AccountOutcome>, JournalError> {
        let run_id = run_id.to_string();
        self.call(move |c| {
            let mut statement = c.prepare(
                "SELECT account, outcome FROM account_results WHERE run_id = ?1 ORDER BY account",
            )?;
            let rows = statement
                .query_map([&run_id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|(account, outcome)| {
                    let outcome = serde_json::from_str(&outcome)
                        .map_err(|e| JournalError::Corrupt(format!("outcome of {account}: {e}")))?;
                    Ok(AccountOutcome { account, outcome })
                })
                .collect()
        })
        .await
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
                    "SELECT account, order_id, symbol, action, quantity, status, filled, avg_fill_price FROM orders WHERE run_id = ?1 ORDER BY account, order_id",
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
                        })
                    })?
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(rows)
            })
            .await?;
        Ok(Some(RunDetail {
            accounts: run.accounts.clone(),
            run: run.summary(),
            results,
            orders,
        }))
    }

    /// Deletes finished runs (and their results and orders) older than `days`.
    pub async fn apply_retention(&self, days: u32) -> Result<usize, JournalError> {
        let cutoff = now_ms() - i64::from(days) * 86_400_000;
        self.call(move |c| {
            let tx = c.transaction()?;
            tx.execute("DELETE FROM orders WHERE run_id IN (SELECT id FROM runs WHERE finished_at < ?1)", [cutoff])?;
            tx.execute("DELETE FROM account_results WHERE run_id IN (SELECT id FROM runs WHERE finished_at < ?1)", [cutoff])?;
            tx.execute("DELETE FROM events WHERE received_at < ?1 AND run_id IN (SELECT id FROM runs WHERE finished_at < ?1)", [cutoff])?;
            let deleted = tx.execute("DELETE FROM runs WHERE finished_at < ?1", [cutoff])?;
            tx.commit()?;
            Ok(deleted)
        })
        .await
    }
}
