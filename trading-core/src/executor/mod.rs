//! The rebalance of one account over one broker connection:
//! cancel what earlier runs left working → snapshot → plan → sells → wait → re-read →
//! re-plan buys with the real cash → buys → wait → report.
//!
//! A stop (SIGTERM in the worker) means no new order is placed; working orders are
//! cancelled when `trading.cancel_orders_on_stop` says so.

mod order_ref;
mod reconcile;
mod tracking;

use std::collections::BTreeSet;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

pub use order_ref::{is_rebalancer_order, order_ref};
pub use reconcile::{EarlierAttempts, Unreconciled, reconcile};
pub use tracking::OrderReport;

use crate::allocations::Allocation;
use crate::broker::{Broker, BrokerError, OpenOrder, OrderKind, OrderRequest, OrderStatus};
use crate::calculator::{
    AccountRules, Action, OrderType, Plan, PlanError, Trade, plan, plan_buys, replaced_symbols,
};
use crate::config::{ForeignOrders, TradingSettings};
use crate::snapshot::AccountSnapshot;
use tracking::{Tracker, WaitEnd};

/// What to rebalance and how.
#[derive(Debug, Clone)]
pub struct RebalanceJob<'a> {
    /// The run this belongs to; part of every order reference.
    pub run_id: &'a str,
    /// The account.
    pub account_id: &'a str,
    /// The strategy's targets, before the account's replacement set.
    pub targets: &'a [Allocation],
    /// The account's reserve and replacements.
    pub rules: &'a AccountRules,
    /// Trading parameters.
    pub trading: &'a TradingSettings,
    /// Plan from live data but place and cancel nothing.
    pub dry_run: bool,
    /// When this run retries attempts that may have traded: what they started from. Their
    /// executions are then added to positions that do not show them yet.
    pub earlier: Option<&'a EarlierAttempts>,
}

/// Progress worth telling the operator (and the worker protocol) as it happens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Progress {
    /// The account as the first plan sees it (positions reconciled with the executions of
    /// earlier attempts, when there were any).
    Snapshot(AccountSnapshot),
    /// The account as the rebalance left it: the gateway's balances and positions once the
    /// orders are done, valued at the quotes the plan used (the first snapshot again when
    /// nothing was placed).
    After(AccountSnapshot),
    /// A plan was made (the first one, or the buy re-plan after sells).
    Planned(Plan),
    /// An order was placed.
    OrderSubmitted(OrderReport),
    /// An order's status or fills changed.
    OrderUpdated(OrderReport),
}

/// Everything that happened to one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountReport {
    /// The account.
    pub account_id: String,
    /// Whether this was a dry run (nothing placed).
    pub dry_run: bool,
    /// The plan made from the first snapshot.
    pub plan: Plan,
    /// Orders placed, sells first.
    pub orders: Vec<OrderReport>,
    /// Earlier runs' orders found working at the start. Outside a dry run each was then
    /// cancelled, unless it filled first; their final states come as order updates.
    pub stale_orders: Vec<OpenOrder>,
    /// Warnings from both plans.
    pub warnings: Vec<String>,
    /// Net liquidation before trading.
    pub net_liquidation_before: f64,
    /// Cash before trading.
    pub cash_before: f64,
    /// Cash after trading, when it was read.
    pub cash_after: Option<f64>,
    /// Whether a stop cut the run short.
    pub stopped: bool,
}

impl AccountReport {
    /// Orders that did not fill completely, with why.
    pub fn unfilled(&self) -> impl Iterator<Item = &OrderReport> {
        self.orders.iter().filter(|o| !o.is_filled())
    }

    /// Orders the gateway rejected.
    pub fn rejected(&self) -> impl Iterator<Item = &OrderReport> {
        self.orders
            .iter()
            .filter(|o| o.status == OrderStatus::Inactive)
    }
}

/// Why an account's rebalance could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RebalanceError {
    /// The broker failed.
    #[error(transparent)]
    Broker(#[from] BrokerError),
    /// The snapshot could not be planned from.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The plan breaks a risk limit (`max_order_percent`, `max_turnover_percent`); nothing
    /// was placed.
    #[error(
        "risk limit: {0}; nothing was placed (raise the limit in config.yaml if this is intended)"
    )]
    RiskLimit(String),
    /// Orders left by an earlier run are still working and could not be cancelled; trading
    /// now could buy or sell twice.
    #[error("orders left working by an earlier run could not be cancelled ({}); cancel them in TWS, then rerun", .0.join(", "))]
    StaleOrdersWorking(Vec<String>),
    /// Orders an earlier run placed under another client id are working: this connection
    /// cannot cancel them, and an order id names an order only per client id.
    #[error("orders an earlier run placed under another client id are working ({}); cancel them in TWS or IB Gateway, then rerun", .0.join(", "))]
    StaleOrdersElsewhere(Vec<String>),
    /// The positions agree neither with the state before earlier attempts nor with it after
    /// their executions.
    #[error(transparent)]
    Unreconciled(#[from] Unreconciled),
    /// Working orders without the rebalancer's reference are on symbols the plan trades.
    #[error("working orders placed by hand or by another tool are on symbols this plan trades ({}); cancel them or let them finish, or set trading.foreign_orders: ignore", .0.join(", "))]
    ForeignOrders(Vec<String>),
}

/// Rebalances one account. `progress` hears of plans and orders as they happen; after
/// `stop` fires no order is placed.
pub async fn rebalance<B: Broker>(
    broker: &B,
    job: &RebalanceJob<'_>,
    stop: &CancellationToken,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<AccountReport, RebalanceError> {
    let on_change = |report: &OrderReport| progress(Progress::OrderUpdated(report.clone()));
    let sweep = cancel_stale_orders(broker, job, &on_change).await?;
    let stale_orders = sweep.cancelled;

    // What positions are reconciled against: where the earlier attempts started and their
    // executions (none on a first attempt), and from the sells on, this run's fills too.
    let (read, funds_note) = read_snapshot(broker, job).await?;
    let (mut baseline, earlier_executions) = match job.earlier {
        Some(earlier) => (earlier.clone(), broker.executions(job.account_id).await?),
        None => (EarlierAttempts::before(&read, Vec::new()), Vec::new()),
    };
    let (snapshot, reconciled) = reconcile(read, job.account_id, &baseline, &earlier_executions)?;
    for warning in &reconciled {
        tracing::warn!(%warning, "positions lag the executions of earlier attempts");
    }
    progress(Progress::Snapshot(snapshot.clone()));
    baseline.run_ids.push(job.run_id.to_string());
    let mut first = plan(&snapshot, job.targets, job.rules, job.trading)?;
    first
        .warnings
        .splice(0..0, reconciled.into_iter().chain(funds_note));
    let foreign = foreign_orders_on(&first, &sweep.foreign);
    tracing::info!(
        trades = first.trades.len(),
        warnings = first.warnings.len(),
        "planned"
    );
    progress(Progress::Planned(first.clone()));
    let mut report = AccountReport {
        account_id: job.account_id.to_string(),
        dry_run: job.dry_run,
        plan: first.clone(),
        orders: Vec::new(),
        stale_orders,
        warnings: first.warnings.clone(),
        net_liquidation_before: snapshot.net_liquidation,
        cash_before: snapshot.cash,
        cash_after: None,
        stopped: false,
    };
    if !foreign.is_empty() {
        match (job.trading.foreign_orders, job.dry_run) {
            (ForeignOrders::Fail, false) => {
                tracing::error!(orders = %foreign.join(", "), "working orders of others on planned symbols");
                return Err(RebalanceError::ForeignOrders(foreign));
            }
            (ForeignOrders::Fail, true) => report.warnings.push(format!(
                "working orders placed by hand or by another tool are on symbols this plan trades ({}); a rebalance would fail",
                foreign.join(", ")
            )),
            (ForeignOrders::Ignore, _) => report.warnings.push(format!(
                "working orders placed by hand or by another tool are on symbols this plan trades ({}); trading anyway (trading.foreign_orders: ignore)",
                foreign.join(", ")
            )),
        }
    }
    if let Err(breach) = check_risk(&first, &snapshot, job.trading) {
        if job.dry_run {
            report.warnings.push(format!(
                "risk limit: {breach}; a rebalance would place nothing"
            ));
        } else {
            tracing::error!(%breach, "plan refused by a risk limit");
            return Err(RebalanceError::RiskLimit(breach));
        }
    }
    if job.dry_run {
        return Ok(report);
    }

    let sells: Vec<&Trade> = first
        .trades
        .iter()
        .filter(|t| t.action == Action::Sell)
        .collect();
    let mut buys: Vec<Trade> = first
        .trades
        .iter()
        .filter(|t| t.action == Action::Buy)
        .cloned()
        .collect();
    let mut tracker = Tracker::new(
        job.account_id,
        broker.client_id(),
        job.trading.order_ack_timeout,
    );
    if !sells.is_empty() {
        let done = run_phase(
            broker,
            job,
            sells,
            stop,
            progress,
            &mut tracker,
            &mut report,
        )
        .await?;
        if !done {
            return finish(broker, job, &snapshot, report, tracker, progress).await;
        }
        let (read, funds_note) = read_snapshot(broker, job).await?;
        let executions: Vec<_> = earlier_executions
            .iter()
            .cloned()
            .chain(tracker.executions())
            .collect();
        let (after_sells, lagging) = reconcile(read, job.account_id, &baseline, &executions)?;
        let mut replan = plan_buys(&after_sells, job.targets, job.rules, job.trading)?;
        replan
            .warnings
            .splice(0..0, lagging.into_iter().chain(funds_note));
        tracing::info!(
            cash = after_sells.cash,
            buys = replan.trades.len(),
            "re-planned buys after sells"
        );
        if let Err(breach) = check_risk(&replan, &after_sells, job.trading) {
            tracing::error!(%breach, "re-planned buys refused by a risk limit");
            return Err(RebalanceError::RiskLimit(breach));
        }
        progress(Progress::Planned(replan.clone()));
        report.warnings.extend(
            replan
                .warnings
                .iter()
                .filter(|w| !report.warnings.contains(w))
                .cloned()
                .collect::<Vec<_>>(),
        );
        buys = replan.trades;
    }
    if !buys.is_empty() {
        run_phase(
            broker,
            job,
            buys.iter().collect(),
            stop,
            progress,
            &mut tracker,
            &mut report,
        )
        .await?;
    }
    finish(broker, job, &snapshot, report, tracker, progress).await
}

/// Places `trades`, follows them in `tracker`, and cancels what is left at the deadline or
/// on stop. Returns `false` when a stop cut the phase short. On an error, the orders still
/// working are cancelled (best effort) before the error is returned: no order is left
/// working without a run following it.
async fn run_phase<B: Broker>(
    broker: &B,
    job: &RebalanceJob<'_>,
    trades: Vec<&Trade>,
    stop: &CancellationToken,
    progress: &(dyn Fn(Progress) + Send + Sync),
    tracker: &mut Tracker,
    report: &mut AccountReport,
) -> Result<bool, RebalanceError> {
    let on_change = |r: &OrderReport| progress(Progress::OrderUpdated(r.clone()));
    let grace = cancel_grace(job.trading);
    let outcome: Result<bool, RebalanceError> = async {
        let mut stopped = false;
        for trade in trades {
            if stop.is_cancelled() {
                tracing::warn!(symbol = %trade.symbol, "stop requested: order not placed");
                stopped = true;
                break;
            }
            let request = order_request(job, trade);
            let order_id = match broker.place_order(&request).await {
                Ok(order_id) => order_id,
                Err(BrokerError::SubmitUnconfirmed { order_id, reason, .. }) => {
                    tracing::warn!(order_id, symbol = %trade.symbol, %reason, "order sent but not confirmed; following it by its reference");
                    order_id
                }
                Err(err) => return Err(err.into()),
            };
            tracing::info!(order_id, symbol = %trade.symbol, action = ?trade.action, quantity = trade.quantity, order_ref = %request.order_ref, "order placed");
            let placed = OrderReport {
                order_id,
                symbol: trade.symbol.clone(),
                action: trade.action,
                quantity: trade.quantity,
                order_type: trade.order_type,
                limit_price: trade.limit_price,
                order_ref: request.order_ref,
                status: OrderStatus::PendingSubmit,
                filled: 0.0,
                avg_fill_price: None,
                commission: 0.0,
                unfilled_reason: None,
            };
            progress(Progress::OrderSubmitted(placed.clone()));
            tracker.placed(placed);
        }
        if !stopped {
            let deadline = Instant::now() + job.trading.order_timeout;
            match tracker.wait(broker, deadline, stop, &on_change).await? {
                WaitEnd::AllFinal => {}
                WaitEnd::TimedOut => {
                    let reason = format!(
                        "not filled within {:?}; cancelled",
                        job.trading.order_timeout
                    );
                    tracing::warn!(
                        working = tracker.working().len(),
                        "order timeout: cancelling what is left"
                    );
                    tracker
                        .cancel_working(broker, grace, &reason, &on_change)
                        .await?;
                }
                WaitEnd::Stopped => stopped = true,
            }
        }
        tracker.cancel_inactive(broker).await;
        if stopped {
            report.stopped = true;
            if job.trading.cancel_orders_on_stop {
                tracing::warn!(
                    working = tracker.working().len(),
                    "stop requested: cancelling working orders"
                );
                tracker
                    .cancel_working(broker, grace, "stopped; cancelled", &on_change)
                    .await?;
            } else {
                for order in tracker.working() {
                    tracing::warn!(order_id = order, "stop requested: order left working");
                }
            }
        }
        Ok(!stopped)
    }
    .await;
    if let Err(err) = &outcome
        && !tracker.working().is_empty()
    {
        tracing::error!(
            error = %err,
            working = tracker.working().len(),
            "cancelling this phase's working orders after an error"
        );
        let reason = format!("cancelled after an error: {err}");
        if let Err(cancel_err) = tracker
            .cancel_working(broker, grace, &reason, &on_change)
            .await
        {
            tracing::error!(error = %cancel_err, working = ?tracker.working(), "orders may still be working");
        }
    }
    outcome
}

/// Waits for late commission reports (after a stop, takes only those already received: the
/// cancel grace has been spent), then completes the report with the orders and the cash
/// afterwards.
async fn finish<B: Broker>(
    broker: &B,
    job: &RebalanceJob<'_>,
    before: &AccountSnapshot,
    mut report: AccountReport,
    mut tracker: Tracker,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<AccountReport, RebalanceError> {
    let on_change = |r: &OrderReport| progress(Progress::OrderUpdated(r.clone()));
    let grace = if report.stopped {
        std::time::Duration::ZERO
    } else {
        cancel_grace(job.trading)
    };
    tracker
        .settle_commissions(broker, grace, &on_change)
        .await?;
    let (orders, notes) = tracker.into_orders();
    report.orders = orders;
    for note in notes {
        if !report.warnings.contains(&note) {
            report.warnings.push(note);
        }
    }
    let after = if report.orders.is_empty() {
        before.clone()
    } else {
        let state = broker.account_state(job.account_id).await?;
        report.cash_after = Some(state.cash);
        AccountSnapshot {
            account_id: state.account_id,
            net_liquidation: state.net_liquidation,
            cash: state.cash,
            positions: state.positions,
            quotes: before.quotes.clone(),
            held_not_traded: state.held_not_traded,
        }
    };
    progress(Progress::After(after));
    tracing::info!(
        orders = report.orders.len(),
        unfilled = report.unfilled().count(),
        stopped = report.stopped,
        "account finished"
    );
    Ok(report)
}

/// Checks every trade against `max_order_percent` and the plan against
/// `max_turnover_percent` of net liquidation; the error says which limit and by how much.
pub fn check_risk(
    plan: &Plan,
    snapshot: &AccountSnapshot,
    trading: &TradingSettings,
) -> Result<(), String> {
    let nlv = snapshot.net_liquidation;
    let mut turnover = 0.0;
    for trade in &plan.trades {
        let price = match (trade.limit_price, snapshot.quotes.get(&trade.symbol)) {
            (Some(limit), _) => limit,
            (None, Some(quote)) => quote.bid,
            (None, None) => 0.0,
        };
        let value = trade.quantity as f64 * price;
        let percent = value / nlv * 100.0;
        if percent > trading.max_order_percent {
            return Err(format!(
                "{:?} {} {} is worth ${value:.2}, {percent:.1}% of net liquidation, above max_order_percent ({}%)",
                trade.action, trade.quantity, trade.symbol, trading.max_order_percent
            ));
        }
        turnover += value;
    }
    let percent = turnover / nlv * 100.0;
    if percent > trading.max_turnover_percent {
        return Err(format!(
            "the plan trades ${turnover:.2}, {percent:.1}% of net liquidation, above max_turnover_percent ({}%)",
            trading.max_turnover_percent
        ));
    }
    Ok(())
}

/// How long to wait for cancel confirmations: the order timeout, at most 30 s.
pub fn cancel_grace(trading: &TradingSettings) -> std::time::Duration {
    trading
        .order_timeout
        .min(std::time::Duration::from_secs(30))
}

fn order_request(job: &RebalanceJob<'_>, trade: &Trade) -> OrderRequest {
    OrderRequest {
        account: job.account_id.to_string(),
        symbol: trade.symbol.clone(),
        action: trade.action,
        quantity: trade.quantity,
        kind: match (trade.order_type, trade.limit_price) {
            (OrderType::Limit, Some(price)) => OrderKind::Limit(price),
            _ => OrderKind::Market,
        },
        tif: job.trading.order_tif,
        order_ref: order_ref(job.run_id, job.account_id, &trade.symbol),
    }
}

/// Account state plus quotes for every held and every target symbol. The cash planned
/// with is at most the funds the gateway says are available for new orders: in a cash
/// account, sale proceeds are spendable only once they settle, and a buy beyond the
/// settled cash is rejected (then the snapshot's note says so).
async fn read_snapshot<B: Broker>(
    broker: &B,
    job: &RebalanceJob<'_>,
) -> Result<(AccountSnapshot, Option<String>), BrokerError> {
    let state = broker.account_state(job.account_id).await?;
    let (cash, note) = match state.available_funds {
        Some(available) if available < state.cash - 0.005 => {
            let note = format!(
                "cash {:.2}, of which only {available:.2} is available for new orders (sale proceeds not settled yet, in a cash account): buys are limited to it",
                state.cash
            );
            tracing::warn!(
                cash = state.cash,
                available,
                "buys limited to the available funds"
            );
            (available.max(0.0), Some(note))
        }
        _ => (state.cash, None),
    };
    let symbols: BTreeSet<String> = state
        .positions
        .iter()
        .filter(|p| p.quantity.abs() >= 1.0)
        .map(|p| p.symbol.clone())
        .chain(replaced_symbols(job.targets, &job.rules.replacements))
        .collect();
    let symbols: Vec<String> = symbols.into_iter().collect();
    let quotes = broker.quotes(&symbols).await?;
    let snapshot = AccountSnapshot {
        account_id: state.account_id,
        net_liquidation: state.net_liquidation,
        cash,
        positions: state.positions,
        quotes,
        held_not_traded: state.held_not_traded,
    };
    Ok((snapshot, note))
}

/// The account's working orders, sorted out before planning.
struct Sweep {
    /// Earlier runs' orders this connection cancelled (or, in a dry run, found).
    cancelled: Vec<OpenOrder>,
    /// Orders without the rebalancer's reference, placed by hand or by another tool.
    foreign: Vec<OpenOrder>,
}

/// How an order is named for people: ids that identify it across clients, and how to
/// find it in TWS.
fn describe(order: &OpenOrder) -> String {
    format!(
        "order {} of client id {} (permId {}, {:?} {} {}{})",
        order.order_id,
        order.client_id,
        order.perm_id,
        order.action,
        order.quantity,
        order.symbol,
        if order.order_ref.is_empty() {
            String::new()
        } else {
            format!(", ref {}", order.order_ref)
        }
    )
}

/// The foreign orders on symbols `plan` trades, described.
fn foreign_orders_on(plan: &Plan, foreign: &[OpenOrder]) -> Vec<String> {
    foreign
        .iter()
        .filter(|o| plan.trades.iter().any(|t| t.symbol == o.symbol))
        .map(describe)
        .collect()
}

/// Cancels (or, in a dry run, only lists) the account's orders left working by earlier
/// runs. An order id names an order only per client id, so only this connection's own
/// earlier orders are cancelled; an earlier run's order under another client id fails the
/// account, naming it, rather than risk cancelling a different order.
async fn cancel_stale_orders<B: Broker>(
    broker: &B,
    job: &RebalanceJob<'_>,
    on_change: &(dyn Fn(&OrderReport) + Send + Sync),
) -> Result<Sweep, RebalanceError> {
    let (ours, foreign): (Vec<OpenOrder>, Vec<OpenOrder>) = broker
        .open_orders(job.account_id)
        .await?
        .into_iter()
        .partition(|o| is_rebalancer_order(&o.order_ref, job.account_id));
    let (stale, elsewhere): (Vec<OpenOrder>, Vec<OpenOrder>) = ours
        .into_iter()
        .partition(|o| o.client_id == broker.client_id());
    if !elsewhere.is_empty() {
        let described: Vec<String> = elsewhere.iter().map(describe).collect();
        if !job.dry_run {
            tracing::error!(orders = %described.join(", "), "earlier runs' orders under other client ids are working");
            return Err(RebalanceError::StaleOrdersElsewhere(described));
        }
        for order in &described {
            tracing::warn!(order = %order, "earlier run's order under another client id is working (dry run: left alone)");
        }
    }
    if stale.is_empty() || job.dry_run {
        for order in &stale {
            tracing::warn!(order_id = order.order_id, order_ref = %order.order_ref, "earlier run's order is still working (dry run: left alone)");
        }
        return Ok(Sweep {
            cancelled: stale,
            foreign,
        });
    }
    for order in &stale {
        tracing::warn!(order_id = order.order_id, order_ref = %order.order_ref, status = ?order.status, "cancelling an earlier run's open order");
    }
    let (inactive, working): (Vec<OpenOrder>, Vec<OpenOrder>) = stale
        .iter()
        .cloned()
        .partition(|o| o.status == OrderStatus::Inactive);
    let mut still_open = cancel_orders(
        broker,
        &working,
        cancel_grace(job.trading),
        "left by an earlier run; cancelled",
        on_change,
    )
    .await?;
    still_open.extend(cancel_inactive_orders(broker, job.account_id, &inactive).await?);
    if !still_open.is_empty() {
        let described = still_open.iter().map(describe).collect();
        return Err(RebalanceError::StaleOrdersWorking(described));
    }
    Ok(Sweep {
        cancelled: stale,
        foreign,
    })
}

/// Cancels inactive `orders` (an inactive order can become active again) and reads the
/// account's open orders back; returns those that became active instead of going away. A
/// refused cancel of an inactive order (it cannot be cancelled: it is over) is logged only.
async fn cancel_inactive_orders<B: Broker>(
    broker: &B,
    account: &str,
    orders: &[OpenOrder],
) -> Result<Vec<OpenOrder>, BrokerError> {
    if orders.is_empty() {
        return Ok(Vec::new());
    }
    for order in orders {
        if let Err(err) = broker.cancel_order(order.order_id).await {
            tracing::info!(order_id = order.order_id, error = %err, "inactive order not cancelled");
        }
    }
    let open = broker.open_orders(account).await?;
    Ok(open
        .into_iter()
        .filter(|o| {
            o.status != OrderStatus::Inactive
                && orders
                    .iter()
                    .any(|i| i.order_id == o.order_id && i.client_id == o.client_id)
        })
        .collect())
}

/// Cancels `orders` and waits up to `grace` for the confirmations; returns those still
/// working afterwards.
pub async fn cancel_orders<B: Broker>(
    broker: &B,
    orders: &[OpenOrder],
    grace: std::time::Duration,
    reason: &str,
    on_change: &(dyn Fn(&OrderReport) + Send + Sync),
) -> Result<Vec<OpenOrder>, BrokerError> {
    let account = orders.first().map_or("", |o| o.account.as_str());
    let mut tracker = Tracker::new(account, broker.client_id(), grace);
    for order in orders {
        tracker.add(OrderReport {
            order_id: order.order_id,
            symbol: order.symbol.clone(),
            action: order.action,
            quantity: order.quantity.max(0.0) as u64,
            order_type: OrderType::Market,
            limit_price: None,
            order_ref: order.order_ref.clone(),
            status: order.status.clone(),
            filled: 0.0,
            avg_fill_price: None,
            commission: 0.0,
            unfilled_reason: None,
        });
    }
    tracker
        .cancel_working(broker, grace, reason, on_change)
        .await?;
    let working = tracker.working();
    Ok(orders
        .iter()
        .filter(|o| working.contains(&o.order_id))
        .cloned()
        .collect())
}

#[cfg(test)]
mod tests;
