//! Following placed orders until each is final, the phase deadline passes, or a stop is
//! asked for.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::broker::{Broker, BrokerError, OrderEvent, OrderStatus};
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
/// (a commission report for a sell may arrive while the buys are being followed).
pub(crate) struct Tracker {
    orders: Vec<OrderReport>,
    by_id: HashMap<i64, usize>,
    execs: HashMap<String, Exec>,
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
    pub fn new() -> Self {
        Self {
            orders: Vec::new(),
            by_id: HashMap::new(),
            execs: HashMap::new(),
        }
    }

    pub fn add(&mut self, report: OrderReport) {
        self.by_id.insert(report.order_id, self.orders.len());
        self.orders.push(report);
    }

    pub fn into_orders(self) -> Vec<OrderReport> {
        self.orders
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
        let index = match event {
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
                return Some(&self.orders[index]);
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
                index
            }
            other => {
                let index = *self.by_id.get(&other.order_id()?)?;
                self.orders[index].apply(other);
                index
            }
        };
        Some(&self.orders[index])
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
            let event = tokio::select! {
                biased;
                () = stop.cancelled() => return Ok(WaitEnd::Stopped),
                event = broker.next_event(deadline) => event?,
            };
            match event {
                Some(event) => {
                    if let Some(report) = self.apply(&event) {
                        on_change(report);
                    }
                }
                None => return Ok(WaitEnd::TimedOut),
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
            match broker.next_event(deadline).await? {
                Some(event) => {
                    if let Some(report) = self.apply(&event) {
                        on_change(report);
                    }
                }
                None => {
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
        self.wait(broker, Instant::now() + grace, &never, on_change)
            .await?;
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
        let mut tracker = Tracker::new();
        tracker.add(placed());
        let execution = |exec_id: &str, price: f64| OrderEvent::Execution {
            order_id: 7,
            exec_id: exec_id.into(),
            shares: 10.0,
            price,
        };
        tracker.apply(&execution("0000e0d5.65a1.01.01", 250.0));
        tracker.apply(&execution("0000e0d5.65a1.01.02", 249.0));
        let order = &tracker.into_orders()[0];
        assert_eq!(order.filled, 10.0);
        assert_eq!(order.avg_fill_price, Some(249.0));
    }

    #[test]
    fn a_repeated_commission_report_counts_once() {
        let mut tracker = Tracker::new();
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
        assert_eq!(tracker.into_orders()[0].commission, 1.0);
    }
}
