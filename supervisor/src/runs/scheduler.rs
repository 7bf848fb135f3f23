//! Submitting runs, one active per strategy, with coalesced follow-ups and retries. The
//! scheduler owns which run is running or queued in memory; every state change it makes goes
//! through the journal's run state machine ([`Journal::transition`]).

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;

use time::OffsetDateTime;
use tokio::sync::{Mutex, RwLock, RwLockReadGuard, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use trading_core::config::{Settings, TradingMode};
use trading_core::protocol::Command;

use crate::clock::{now_ms, rfc3339};
use crate::gateway::GatewayWatch;
use crate::journal::{Journal, JournalError, NewRun, RunRow, RunState, StateChange, Trigger};
use crate::notify::{Notifier, Urgency};
use crate::strategies::StrategyTable;

/// Where a submitted run stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    /// The run that will serve the request.
    pub run_id: String,
    /// True when it does not start now: it waits for the strategy's current run, the
    /// market's open, or a resume.
    pub queued: bool,
}

/// The wall clock the scheduler decides market hours and retry times by.
pub type Clock = fn() -> OffsetDateTime;

#[derive(Default)]
struct Slot {
    running: Option<(String, CancellationToken)>,
    queued: VecDeque<(String, Command)>,
}

impl Slot {
    fn holds(&self, id: &str) -> bool {
        self.running.as_ref().is_some_and(|(r, _)| r == id)
            || self.queued.iter().any(|(q, _)| q == id)
    }
}

/// Everything a run needs from the daemon.
pub struct Scheduler {
    pub(super) settings: Settings,
    pub(super) journal: Journal,
    pub(super) table: RwLock<StrategyTable>,
    pub(super) port: u16,
    pub(super) mode: TradingMode,
    pub(super) notifier: Notifier,
    pub(super) worker: PathBuf,
    pub(super) api_key: Option<String>,
    pub(super) permits: Arc<Semaphore>,
    pub(super) clock: Clock,
    /// Fired on shutdown: running workers are stopped, nothing new starts.
    pub(super) shutdown: CancellationToken,
    tasks: TaskTracker,
    slots: Mutex<BTreeMap<String, Slot>>,
    /// Strategies whose next run trades its targets without the weight-drop guard, because
    /// a person confirmed them (`supervisor trigger --confirm-targets`). Kept in memory
    /// only: after a restart the guard applies again.
    confirmed: std::sync::Mutex<std::collections::BTreeSet<String>>,
    /// What the gateway probe last found; runs wait while the gateway is not up.
    pub(super) gateway: Arc<GatewayWatch>,
    /// Held by a missed-event catch-up check, so that two never run at once.
    pub(super) catching_up: Mutex<()>,
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
    /// The wall clock (`OffsetDateTime::now_utc` outside tests).
    pub clock: Clock,
}

/// Why a submission was refused.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// Unknown strategy or account, or a request that does not fit the run's state.
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
            clock: setup.clock,
            shutdown: CancellationToken::new(),
            tasks: TaskTracker::new(),
            slots: Mutex::new(BTreeMap::new()),
            confirmed: std::sync::Mutex::new(std::collections::BTreeSet::new()),
            gateway: GatewayWatch::new(),
            catching_up: Mutex::new(()),
        })
    }

    /// The allocation API key workers get, when set.
    pub fn allocations_key(&self) -> Option<&str> {
        self.api_key.as_deref()
    }

    /// The gateway watch runs wait on.
    pub fn gateway(&self) -> &Arc<GatewayWatch> {
        &self.gateway
    }

    /// The gateway connection cap, which the gateway probe counts in too.
    pub fn connection_permits(&self) -> Arc<Semaphore> {
        self.permits.clone()
    }

    /// Tells the owner (ntfy), when notifications are configured.
    pub fn notify(&self, title: String, body: String, urgency: Urgency) {
        self.notifier.send(title, body, urgency);
    }

    /// The journal, for reading.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// The configuration the daemon started with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The strategies and their accounts now.
    pub async fn table(&self) -> RwLockReadGuard<'_, StrategyTable> {
        self.table.read().await
    }

    /// Replaces the strategies and accounts (SIGHUP); running runs keep their accounts.
    pub async fn reload(&self, table: StrategyTable) {
        *self.table.write().await = table;
    }

    /// Push notifications.
    pub fn notifier(&self) -> &Notifier {
        &self.notifier
    }

    /// Stops every running worker, starts nothing new, and waits until all runs ended.
    pub async fn shut_down(&self) {
        self.shutdown.cancel();
        self.tasks.close();
        self.tasks.wait().await;
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
    /// Rebalance events, and any work with `at_open`, wait for market hours.
    pub async fn submit(
        self: &Arc<Self>,
        strategy: &str,
        command: Command,
        accounts: &[String],
        trigger: Trigger,
        event_id: Option<i64>,
        at_open: bool,
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
        let wait = match (at_open, trigger) {
            (true, _) => self.market_wait(),
            (false, Trigger::Event) => self.start_time(command),
            (false, _) => None,
        };
        if let Some(when) = wait {
            return self
                .defer(strategy, command, accounts, trigger, event_id, when)
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
        trigger: Trigger,
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
                self.journal.create_held_run(new).await?
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
            self.release(&run).await?;
            released.push(run.id);
        }
        Ok(released)
    }

    /// Starts or queues a waiting run (queued, scheduled or held) now, or, when it would
    /// trade outside market hours, schedules it for the next session.
    pub async fn release(self: &Arc<Self>, run: &RunRow) -> Result<(), SubmitError> {
        match self.start_time(run.command) {
            Some(when) => {
                self.journal
                    .transition(&run.id, StateChange::scheduled_at(when))
                    .await?;
                tracing::info!(strategy = %run.strategy, run_id = %run.id, starts_at = %rfc3339(when), "market closed: run scheduled for the next session");
                self.arm(run.id.clone(), when);
            }
            None => {
                self.enqueue(run).await?;
            }
        }
        Ok(())
    }

    /// When market hours apply and the market is not in a tradable part of its session: the
    /// time (ms) trading should start instead.
    fn market_wait(&self) -> Option<i64> {
        let policy = &self.settings.supervisor;
        if !policy.market_hours {
            return None;
        }
        let when = super::market_hours::defer_until(
            (self.clock)(),
            policy.open_delay,
            policy.close_buffer,
        )?;
        Some((when.unix_timestamp_nanos() / 1_000_000) as i64)
    }

    /// The time (ms) a run of `command` created now may start: `None` for at once. Only
    /// rebalances trade, so only they wait for market hours.
    pub fn start_time(&self, command: Command) -> Option<i64> {
        if command == Command::Rebalance {
            self.market_wait()
        } else {
            None
        }
    }

    /// Now, by the scheduler's clock.
    pub fn now(&self) -> OffsetDateTime {
        (self.clock)()
    }

    /// Schedules work for `when` (ms), or joins the run already scheduled for the strategy
    /// by the same trigger, so events received while the market is closed make one run at
    /// the open.
    async fn defer(
        self: &Arc<Self>,
        strategy: &str,
        command: Command,
        accounts: Vec<String>,
        trigger: Trigger,
        event_id: Option<i64>,
        when: i64,
    ) -> Result<Submitted, SubmitError> {
        let pending = self.journal.runs_in(&[RunState::Scheduled]).await?;
        let existing = pending.into_iter().find(|r| {
            r.strategy == strategy
                && r.command == command
                && r.trigger == trigger
                && trigger == Trigger::Event
        });
        let id = match existing {
            Some(run) => run.id,
            None => {
                let new = NewRun {
                    not_before: Some(when),
                    ..NewRun::first(strategy, command, trigger, accounts)
                };
                let id = self.journal.create_run(new).await?;
                self.arm(id.clone(), when);
                id
            }
        };
        if let Some(event) = event_id {
            self.journal.link_event(event, &id).await?;
        }
        tracing::info!(strategy, run_id = %id, starts_at = %rfc3339(when), "market closed or closing: run scheduled for the next session");
        self.notifier.send(
            format!("{strategy}: {} scheduled", command.name()),
            format!(
                "The market is closed or closing; run {id} starts at {}.",
                rfc3339(when)
            ),
            Urgency::Low,
        );
        Ok(Submitted {
            run_id: id,
            queued: true,
        })
    }

    /// Starts a waiting run, or puts it behind the strategy's current one. A scheduled or
    /// held run becomes queued first; a run the scheduler already holds is refused.
    pub async fn enqueue(self: &Arc<Self>, run: &RunRow) -> Result<bool, SubmitError> {
        if self.shutdown.is_cancelled() {
            return Err(SubmitError::ShuttingDown);
        }
        let mut slots = self.slots.lock().await;
        let slot = slots.entry(run.strategy.clone()).or_default();
        if slot.holds(&run.id) {
            return Err(SubmitError::Invalid(format!(
                "run `{}` is already running or queued",
                run.id
            )));
        }
        if run.state != RunState::Queued {
            self.journal
                .transition(&run.id, StateChange::to(RunState::Queued))
                .await?;
        }
        Ok(self.place(slot, &run.id, run.command, &run.strategy))
    }

    /// Starts `id` if the strategy is idle (returns false) or queues it (returns true). Only
    /// new runs and runs [`Scheduler::enqueue`] checked reach it, so `id` is not held yet.
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
    /// `attempt` counts the tries; a run is retried at most once.
    pub async fn schedule_retry(
        self: &Arc<Self>,
        failed: &RunRow,
        accounts: Vec<String>,
    ) -> Result<Option<String>, SubmitError> {
        let policy = &self.settings.supervisor;
        let chain = self.journal.retry_chain(&failed.id).await?;
        let tries: Vec<OffsetDateTime> = chain
            .iter()
            .filter_map(|r| {
                OffsetDateTime::from_unix_timestamp_nanos(i128::from(r.created_at) * 1_000_000).ok()
            })
            .collect();
        let not_before = match super::retry_policy::next_retry((self.clock)(), &tries, policy) {
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
        let new = NewRun::next_attempt(failed, Trigger::Retry, accounts, Some(not_before));
        let Some(id) = self
            .journal
            .create_next_attempt(&failed.id, new, None)
            .await?
        else {
            return Ok(None);
        };
        tracing::info!(strategy = %failed.strategy, run_id = %id, retry_of = %failed.id, starts_at = %rfc3339(not_before), "retry scheduled");
        self.arm(id.clone(), not_before);
        Ok(Some(id))
    }

    /// `supervisor retry`: the next attempt of finished run `failed` for `accounts`, now or,
    /// for a rebalance outside market hours, at the next session. Keeps the chain: the new
    /// run's attempt follows the old one's and it names the run it retries. A run already
    /// retried is refused, naming the run that retried it.
    pub async fn retry_now(
        self: &Arc<Self>,
        failed: &RunRow,
        accounts: Vec<String>,
    ) -> Result<Submitted, SubmitError> {
        if self.shutdown.is_cancelled() {
            return Err(SubmitError::ShuttingDown);
        }
        let accounts: Vec<String> = self
            .table
            .read()
            .await
            .select(&failed.strategy, &accounts)
            .map_err(SubmitError::Invalid)?
            .into_iter()
            .map(|a| a.account_id)
            .collect();
        let not_before = self.start_time(failed.command);
        let new = NewRun::next_attempt(failed, Trigger::Retry, accounts, not_before);
        let Some(id) = self
            .journal
            .create_next_attempt(&failed.id, new, None)
            .await?
        else {
            let next = self.journal.next_attempts(&failed.id).await?;
            let by = next
                .iter()
                .find(|r| matches!(r.trigger, Trigger::Retry | Trigger::Recovery))
                .map_or("another run", |r| r.id.as_str());
            return Err(SubmitError::Invalid(format!(
                "run `{}` was already retried by run `{by}`; retry that one",
                failed.id
            )));
        };
        tracing::info!(strategy = %failed.strategy, run_id = %id, retry_of = %failed.id, "retry requested");
        match not_before {
            Some(when) => {
                self.arm(id.clone(), when);
                Ok(Submitted {
                    run_id: id,
                    queued: true,
                })
            }
            None => {
                let Some(run) = self.journal.run(&id).await? else {
                    return Err(SubmitError::Journal(JournalError::NoRun(id)));
                };
                let queued = self.enqueue(&run).await?;
                Ok(Submitted { run_id: id, queued })
            }
        }
    }

    /// Starts scheduled run `id` at `not_before` (ms): held if its strategy is paused by
    /// then, moved to the next session if the market is closed.
    pub fn arm(self: &Arc<Self>, id: String, not_before: i64) {
        let this = self.clone();
        self.tasks.spawn(async move {
            let wait = std::time::Duration::from_millis((not_before - now_ms()).max(0) as u64);
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = this.shutdown.cancelled() => return,
            }
            if let Err(err) = this.fire(&id).await {
                tracing::error!(run_id = %id, %err, "cannot start a scheduled run");
            }
        });
    }

    async fn fire(self: &Arc<Self>, id: &str) -> Result<(), SubmitError> {
        let Some(run) = self.journal.run(id).await? else {
            return Ok(());
        };
        if run.state != RunState::Scheduled {
            return Ok(());
        }
        if self.is_paused(&run.strategy).await? {
            tracing::info!(strategy = %run.strategy, run_id = %id, "strategy paused: scheduled run held");
            self.journal
                .transition(id, StateChange::to(RunState::Held))
                .await?;
            return Ok(());
        }
        self.release(&run).await
    }

    /// Cancels a run: a running one is stopped (its worker gets SIGTERM), a waiting one is
    /// dropped.
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
        if run.state.can_move_to(RunState::Cancelled) && run.state != RunState::Running {
            self.journal
                .transition(
                    id,
                    StateChange::ended(
                        RunState::Cancelled,
                        None,
                        Some("cancelled by request".into()),
                    ),
                )
                .await?;
            Ok(())
        } else {
            Err(SubmitError::Invalid(format!(
                "run `{id}` is {} and cannot be cancelled",
                run.state.name()
            )))
        }
    }

    /// Lets the next run of `strategy` trade its targets without the weight-drop guard.
    pub fn confirm_targets(&self, strategy: &str) {
        self.confirmed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(strategy.to_string());
        tracing::warn!(
            strategy,
            "targets confirmed by a person: the next run skips the weight-drop guard"
        );
    }

    /// Whether a person confirmed `strategy`'s targets; the confirmation is used up.
    pub(super) fn take_confirmation(&self, strategy: &str) -> bool {
        self.confirmed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(strategy)
    }

    /// Strategies known now.
    pub async fn strategy_names(&self) -> Vec<String> {
        self.table.read().await.names()
    }
}
