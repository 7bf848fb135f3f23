//! Following placed orders until each is final, the phase deadline passes, or a stop is
//! asked for.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::broker::{Broker, BrokerError, ExecutionRecord, OrderEvent, OrderStatus};
use crate::calculator::{Action, OrderType};

/// TWS error codes after which an order can no longer fill.
const FINAL_ERROR_CODES: [i32; 5] = [103, 110, 200, 201, 202];

/// What became of one order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderReport {
    /// Broker order id.
    pub order_id: i64,
    /// Symbol.
    pub symbol: String,
    /// Buy or sell.
    pub action: Action,
    /// Shares ordered.
    pub quantity: u64,
    /// Market or limit.
    pub order_type: OrderType,
    /// Limit price of a buy.
    pub limit_price: Option<f64>,
    /// The order's reference.
    pub order_ref: String,
    /// Last known status.
    pub status: OrderStatus,
    /// Shares filled.
    pub filled: f64,
    /// Average fill price, when anything filled.
    pub avg_fill_price: Option<f64>,
    /// Commission charged (USD).
    pub commission: f64,
    /// Why the order did not fill completely, when it did not.
    pub unfilled_reason: Option<String>,
}

impl OrderReport {
    /// Whether the order is final: filled, cancelled or rejected.
    pub fn is_final(&self) -> bool {
        self.status.is_terminal()
    }

    /// Whether every share filled.
    pub fn is_filled(&self) -> bool {
        self.status == OrderStatus::Filled
    }

    fn apply(&mut self, event: &OrderEvent) {
        match event {
            OrderEvent::Status {
                status,
                filled,
                avg_fill_price,
                ..
            } => {
                if !self.status.is_terminal() {
                    self.status = status.clone();
                }
                self.filled = self.filled.max(*filled);
                if *filled > 0.0 && *avg_fill_price > 0.0 {
                    self.avg_fill_price = Some(*avg_fill_price);
                }
            }
            OrderEvent::Error { code, message, .. } => {
                let was_final = self.status.is_terminal();
                if FINAL_ERROR_CODES.contains(code) && !was_final {
                    self.status = if *code == 202 {
                        OrderStatus::Cancelled
                    } else {
                        OrderStatus::Inactive
                    };
                }
                // The first reason a final order got stays (a later "cannot cancel" does not
                // replace a rejection).
                if *code != 202 && !(was_final && self.unfilled_reason.is_some()) {
                    self.unfilled_reason = Some(format!("TWS error {code}: {message}"));
                }
            }
            OrderEvent::Execution { .. } | OrderEvent::Commission { .. } => {}
        }
    }
}

/// The part of an execution id a correction keeps: everything before the last period.
/// A correction ("….02") replaces the execution it corrects ("….01") instead of adding to it.
fn execution_key(exec_id: &str) -> &str {
    exec_id.rsplit_once('.').map_or(exec_id, |(base, _)| base)
}

/// One execution of a followed order.
struct Exec {
    /// Index of the order in the tracker.
    order: usize,
    shares: f64,
    price: f64,
    /// Whether its commission report has arrived.
    commissioned: bool,
}

/// The orders of one account run, followed through the broker's events across its phases
/// (a commission report for a sell may arrive while the buys are being followed). When the
/// events cannot be trusted (some were lost, or no event ever confirmed an order) the orders
/// are re-read from the gateway: its open orders and the day's executions, matched by
/// client id, order id and order reference.
pub(crate) struct Tracker {
    orders: Vec<OrderReport>,
    by_id: HashMap<i64, usize>,
    execs: HashMap<String, Exec>,
    /// Orders no event has confirmed yet, with when to look them up at the gateway next.
    unconfirmed: HashMap<usize, Instant>,
    ack_timeout: Duration,
    account: String,
    client_id: i32,
    /// What a person should know about how the orders were followed.
    notes: Vec<String>,
}

/// How waiting ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WaitEnd {
    /// Every order is final.
    AllFinal,
    /// The deadline passed first.
    TimedOut,
    /// A stop was asked for.
    Stopped,
}

impl Tracker {
    /// Follows orders of `account` placed under `client_id`; an order no event confirms
    /// within `ack_timeout` is looked up at the gateway.
    pub fn new(account: &str, client_id: i32, ack_timeout: Duration) -> Self {
        Self {
            orders: Vec::new(),
            by_id: HashMap::new(),
            execs: HashMap::new(),
            unconfirmed: HashMap::new(),
            ack_timeout,
            account: account.to_string(),
            client_id,
            notes: Vec::new(),
        }
    }

    /// Follows an order already known to the gateway (an earlier run's working order).
    pub fn add(&mut self, report: OrderReport) {
        self.by_id.insert(report.order_id, self.orders.len());
        self.orders.push(report);
    }

    /// Follows an order just sent: until an event about it arrives, it is looked up at the
    /// gateway every `ack_timeout`.
    pub fn placed(&mut self, report: OrderReport) {
        self.unconfirmed
            .insert(self.orders.len(), Instant::now() + self.ack_timeout);
        self.add(report);
    }

    /// The orders and what a person should know about how they were followed.
    pub fn into_orders(self) -> (Vec<OrderReport>, Vec<String>) {
        (self.orders, self.notes)
    }

    pub fn working(&self) -> Vec<i64> {
        self.orders
            .iter()
            .filter(|o| !o.is_final())
            .map(|o| o.order_id)
            .collect()
    }

    /// Applies one event; returns the report it changed, if it was about one of ours.
    pub fn apply(&mut self, event: &OrderEvent) -> Option<&OrderReport> {
        let index = self.apply_at(event)?;
        self.unconfirmed.remove(&index);
        Some(&self.orders[index])
    }

    fn apply_at(&mut self, event: &OrderEvent) -> Option<usize> {
        match event {
            OrderEvent::Commission {
                exec_id,
                commission,
            } => {
                let exec = self.execs.get_mut(execution_key(exec_id))?;
                if exec.commissioned {
                    return None;
                }
                exec.commissioned = true;
                let index = exec.order;
                self.orders[index].commission += commission;
                Some(index)
            }
            OrderEvent::Execution {
                order_id,
                exec_id,
                shares,
                price,
            } => {
                let index = *self.by_id.get(order_id)?;
                let key = execution_key(exec_id);
                let commissioned = self.execs.get(key).is_some_and(|e| e.commissioned);
                self.execs.insert(
                    key.to_string(),
                    Exec {
                        order: index,
                        shares: *shares,
                        price: *price,
                        commissioned,
                    },
                );
                let (filled, notional) = self
                    .execs
                    .values()
                    .filter(|e| e.order == index)
                    .fold((0.0, 0.0), |(q, n), e| {
                        (q + e.shares, n + e.shares * e.price)
                    });
                let order = &mut self.orders[index];
                order.filled = order.filled.max(filled);
                if filled > 0.0 {
                    order.avg_fill_price = Some(notional / filled);
                }
                Some(index)
            }
            other => {
                let index = *self.by_id.get(&other.order_id()?)?;
                self.orders[index].apply(other);
                Some(index)
            }
        }
    }

    /// The executions of the orders followed, as the gateway would list them; each order's
    /// commission is carried by one of its executions.
    pub fn executions(&self) -> Vec<ExecutionRecord> {
        let mut commissioned = vec![false; self.orders.len()];
        let mut records: Vec<ExecutionRecord> = self
            .execs
            .iter()
            .map(|(exec_id, exec)| {
                let order = &self.orders[exec.order];
                let commission = (!commissioned[exec.order]).then(|| {
                    commissioned[exec.order] = true;
                    order.commission
                });
                ExecutionRecord {
                    exec_id: exec_id.clone(),
                    order_id: order.order_id,
                    client_id: self.client_id,
                    perm_id: 0,
                    account: self.account.clone(),
                    symbol: order.symbol.clone(),
                    con_id: 0,
                    action: order.action,
                    shares: exec.shares,
                    price: exec.price,
                    order_ref: order.order_ref.clone(),
                    commission,
                }
            })
            .collect();
        records.sort_by(|a, b| a.exec_id.cmp(&b.exec_id));
        records
    }

    /// When the next unconfirmed working order is due to be looked up.
    fn next_lookup(&self) -> Option<Instant> {
        self.unconfirmed
            .iter()
            .filter(|(index, _)| !self.orders[**index].is_final())
            .map(|(_, at)| *at)
            .min()
    }

    /// Re-reads every working order from the gateway: its open orders and the day's
    /// executions, matched by this connection's client id, the order id and the order
    /// reference. Fills and commissions found are applied as events would be; an order the
    /// gateway no longer lists as working is final (filled, or cancelled with what filled);
    /// one it has no record of at all was never placed. Orders still unconfirmed are looked
    /// up again after another `ack_timeout`.
    pub async fn resync<B: Broker>(
        &mut self,
        broker: &B,
        why: &str,
        on_change: &(dyn Fn(&OrderReport) + Send + Sync),
    ) -> Result<(), BrokerError> {
        let working: Vec<usize> = (0..self.orders.len())
            .filter(|i| !self.orders[*i].is_final())
            .collect();
        if working.is_empty() {
            return Ok(());
        }
        tracing::warn!(
            why,
            orders = working.len(),
            "re-reading orders from the gateway"
        );
        let open = broker.open_orders(&self.account).await?;
        let executions = broker.executions(&self.account).await?;
        let ours = |order_id: i64, client_id: i32, order_ref: &str, report: &OrderReport| {
            order_id == report.order_id
                && client_id == self.client_id
                && order_ref == report.order_ref
        };
        let mut found_executions = Vec::new();
        let mut listed = Vec::new();
        for &index in &working {
            let report = &self.orders[index];
            found_executions.extend(
                executions
                    .iter()
                    .filter(|e| ours(e.order_id, e.client_id, &e.order_ref, report))
                    .cloned(),
            );
            listed.push(
                open.iter()
                    .find(|o| ours(o.order_id, o.client_id, &o.order_ref, report))
                    .map(|o| o.status.clone()),
            );
        }
        let before: Vec<OrderReport> = working.iter().map(|i| self.orders[*i].clone()).collect();
        for execution in &found_executions {
            self.apply_at(&OrderEvent::Execution {
                order_id: execution.order_id,
                exec_id: execution.exec_id.clone(),
                shares: execution.shares,
                price: execution.price,
            });
            if let Some(commission) = execution.commission {
                self.apply_at(&OrderEvent::Commission {
                    exec_id: execution.exec_id.clone(),
                    commission,
                });
            }
        }
        let next_lookup = Instant::now() + self.ack_timeout;
        for ((&index, status), previous) in working.iter().zip(listed).zip(before) {
            let confirmed = !self.unconfirmed.contains_key(&index);
            let order = &mut self.orders[index];
            let complete = order.filled + 1e-9 >= order.quantity as f64;
            match status {
                _ if complete => order.status = OrderStatus::Filled,
                Some(status) => {
                    order.status = status;
                    if !confirmed {
                        self.unconfirmed.insert(index, next_lookup);
                    }
                }
                None if order.filled > 0.0 => {
                    order.status = OrderStatus::Cancelled;
                    order.unfilled_reason.get_or_insert_with(|| {
                        "no longer working at the gateway, part filled (found by re-reading the orders)"
                            .to_string()
                    });
                }
                None if !confirmed => {
                    order.status = OrderStatus::Inactive;
                    order.unfilled_reason = Some(
                        "never placed: the gateway lists neither a working order nor an execution with its reference"
                            .to_string(),
                    );
                }
                None => {
                    order.status = OrderStatus::Cancelled;
                    order.unfilled_reason.get_or_insert_with(|| {
                        "no longer working at the gateway, nothing filled (found by re-reading the orders)"
                            .to_string()
                    });
                }
            }
            if order.is_final() {
                self.unconfirmed.remove(&index);
            }
            let order = &self.orders[index];
            if *order != previous {
                on_change(order);
            }
        }
        let note =
            format!("{why}; the orders were re-read from the gateway's open orders and executions");
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
        Ok(())
    }

    /// Waits until every order is final, `deadline` passes or `stop` fires, reporting each
    /// change through `on_change`.
    pub async fn wait<B: Broker>(
        &mut self,
        broker: &B,
        deadline: Instant,
        stop: &CancellationToken,
        on_change: &(dyn Fn(&OrderReport) + Send + Sync),
    ) -> Result<WaitEnd, BrokerError> {
        loop {
            if self.working().is_empty() {
                return Ok(WaitEnd::AllFinal);
            }
            let wake = self.next_lookup().map_or(deadline, |at| at.min(deadline));
            let event = tokio::select! {
                biased;
                () = stop.cancelled() => return Ok(WaitEnd::Stopped),
                event = broker.next_event(wake) => event,
            };
            match event {
                Ok(Some(event)) => {
                    if let Some(report) = self.apply(&event) {
                        on_change(report);
                    }
                }
                Ok(None) if Instant::now() >= deadline => return Ok(WaitEnd::TimedOut),
                Ok(None) => {
                    let why = format!(
                        "no update confirmed an order within {:?} of sending it",
                        self.ack_timeout
                    );
                    self.resync(broker, &why, on_change).await?;
                }
                Err(BrokerError::UpdatesLost(message)) => {
                    tracing::warn!(%message, "order updates were lost");
                    self.resync(broker, "order updates were lost on the way", on_change)
                        .await?;
                }
                Err(err) => return Err(err),
            }
        }
    }

    /// Sends a cancel for every order the gateway reported `Inactive`, without waiting. An
    /// inactive order is usually rejected for good, but the gateway can also hold one that
    /// becomes active later; a cancel makes sure no order outlives the run unseen. Failures
    /// (typically "cannot be cancelled") are logged and otherwise ignored.
    pub async fn cancel_inactive<B: Broker>(&self, broker: &B) {
        let inactive = self
            .orders
            .iter()
            .filter(|o| o.status == OrderStatus::Inactive);
        for order in inactive {
            if let Err(err) = broker.cancel_order(order.order_id).await {
                tracing::debug!(order_id = order.order_id, error = %err, "inactive order not cancelled");
            }
        }
    }

    /// Waits up to `grace` for the commission reports of executions already seen (the
    /// gateway sends them after the fill). Reports still missing then leave the commission
    /// short, which is logged.
    pub async fn settle_commissions<B: Broker>(
        &mut self,
        broker: &B,
        grace: Duration,
        on_change: &(dyn Fn(&OrderReport) + Send + Sync),
    ) -> Result<(), BrokerError> {
        let deadline = Instant::now() + grace;
        loop {
            let missing = self.execs.values().filter(|e| !e.commissioned).count();
            if missing == 0 {
                return Ok(());
            }
            match broker.next_event(deadline).await {
                Ok(Some(event)) => {
                    if let Some(report) = self.apply(&event) {
                        on_change(report);
                    }
                }
                Err(BrokerError::UpdatesLost(message)) => {
                    tracing::warn!(%message, "order updates were lost; reading commissions from the executions");
                    for execution in broker.executions(&self.account).await? {
                        if let (true, Some(commission)) =
                            (execution.client_id == self.client_id, execution.commission)
                            && let Some(report) = self.apply(&OrderEvent::Commission {
                                exec_id: execution.exec_id,
                                commission,
                            })
                        {
                            on_change(report);
                        }
                    }
                }
                Err(err) => return Err(err),
                Ok(None) => {
                    tracing::warn!(
                        missing,
                        ?grace,
                        "commission reports missing; reported commissions are short"
                    );
                    return Ok(());
                }
            }
        }
    }

    /// Cancels every working order and waits up to `grace` for the confirmations; orders
    /// still open afterwards keep their last status and get `reason`. A cancel that fails
    /// does not keep the others from being sent; the first failure is returned.
    pub async fn cancel_working<B: Broker>(
        &mut self,
        broker: &B,
        grace: Duration,
        reason: &str,
        on_change: &(dyn Fn(&OrderReport) + Send + Sync),
    ) -> Result<(), BrokerError> {
        let working = self.working();
        let mut first_failure = None;
        for order_id in &working {
            if let Err(err) = broker.cancel_order(*order_id).await {
                tracing::error!(order_id, error = %err, "cancel request failed");
                first_failure.get_or_insert(err);
            }
        }
        let never = CancellationToken::new();
        let end = self
            .wait(broker, Instant::now() + grace, &never, on_change)
            .await?;
        if end == WaitEnd::TimedOut {
            self.resync(broker, "cancel confirmations did not all arrive", on_change)
                .await?;
        }
        if let Some(err) = first_failure {
            return Err(err);
        }
        for order in &mut self.orders {
            if working.contains(&order.order_id)
                && !order.is_filled()
                && order.unfilled_reason.is_none()
            {
                order.unfilled_reason = Some(reason.to_string());
                on_change(order);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed() -> OrderReport {
        OrderReport {
            order_id: 7,
            symbol: "VTI".into(),
            action: Action::Buy,
            quantity: 10,
            order_type: OrderType::Limit,
            limit_price: Some(250.0),
            order_ref: "rb:run-1:DU1234567:VTI".into(),
            status: OrderStatus::Submitted,
            filled: 0.0,
            avg_fill_price: None,
            commission: 0.0,
            unfilled_reason: None,
        }
    }

    fn error(code: i32, message: &str) -> OrderEvent {
        OrderEvent::Error {
            order_id: 7,
            code,
            message: message.into(),
        }
    }

    #[test]
    fn a_rejection_keeps_its_reason_after_a_failed_cancel() {
        let mut order = placed();
        order.apply(&error(201, "Order rejected - reason: margin"));
        order.apply(&error(
            10147,
            "OrderId 7 that needs to be cancelled is not found.",
        ));
        assert_eq!(order.status, OrderStatus::Inactive);
        assert_eq!(
            order.unfilled_reason.as_deref(),
            Some("TWS error 201: Order rejected - reason: margin")
        );
    }

    #[test]
    fn a_working_order_takes_the_latest_warning() {
        let mut order = placed();
        order.apply(&error(
            399,
            "Order will not be placed until the market opens",
        ));
        order.apply(&error(201, "Order rejected - reason: margin"));
        assert_eq!(order.status, OrderStatus::Inactive);
        assert_eq!(
            order.unfilled_reason.as_deref(),
            Some("TWS error 201: Order rejected - reason: margin")
        );
    }

    #[test]
    fn a_corrected_execution_replaces_the_one_it_corrects() {
        let mut tracker = Tracker::new("DU1234567", 1, Duration::from_secs(10));
        tracker.add(placed());
        let execution = |exec_id: &str, price: f64| OrderEvent::Execution {
            order_id: 7,
            exec_id: exec_id.into(),
            shares: 10.0,
            price,
        };
        tracker.apply(&execution("0000e0d5.65a1.01.01", 250.0));
        tracker.apply(&execution("0000e0d5.65a1.01.02", 249.0));
        let order = &tracker.into_orders().0[0];
        assert_eq!(order.filled, 10.0);
        assert_eq!(order.avg_fill_price, Some(249.0));
    }

    #[test]
    fn a_repeated_commission_report_counts_once() {
        let mut tracker = Tracker::new("DU1234567", 1, Duration::from_secs(10));
        tracker.add(placed());
        let execution = OrderEvent::Execution {
            order_id: 7,
            exec_id: "e1".into(),
            shares: 10.0,
            price: 250.0,
        };
        let commission = OrderEvent::Commission {
            exec_id: "e1".into(),
            commission: 1.0,
        };
        tracker.apply(&execution);
        tracker.apply(&commission);
        assert!(tracker.apply(&commission).is_none());
        assert_eq!(tracker.into_orders().0[0].commission, 1.0);
    }
}
