//! Submitting runs, one active per strategy, with coalesced follow-ups and retries.

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::{Mutex, RwLock, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use trading_core::config::{Settings, TradingMode};
use trading_core::protocol::Command;

use crate::clock::now_ms;
use crate::journal::{Journal, JournalError, NewRun, RunRow, RunState};
use crate::notify::{Notifier, Urgency};
use crate::strategies::StrategyTable;

/// Where a submitted run stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    /// The run that will serve the request.
    pub run_id: String,
    /// True when it waits for the strategy's current run.
    pub queued: bool,
}

#[derive(Default)]
struct Slot {
    running: Option<(String, CancellationToken)>,
    queued: VecDeque<(String, Command)>,
}

/// Everything a run needs from the daemon.
pub struct Scheduler {
    pub(crate) settings: Settings,
    pub(crate) journal: Journal,
    pub(crate) table: RwLock<StrategyTable>,
    pub(crate) port: u16,
    pub(crate) mode: TradingMode,
    pub(crate) notifier: Notifier,
    pub(crate) worker: PathBuf,
    pub(crate) api_key: Option<String>,
    pub(crate) permits: Arc<Semaphore>,
    /// Fired on shutdown: running workers are stopped, nothing new starts.
    pub(crate) shutdown: CancellationToken,
    pub(crate) tasks: TaskTracker,
    slots: Mutex<BTreeMap<String, Slot>>,
}

/// What a [`Scheduler`] is built from.
pub struct SchedulerSetup {
    /// The whole configuration.
    pub settings: Settings,
    /// The journal.
    pub journal: Journal,
    /// The strategies and their accounts.
    pub table: StrategyTable,
    /// TRADING_MODE.
    pub mode: TradingMode,
    /// The gateway port.
    pub port: u16,
    /// The worker executable.
    pub worker: PathBuf,
    /// The allocation API key, handed to workers in their jobs.
    pub api_key: Option<String>,
    /// Push notifications.
    pub notifier: Notifier,
}

/// Why a submission was refused.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// Unknown strategy or account.
    #[error("{0}")]
    Invalid(String),
    /// The journal failed.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The supervisor is shutting down.
    #[error("the supervisor is shutting down")]
    ShuttingDown,
}

impl Scheduler {
    /// A scheduler trading through the gateway at `setup.port`.
    pub fn new(setup: SchedulerSetup) -> Arc<Self> {
        let cap = setup.settings.supervisor.max_gateway_connections as usize;
        Arc::new(Self {
            settings: setup.settings,
            journal: setup.journal,
            table: RwLock::new(setup.table),
            mode: setup.mode,
            notifier: setup.notifier,
            port: setup.port,
            worker: setup.worker,
            api_key: setup.api_key,
            permits: Arc::new(Semaphore::new(cap)),
            shutdown: CancellationToken::new(),
            tasks: TaskTracker::new(),
            slots: Mutex::new(BTreeMap::new()),
        })
    }

    /// Gateway connections leased now.
    pub fn connections_in_use(&self) -> u32 {
        self.settings.supervisor.max_gateway_connections - self.permits.available_permits() as u32
    }

    /// The running and queued runs of a strategy.
    pub async fn slot(&self, strategy: &str) -> (Option<String>, Option<String>) {
        let slots = self.slots.lock().await;
        slots.get(strategy).map_or((None, None), |s| {
            (
                s.running.as_ref().map(|r| r.0.clone()),
                s.queued.front().map(|q| q.0.clone()),
            )
        })
    }

    /// Submits new work for `strategy`: starts it, or makes it (or joins) the follow-up of the
    /// strategy's current run. `event_id` links the journal event to the run serving it.
    pub async fn submit(
        self: &Arc<Self>,
        strategy: &str,
        command: Command,
        accounts: &[String],
        trigger: &'static str,
        event_id: Option<i64>,
    ) -> Result<Submitted, SubmitError> {
        if self.shutdown.is_cancelled() {
            return Err(SubmitError::ShuttingDown);
        }
        let selected = self
            .table
            .read()
            .await
            .select(strategy, accounts)
            .map_err(SubmitError::Invalid)?;
        let accounts: Vec<String> = selected.into_iter().map(|a| a.account_id).collect();
        if self.is_paused(strategy).await? {
            return self
                .hold(strategy, command, accounts, trigger, event_id)
                .await;
        }
        if trigger == "event"
            && command == Command::Rebalance
            && let Some(when) = self.market_wait()
        {
            return self
                .defer(strategy, command, accounts, event_id, when)
                .await;
        }
        let mut slots = self.slots.lock().await;
        let slot = slots.entry(strategy.to_string()).or_default();
        if slot.running.is_some()
            && let Some((id, _)) = slot.queued.iter().find(|(_, c)| *c == command)
        {
            let id = id.clone();
            if let Some(event) = event_id {
                self.journal.link_event(event, &id).await?;
            }
            tracing::info!(strategy, run_id = %id, "joined the queued follow-up run");
            return Ok(Submitted {
                run_id: id,
                queued: true,
            });
        }
        let new = NewRun::first(strategy, command, trigger, accounts);
        let id = self.journal.create_run(new).await?;
        if let Some(event) = event_id {
            self.journal.link_event(event, &id).await?;
        }
        let queued = self.place(slot, &id, command, strategy);
        Ok(Submitted { run_id: id, queued })
    }

    /// Whether new runs of `strategy` are held (`supervisor pause`).
    pub async fn is_paused(&self, strategy: &str) -> Result<bool, SubmitError> {
        Ok(self
            .journal
            .paused()
            .await?
            .iter()
            .any(|p| p == strategy || p == "*"))
    }

    /// Holds new work for a paused strategy: joins the held run of the same command, or
    /// creates one. Nothing runs until `resume`.
    async fn hold(
        self: &Arc<Self>,
        strategy: &str,
        command: Command,
        accounts: Vec<String>,
        trigger: &'static str,
        event_id: Option<i64>,
    ) -> Result<Submitted, SubmitError> {
        let held = self.journal.runs_in(&[RunState::Held]).await?;
        let id = match held
            .into_iter()
            .find(|r| r.strategy == strategy && r.command == command)
        {
            Some(run) => run.id,
            None => {
                let new = NewRun::first(strategy, command, trigger, accounts);
                let id = self.journal.create_run(new).await?;
                self.journal
                    .set_run_state(&id, RunState::Held, None, None)
                    .await?;
                id
            }
        };
        if let Some(event) = event_id {
            self.journal.link_event(event, &id).await?;
        }
        tracing::info!(strategy, run_id = %id, "strategy paused: run held until resumed");
        Ok(Submitted {
            run_id: id,
            queued: true,
        })
    }

    /// Pauses `strategy` (`*`: all): new runs are held, running ones finish.
    pub async fn pause(&self, strategy: &str) -> Result<Vec<String>, SubmitError> {
        self.journal.set_paused(strategy, true).await?;
        tracing::warn!(strategy, "paused: new runs are held");
        Ok(self.journal.paused().await?)
    }

    /// Resumes `strategy` (`*`: all) and releases its held runs; returns their ids.
    pub async fn resume(self: &Arc<Self>, strategy: &str) -> Result<Vec<String>, SubmitError> {
        self.journal.set_paused(strategy, false).await?;
        tracing::info!(strategy, "resumed");
        let mut released = Vec::new();
        for run in self.journal.runs_in(&[RunState::Held]).await? {
            if self.is_paused(&run.strategy).await? {
                continue;
            }
            match (run.command, self.market_wait()) {
                (Command::Rebalance, Some(when)) => {
                    self.journal.reschedule(&run.id, when).await?;
                    self.arm(run.id.clone(), when);
                }
                _ => {
                    self.enqueue(&run).await?;
                }
            }
            released.push(run.id);
        }
        Ok(released)
    }

    /// When market hours apply and the market is not in a tradable part of its session: the
    /// time (ms) a rebalance should start instead.
    fn market_wait(&self) -> Option<i64> {
        let policy = &self.settings.supervisor;
        if !policy.market_hours {
            return None;
        }
        let when = super::market_hours::defer_until(
            time::OffsetDateTime::now_utc(),
            policy.open_delay,
            policy.close_buffer,
        )?;
        Some((when.unix_timestamp_nanos() / 1_000_000) as i64)
    }

    /// Schedules a rebalance for `when` (ms), or joins the one already scheduled for the
    /// strategy, so events received while the market is closed make one run at the open.
    async fn defer(
        self: &Arc<Self>,
        strategy: &str,
        command: Command,
        accounts: Vec<String>,
        event_id: Option<i64>,
        when: i64,
    ) -> Result<Submitted, SubmitError> {
        let pending = self.journal.runs_in(&[RunState::Scheduled]).await?;
        let existing = pending
            .into_iter()
            .find(|r| r.strategy == strategy && r.command == command && r.trigger == "event");
        let id = match existing {
            Some(run) => run.id,
            None => {
                let new = NewRun {
                    not_before: Some(when),
                    ..NewRun::first(strategy, command, "event", accounts)
                };
                let id = self.journal.create_run(new).await?;
                self.arm(id.clone(), when);
                id
            }
        };
        if let Some(event) = event_id {
            self.journal.link_event(event, &id).await?;
        }
        tracing::info!(strategy, run_id = %id, starts_at = %crate::clock::rfc3339(when), "market closed or closing: rebalance scheduled for the next session");
        self.notifier.send(
            format!("{strategy}: rebalance scheduled"),
            format!(
                "The market is closed or closing; run {id} starts at {}.",
                crate::clock::rfc3339(when)
            ),
            Urgency::Low,
        );
        Ok(Submitted {
            run_id: id,
            queued: true,
        })
    }

    /// Starts an existing queued run, or puts it behind the strategy's current one.
    pub async fn enqueue(self: &Arc<Self>, run: &RunRow) -> Result<bool, SubmitError> {
        if self.shutdown.is_cancelled() {
            return Err(SubmitError::ShuttingDown);
        }
        self.journal
            .set_run_state(&run.id, RunState::Queued, None, None)
            .await?;
        let mut slots = self.slots.lock().await;
        let slot = slots.entry(run.strategy.clone()).or_default();
        Ok(self.place(slot, &run.id, run.command, &run.strategy))
    }

    /// Starts `id` if the strategy is idle (returns false) or queues it (returns true).
    fn place(
        self: &Arc<Self>,
        slot: &mut Slot,
        id: &str,
        command: Command,
        strategy: &str,
    ) -> bool {
        if slot.running.is_some() {
            tracing::info!(strategy, run_id = %id, "strategy busy: run queued as its follow-up");
            slot.queued.push_back((id.to_string(), command));
            true
        } else {
            self.start(slot, id.to_string());
            false
        }
    }

    fn start(self: &Arc<Self>, slot: &mut Slot, id: String) {
        let token = self.shutdown.child_token();
        slot.running = Some((id.clone(), token.clone()));
        let this = self.clone();
        self.tasks.spawn(async move {
            let strategy = match this.journal.run(&id).await {
                Ok(Some(run)) => {
                    let strategy = run.strategy.clone();
                    super::execute::run(&this, run, token).await;
                    strategy
                }
                Ok(None) => {
                    tracing::error!(run_id = %id, "run vanished from the journal");
                    return;
                }
                Err(err) => {
                    tracing::error!(run_id = %id, %err, "cannot read the run from the journal");
                    return;
                }
            };
            this.finished(&strategy).await;
        });
    }

    /// Marks the strategy idle and starts its follow-up, if any.
    async fn finished(self: &Arc<Self>, strategy: &str) {
        let mut slots = self.slots.lock().await;
        let Some(slot) = slots.get_mut(strategy) else {
            return;
        };
        slot.running = None;
        if self.shutdown.is_cancelled() {
            return;
        }
        if let Some((next, _)) = slot.queued.pop_front() {
            self.start(slot, next);
        }
    }

    /// Schedules a retry of `accounts` of a failed run: after `retry_delay` while the day's
    /// `max_retries` are not used up, then at each next session's open until `max_retry_days`
    /// after the first failure; then gives up and says so. Every attempt is a run whose
    /// `attempt` counts the tries.
    pub async fn schedule_retry(
        self: &Arc<Self>,
        failed: &RunRow,
        accounts: Vec<String>,
    ) -> Result<Option<String>, SubmitError> {
        let policy = &self.settings.supervisor;
        let chain = self.journal.retry_chain(&failed.id).await?;
        let tries: Vec<time::OffsetDateTime> = chain
            .iter()
            .filter_map(|r| {
                time::OffsetDateTime::from_unix_timestamp_nanos(
                    i128::from(r.created_at) * 1_000_000,
                )
                .ok()
            })
            .collect();
        let not_before = match super::retry_policy::next_retry(
            time::OffsetDateTime::now_utc(),
            &tries,
            policy,
        ) {
            super::retry_policy::Retry::At(when) => {
                (when.unix_timestamp_nanos() / 1_000_000) as i64
            }
            super::retry_policy::Retry::Exhausted => {
                tracing::warn!(strategy = %failed.strategy, run_id = %failed.id, attempts = failed.attempt, "retries exhausted");
                self.notifier.send(
                    format!("{}: retries exhausted", failed.strategy),
                    format!(
                        "Run {} failed after {} attempt(s); accounts {} need attention.",
                        failed.id,
                        failed.attempt,
                        accounts.join(", ")
                    ),
                    Urgency::High,
                );
                return Ok(None);
            }
        };
        let new = NewRun {
            strategy: failed.strategy.clone(),
            command: failed.command,
            trigger: "retry",
            attempt: failed.attempt + 1,
            accounts,
            not_before: Some(not_before),
            retry_of: Some(failed.id.clone()),
        };
        let id = self.journal.create_run(new).await?;
        tracing::info!(strategy = %failed.strategy, run_id = %id, retry_of = %failed.id, starts_at = %crate::clock::rfc3339(not_before), "retry scheduled");
        self.arm(id.clone(), not_before);
        Ok(Some(id))
    }

    /// Starts scheduled run `id` at `not_before` (ms).
    pub fn arm(self: &Arc<Self>, id: String, not_before: i64) {
        let this = self.clone();
        self.tasks.spawn(async move {
            let wait = std::time::Duration::from_millis((not_before - now_ms()).max(0) as u64);
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = this.shutdown.cancelled() => return,
            }
            match this.journal.run(&id).await {
                Ok(Some(run)) if run.state == RunState::Scheduled && this.is_paused(&run.strategy).await.unwrap_or(false) => {
                    tracing::info!(strategy = %run.strategy, run_id = %id, "strategy paused: scheduled run held");
                    if let Err(err) = this.journal.set_run_state(&id, RunState::Held, None, None).await {
                        tracing::error!(run_id = %id, %err, "cannot hold a scheduled run");
                    }
                }
                Ok(Some(run)) if run.state == RunState::Scheduled => {
                    let closed = if run.command == Command::Rebalance { this.market_wait() } else { None };
                    if let Some(later) = closed {
                        tracing::info!(strategy = %run.strategy, run_id = %id, starts_at = %crate::clock::rfc3339(later), "market closed: scheduled run moved to the next session");
                        this.arm(id.clone(), later);
                    } else if let Err(err) = this.enqueue(&run).await {
                        tracing::error!(run_id = %id, %err, "cannot start a scheduled run");
                    }
                }
                Ok(_) => {}
                Err(err) => tracing::error!(run_id = %id, %err, "cannot read a scheduled run"),
            }
        });
    }

    /// Cancels a run: a running one is stopped (its worker gets SIGTERM), a queued or
    /// scheduled one is dropped.
    pub async fn cancel(&self, id: &str) -> Result<(), SubmitError> {
        let Some(run) = self.journal.run(id).await? else {
            return Err(SubmitError::Invalid(format!("no run `{id}`")));
        };
        let mut slots = self.slots.lock().await;
        if let Some(slot) = slots.get_mut(&run.strategy) {
            if let Some((running, token)) = &slot.running
                && running == id
            {
                tracing::warn!(strategy = %run.strategy, run_id = %id, "cancel requested: stopping the worker");
                token.cancel();
                return Ok(());
            }
            slot.queued.retain(|(queued, _)| queued != id);
        }
        match run.state {
            RunState::Queued | RunState::Scheduled | RunState::Held => {
                self.journal
                    .set_run_state(
                        id,
                        RunState::Cancelled,
                        None,
                        Some("cancelled by request".into()),
                    )
                    .await?;
                Ok(())
            }
            other => Err(SubmitError::Invalid(format!(
                "run `{id}` is {} and cannot be cancelled",
                other.name()
            ))),
        }
    }

    /// Strategies known now.
    pub async fn strategy_names(&self) -> Vec<String> {
        self.table.read().await.names()
    }
}
