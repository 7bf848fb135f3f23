//! `status`: health, the realtime link, connections and each strategy's state.

use trading_core::control::{Response, StatusReport, StrategyStatus};

use trading_core::calendar;

use crate::clock::{now_ms, rfc3339};
use crate::daemon::Daemon;
use crate::journal::{RunState, Trigger};

/// The daemon's status. Unhealthy when the realtime link is down, IB Gateway has not been
/// up for `gateway.unhealthy_after_seconds` of market hours, a strategy's last run failed
/// with no retry pending, or it was interrupted and nothing resumes it.
pub async fn handle(daemon: &Daemon) -> Response {
    let scheduler = &daemon.scheduler;
    let link = daemon.link_state();
    let mut problems = Vec::new();
    if link != "connected" {
        problems.push(format!("realtime link is {link}"));
    }
    let gateway = scheduler.gateway().status();
    problems.extend(scheduler.gateway().problem(
        scheduler.settings().gateway.unhealthy_after,
        now_ms(),
        calendar::is_open(scheduler.now()),
    ));
    let pending_retries = match scheduler.journal().runs_in(&[RunState::Scheduled]).await {
        Ok(runs) => runs,
        Err(err) => return super::error(err),
    };
    let mut strategies = Vec::new();
    for name in scheduler.strategy_names().await {
        let accounts = scheduler
            .table()
            .await
            .accounts(&name)
            .map(|a| a.iter().map(|x| x.account_id.clone()).collect())
            .unwrap_or_default();
        let (running, queued) = scheduler.slot(&name).await;
        let last = match scheduler.journal().last_finished(&name).await {
            Ok(last) => last,
            Err(err) => return super::error(err),
        };
        let mut note = None;
        if let Some(run) = &last
            && run.state == RunState::Interrupted
        {
            let next = match scheduler.journal().next_attempts(&run.id).await {
                Ok(next) => next,
                Err(err) => return super::error(err),
            };
            match next.iter().find(|r| r.trigger == Trigger::Recovery) {
                Some(recovery) => {
                    note = Some(format!(
                        "run {} was cut short by a supervisor stop; run {} (attempt {}) resumes {} and is {}",
                        run.id,
                        recovery.id,
                        recovery.attempt,
                        recovery.accounts.join(", "),
                        recovery.state.name()
                    ))
                }
                None if running.is_none() => problems.push(format!(
                    "strategy {name}: run {} was interrupted and nothing resumes it",
                    run.id
                )),
                None => {}
            }
        }
        if let Some(run) = &last
            && run.state == RunState::Failed
            && running.is_none()
        {
            if run.attempt > 1 {
                problems.push(format!(
                    "strategy {name}: run {} still fails after {} attempts",
                    run.id, run.attempt
                ));
            } else if !pending_retries.iter().any(|r| r.strategy == name) {
                problems.push(format!(
                    "strategy {name}: run {} failed and no retry is pending",
                    run.id
                ));
            }
        }
        let scheduled = pending_retries
            .iter()
            .find(|r| r.strategy == name)
            .map(|r| r.summary());
        let last_event_at = scheduler
            .journal()
            .last_event_at(&name)
            .await
            .ok()
            .flatten()
            .map(rfc3339);
        let paused = scheduler.is_paused(&name).await.unwrap_or(false);
        strategies.push(StrategyStatus {
            paused,
            subscribed: daemon.is_subscribed(&name),
            name,
            accounts,
            last_event_at,
            running,
            queued,
            scheduled,
            last_result: last.map(|r| r.summary()),
            note,
        });
    }
    Response::Status(StatusReport {
        healthy: problems.is_empty(),
        problems,
        realtime: link,
        gateway_connections: scheduler.connections_in_use(),
        gateway_connection_cap: scheduler.settings().supervisor.max_gateway_connections,
        gateway,
        strategies,
    })
}
