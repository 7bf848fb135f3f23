//! One account's part of a run, over its own gateway connection.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use trading_core::allocations::Allocation;
use trading_core::broker::{Broker, BrokerError, IbkrBroker};
use trading_core::calculator::AccountRules;
use trading_core::executor::{
    self, Progress, RebalanceError, RebalanceJob, cancel_grace, rebalance,
};
use trading_core::protocol::{
    AccountResult, Command, ErrorKind, EventBody, Job, JobAccount, Outcome, SnapshotPhase,
};

use crate::events::Events;

/// What every account task of a run shares.
pub struct RunContext {
    /// The job.
    pub job: Job,
    /// The strategy's targets (empty for commands that need none).
    pub targets: Vec<Allocation>,
    /// Where events go.
    pub events: Events,
    /// Fired by a signal or the deadline.
    pub stop: CancellationToken,
}

/// Connects, runs the job's command for `account`, disconnects.
pub async fn run(ctx: Arc<RunContext>, account: JobAccount) -> (Outcome, Option<AccountResult>) {
    let id = account.account_id.clone();
    ctx.events.emit(EventBody::AccountStarted {
        account: id.clone(),
        client_id: account.client_id,
    });
    if ctx.stop.is_cancelled() {
        return (
            error(
                ErrorKind::Stopped,
                "stopped before the account started".into(),
            ),
            None,
        );
    }
    if account.account_type != ctx.job.trading_mode {
        let message = format!(
            "account {} is a {:?} account but this run trades {:?} accounts (TRADING_MODE); refused",
            account.account_id, account.account_type, ctx.job.trading_mode
        );
        tracing::error!("{message}");
        return (error(ErrorKind::RiskLimit, message), None);
    }
    let settings = &ctx.job.settings;
    let broker = match IbkrBroker::connect(&settings.gateway, ctx.job.port, account.client_id).await
    {
        Ok(broker) => broker,
        Err(err) => {
            tracing::error!(%err, "cannot connect to the gateway");
            let kind = match err {
                BrokerError::ClientIdInUse { .. } => ErrorKind::ClientIdInUse,
                _ => ErrorKind::Connect,
            };
            return (error(kind, err.to_string()), None);
        }
    };
    tracing::info!(client_id = account.client_id, "connected");
    let result = command(&ctx, &broker, &account).await;
    broker.disconnect().await;
    tracing::info!("disconnected");
    result
}

fn error(kind: ErrorKind, message: String) -> Outcome {
    Outcome::Error { kind, message }
}

async fn command(
    ctx: &RunContext,
    broker: &IbkrBroker,
    account: &JobAccount,
) -> (Outcome, Option<AccountResult>) {
    let id = account.account_id.as_str();
    match ctx.job.command {
        Command::Rebalance | Command::PrintRebalance => {
            rebalance_account(ctx, broker, account).await
        }
        Command::PrintPositions | Command::PrintEquity => match broker.account_state(id).await {
            Ok(state) => (Outcome::Ok, Some(AccountResult::Account(state))),
            Err(err) => (error(ErrorKind::Gateway, err.to_string()), None),
        },
        Command::PrintOrders => match broker.open_orders(id).await {
            Ok(orders) => (Outcome::Ok, Some(AccountResult::Orders { orders })),
            Err(err) => (error(ErrorKind::Gateway, err.to_string()), None),
        },
        Command::CancelOrders => {
            let orders = match broker.open_orders(id).await {
                Ok(orders) => orders,
                Err(err) => return (error(ErrorKind::Gateway, err.to_string()), None),
            };
            let grace = cancel_grace(&ctx.job.settings.trading);
            match executor::cancel_orders(
                broker,
                &orders,
                grace,
                "cancelled by cancel-orders",
                &|_| {},
            )
            .await
            {
                Ok(still_working) => {
                    let cancelled = orders
                        .into_iter()
                        .filter(|o| !still_working.contains(o))
                        .collect();
                    let outcome = if still_working.is_empty() {
                        Outcome::Ok
                    } else {
                        error(
                            ErrorKind::Gateway,
                            format!("{} order(s) could not be cancelled", still_working.len()),
                        )
                    };
                    (
                        outcome,
                        Some(AccountResult::Cancelled {
                            cancelled,
                            still_working,
                        }),
                    )
                }
                Err(err) => (error(ErrorKind::Gateway, err.to_string()), None),
            }
        }
    }
}

async fn rebalance_account(
    ctx: &RunContext,
    broker: &IbkrBroker,
    account: &JobAccount,
) -> (Outcome, Option<AccountResult>) {
    let rules = AccountRules {
        cash_reserve_percent: account.cash_reserve_percent,
        replacements: account.replacements.clone(),
    };
    let job = RebalanceJob {
        run_id: &ctx.job.run_id,
        account_id: &account.account_id,
        targets: &ctx.targets,
        rules: &rules,
        trading: &ctx.job.settings.trading,
        dry_run: ctx.job.command == Command::PrintRebalance,
        earlier: account.earlier.as_ref(),
    };
    let events = ctx.events.clone();
    let name = account.account_id.clone();
    let progress = move |p: Progress| {
        let account = name.clone();
        events.emit(match p {
            Progress::Snapshot(snapshot) => EventBody::Snapshot {
                account,
                phase: SnapshotPhase::Before,
                snapshot,
            },
            Progress::After(snapshot) => EventBody::Snapshot {
                account,
                phase: SnapshotPhase::After,
                snapshot,
            },
            Progress::Planned(plan) => EventBody::Plan { account, plan },
            Progress::OrderSubmitted(order) => EventBody::OrderSubmitted { account, order },
            Progress::OrderUpdated(order) => EventBody::OrderStatus { account, order },
        });
    };
    match rebalance(broker, &job, &ctx.stop, &progress).await {
        Ok(report) => {
            let outcome = if report.stopped {
                error(
                    ErrorKind::Stopped,
                    "stopped before the rebalance finished".into(),
                )
            } else if let Some(order) = report.rejected().next() {
                let reason = order.unfilled_reason.clone().unwrap_or_default();
                error(
                    ErrorKind::OrdersRejected,
                    format!(
                        "{} {} {} rejected: {reason}",
                        order.action.name(),
                        order.quantity,
                        order.symbol
                    ),
                )
            } else if let Some(order) = report.unfilled().next() {
                let reason = order.unfilled_reason.clone().unwrap_or_default();
                error(
                    ErrorKind::OrdersUnfilled,
                    format!(
                        "{} {} {} filled {} : {reason}",
                        order.action.name(),
                        order.quantity,
                        order.symbol,
                        order.filled
                    ),
                )
            } else {
                Outcome::Ok
            };
            (outcome, Some(AccountResult::Rebalance(report)))
        }
        Err(err) => {
            tracing::error!(%err, "rebalance failed");
            let kind = match &err {
                RebalanceError::Plan(_) => ErrorKind::Plan,
                RebalanceError::StaleOrdersWorking(_) | RebalanceError::StaleOrdersElsewhere(_) => {
                    ErrorKind::StaleOrders
                }
                RebalanceError::ForeignOrders(_) => ErrorKind::ForeignOrders,
                RebalanceError::Unreconciled(_) => ErrorKind::PositionsUnreconciled,
                RebalanceError::RiskLimit(_) => ErrorKind::RiskLimit,
                RebalanceError::Broker(_) => ErrorKind::Gateway,
            };
            (error(kind, err.to_string()), None)
        }
    }
}
