//! `supervisor run`: the daemon. Loads the configuration, recovers what the journal says was
//! received and not finished, subscribes to one channel per strategy, turns events into
//! runs, answers the control socket, and shuts down cleanly on SIGTERM/SIGINT.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;
use trading_core::config::{Settings, TradingMode, environment, load_accounts};
use trading_core::protocol::Command;

use crate::control;
use crate::gateway;
use crate::journal::{Journal, ResumeRow, Trigger};
use crate::notify::{Notifier, Urgency};
use crate::runs::Scheduler;
use crate::runs::scheduler::SchedulerSetup;
use crate::runs::{self, recovery};
use crate::strategies::StrategyTable;
use crate::systemd;
use ably_client::{
    AblySettings, ApiKey, ContinuityGap, Inbound, InboundMessage, LinkState, ResumePoint,
};

/// Where the daemon's files are.
#[derive(Debug, Clone)]
pub struct DaemonOptions {
    /// config.yaml, if any.
    pub config: Option<PathBuf>,
    /// accounts.yaml.
    pub accounts: PathBuf,
    /// replacement-sets.yaml, if not beside the accounts file.
    pub replacement_sets: Option<PathBuf>,
}

/// What control handlers see of the running daemon.
pub struct Daemon {
    /// Runs and the journal.
    pub scheduler: Arc<Scheduler>,
    link: watch::Receiver<LinkState>,
    channels: RwLock<Vec<String>>,
}

impl Daemon {
    /// The realtime link as a word: `connecting`, `connected`, `disconnected`, `failed`.
    pub fn link_state(&self) -> String {
        match &*self.link.borrow() {
            LinkState::Connecting => "connecting".into(),
            LinkState::Connected => "connected".into(),
            LinkState::Disconnected { reason } => format!("disconnected ({reason})"),
            LinkState::Failed { reason } => format!("failed ({reason})"),
        }
    }

    /// Whether `strategy`'s channel is subscribed (and the link up).
    pub fn is_subscribed(&self, strategy: &str) -> bool {
        matches!(*self.link.borrow(), LinkState::Connected)
            && self
                .channels
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .iter()
                .any(|c| c == strategy)
    }
}

fn load_table(options: &DaemonOptions, mode: TradingMode) -> Result<StrategyTable> {
    let accounts = load_accounts(&options.accounts, options.replacement_sets.as_deref())?;
    Ok(StrategyTable::new(&accounts, mode))
}

/// The value of `variable`, logging when it came from the Python rebalancer's name for it.
fn read(variable: &environment::Variable) -> Option<String> {
    let found = variable.read()?;
    if let Some(note) = variable.alias_note(&found) {
        tracing::info!("{note}");
    }
    Some(found.value)
}

/// Runs the daemon until SIGTERM or SIGINT.
pub async fn run(options: DaemonOptions) -> Result<()> {
    let mode = TradingMode::from_env()?;
    let mut settings = Settings::load(options.config.as_deref())?;
    let env = |name: &str| std::env::var(name).ok();
    for note in environment::apply(&mut settings, &env)? {
        tracing::info!("{note}");
    }
    let port = environment::gateway_port(&settings, mode, &env)?;
    let Some(realtime_key) = read(&environment::REALTIME_API_KEY) else {
        bail!("REALTIME_API_KEY (or REBALANCE_EVENT_SUBSCRIPTION_API_KEY) is not set")
    };
    let allocations_key = read(&environment::ALLOCATIONS_API_KEY);
    if allocations_key.is_none() {
        tracing::warn!(
            "ALLOCATIONS_API_KEY is not set: rebalance runs will fail to fetch allocations"
        );
    }
    let table = load_table(&options, mode)?;
    for name in table.names() {
        let accounts: Vec<String> = table
            .accounts(&name)
            .map(|list| list.iter().map(|a| a.account_id.clone()).collect())
            .unwrap_or_default();
        tracing::info!(strategy = %name, accounts = %accounts.join(", "), "trading these accounts");
    }
    if table.names().is_empty() {
        tracing::warn!(mode = ?mode, "no enabled account of this trading mode: nothing to subscribe to");
    }
    let worker = match &settings.supervisor.worker_path {
        Some(path) => path.clone(),
        None => std::env::current_exe()
            .context("cannot locate the supervisor binary")?
            .with_file_name("worker"),
    };
    if !worker.is_file() {
        bail!(
            "the worker executable {} does not exist (set supervisor.worker_path)",
            worker.display()
        );
    }
    let journal = Journal::open(&settings.supervisor.journal_path).with_context(|| {
        format!(
            "cannot open the journal {}",
            settings.supervisor.journal_path.display()
        )
    })?;
    let pruned = journal
        .apply_retention(settings.supervisor.retention_days)
        .await?;
    if pruned > 0 {
        tracing::info!(runs = pruned, "old runs removed from the journal");
    }
    let listener = control::socket::bind(&settings.supervisor.socket_path).with_context(|| {
        format!(
            "cannot listen on {}",
            settings.supervisor.socket_path.display()
        )
    })?;

    let channels = table.names();
    let scheduler = Scheduler::new(SchedulerSetup {
        settings: settings.clone(),
        journal: journal.clone(),
        table,
        mode,
        port,
        worker,
        api_key: allocations_key.clone(),
        notifier: Notifier::start(&settings.notifications, read(&environment::NTFY_TOKEN)),
        clock: time::OffsetDateTime::now_utc,
    });
    let recovered = recovery::recover(&scheduler).await?;
    tracing::info!(
        interrupted = recovered.interrupted.len(),
        resumed = recovered.resumed.len(),
        expired = recovered.expired.len(),
        requeued = recovered.requeued.len(),
        events_submitted = recovered.events_submitted,
        events_expired = recovered.events_expired,
        "journal recovered"
    );
    if settings.supervisor.catch_up {
        let scheduler = scheduler.clone();
        tokio::spawn(async move {
            let runs = runs::catch_up::catch_up(
                &scheduler,
                scheduler.allocations_key(),
                None,
                runs::catch_up::Occasion::Start,
            )
            .await;
            tracing::info!(runs = runs.len(), "catch-up checked every strategy");
        });
    }

    let traded: Vec<String> = {
        let table = scheduler.table().await;
        table
            .names()
            .iter()
            .filter_map(|name| table.accounts(name))
            .flat_map(|accounts| accounts.iter().map(|a| a.account_id.clone()))
            .collect()
    };
    let background = CancellationToken::new();
    let gateway_watch = tokio::spawn(gateway::run(
        scheduler.gateway().clone(),
        gateway::WatchSetup {
            settings: settings.gateway.clone(),
            port,
            traded,
            permits: scheduler.connection_permits(),
            shutdown: background.clone(),
        },
        {
            let scheduler = scheduler.clone();
            move |change: gateway::Change| {
                let (title, body) = change.message();
                let urgency = if change.now.allows_runs() {
                    Urgency::Low
                } else {
                    Urgency::High
                };
                scheduler.notify(title, body, urgency);
            }
        },
    ));

    let daily_check = settings.supervisor.daily_check_at_open.then(|| {
        tokio::spawn(runs::catch_up::daily_at_open(
            scheduler.clone(),
            background.clone(),
        ))
    });

    let (link_sender, link) = watch::channel(LinkState::Connecting);
    let daemon = Arc::new(Daemon {
        scheduler: scheduler.clone(),
        link,
        channels: RwLock::new(channels.clone()),
    });
    let stop = CancellationToken::new();
    let mut realtime = start_realtime(
        &settings,
        &realtime_key,
        channels,
        &journal,
        link_sender.clone(),
        &stop,
        &scheduler,
    )
    .await?;
    let control_task = tokio::spawn(control::socket::serve(
        listener,
        daemon.clone(),
        stop.clone(),
    ));
    systemd::ready();
    let watchdog = systemd::watchdog(stop.clone());
    tracing::info!(socket = %settings.supervisor.socket_path.display(), port, mode = ?mode, "supervisor ready");

    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut hup = signal(SignalKind::hangup())?;
    loop {
        tokio::select! {
            _ = term.recv() => { tracing::info!("SIGTERM: shutting down"); break; }
            _ = int.recv() => { tracing::info!("SIGINT: shutting down"); break; }
            _ = hup.recv() => {
                match load_table(&options, mode) {
                    Ok(new) => {
                        let channels = new.names();
                        match start_realtime(&settings, &realtime_key, channels.clone(), &journal, link_sender.clone(), &stop, &scheduler).await {
                            Ok(started) => {
                                realtime.stop.cancel();
                                realtime = started;
                                scheduler.reload(new).await;
                                *daemon.channels.write().unwrap_or_else(|p| p.into_inner()) = channels;
                                tracing::info!("SIGHUP: accounts reloaded and subscriptions adjusted");
                            }
                            Err(err) => tracing::error!(err = format!("{err:#}"), "SIGHUP: cannot resubscribe; the running configuration stays"),
                        }
                    }
                    Err(err) => tracing::error!(err = format!("{err:#}"), "SIGHUP: accounts not reloaded; the running configuration stays"),
                }
            }
        }
    }
    systemd::stopping();
    realtime.stop.cancel();
    stop.cancel();
    background.cancel();
    let _ = gateway_watch.await;
    if let Some(daily_check) = daily_check {
        let _ = daily_check.await;
    }
    scheduler.shut_down().await;
    let _ = control_task.await;
    let _ = watchdog.await;
    let _ = std::fs::remove_file(&settings.supervisor.socket_path);
    tracing::info!("supervisor stopped");
    Ok(())
}

/// A running realtime client and its event pump.
struct Realtime {
    stop: CancellationToken,
}

async fn start_realtime(
    settings: &Settings,
    key: &str,
    channels: Vec<String>,
    journal: &Journal,
    link: watch::Sender<LinkState>,
    parent: &CancellationToken,
    scheduler: &Arc<Scheduler>,
) -> Result<Realtime> {
    let stop = parent.child_token();
    let resume: HashMap<String, ResumePoint> = journal
        .resume_points()
        .await?
        .into_iter()
        .map(|(channel, row)| {
            (
                channel,
                ResumePoint {
                    channel_serial: row.channel_serial,
                    last_message_id: row.last_message_id,
                    last_timestamp_ms: row.last_timestamp_ms,
                },
            )
        })
        .collect();
    let ably_settings = AblySettings {
        realtime_url: settings.realtime.realtime_url.clone(),
        rest_url: settings.realtime.rest_url.clone(),
        api_key: ApiKey::new(key.to_string()),
        channels,
        reconnect_base: settings.realtime.reconnect_base,
        reconnect_max: settings.realtime.reconnect_max,
    };
    let (sender, mut inbound) = mpsc::channel::<Inbound>(1024);
    ably_client::spawn(ably_settings, resume, sender, link, stop.clone());
    let scheduler = scheduler.clone();
    let catch_up = settings.supervisor.catch_up;
    tokio::spawn(async move {
        while let Some(item) = inbound.recv().await {
            match item {
                Inbound::Message(message) => on_message(&scheduler, message).await,
                Inbound::Gap(gap) => on_gap(&scheduler, gap, catch_up),
            }
        }
    });
    Ok(Realtime { stop })
}

/// A channel lost messages history could not give back: its strategy's targets are
/// checked against its last rebalance (in the background, so later messages are not held
/// up), unless catch-up is off.
fn on_gap(scheduler: &Arc<Scheduler>, gap: ContinuityGap, catch_up: bool) {
    tracing::warn!(strategy = %gap.channel, last_message_id = %gap.last_message_id, since = %crate::clock::rfc3339(gap.since_ms), catch_up, "events may have been missed while the realtime link was down");
    if !catch_up {
        return;
    }
    let scheduler = scheduler.clone();
    tokio::spawn(async move {
        let strategies = [gap.channel];
        runs::catch_up::catch_up(
            &scheduler,
            scheduler.allocations_key(),
            Some(&strategies),
            runs::catch_up::Occasion::LinkGap,
        )
        .await;
    });
}

/// Journals an event before acting on it, then submits it.
async fn on_message(scheduler: &Arc<Scheduler>, message: InboundMessage) {
    let channel = message.channel.clone();
    let command = match message.data.get("exec").and_then(|e| e.as_str()) {
        Some(exec) => {
            match serde_json::from_value::<Command>(serde_json::Value::String(exec.to_string())) {
                Ok(command) => command,
                Err(_) => {
                    tracing::warn!(channel = %channel, message_id = %message.id, exec, "event rejected: unknown command");
                    return;
                }
            }
        }
        None => {
            tracing::warn!(channel = %channel, message_id = %message.id, "event rejected: no `exec` command in its data");
            return;
        }
    };
    let payload = message.data.to_string();
    let event_id = match scheduler
        .journal()
        .insert_event(&message.id, &channel, command, &payload)
        .await
    {
        Ok(Some(id)) => id,
        Ok(None) => {
            tracing::info!(channel = %channel, message_id = %message.id, "duplicate event ignored");
            return;
        }
        Err(err) => {
            tracing::error!(channel = %channel, %err, "cannot journal an event; not acting on it");
            return;
        }
    };
    let point = ResumeRow {
        channel_serial: message.serial.clone(),
        last_message_id: Some(message.id.clone()),
        last_timestamp_ms: message.timestamp_ms,
    };
    if let Err(err) = scheduler.journal().save_resume(&channel, point).await {
        tracing::warn!(channel = %channel, %err, "cannot save the resume point");
    }
    tracing::info!(strategy = %channel, message_id = %message.id, command = command.name(), "event received");
    match scheduler
        .submit(
            &channel,
            command,
            &[],
            Trigger::Event,
            Some(event_id),
            false,
        )
        .await
    {
        Ok(submitted) => {
            tracing::info!(strategy = %channel, run_id = %submitted.run_id, queued = submitted.queued, "event accepted")
        }
        Err(err) => tracing::warn!(strategy = %channel, %err, "event not run"),
    }
}

/// How long a control client waits for the daemon.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);
