//! The executor against the in-memory broker.

use std::sync::Mutex;
use std::time::Duration;

use super::*;
use crate::broker::MemoryBroker;
use crate::config::TimeInForce;

const ACCOUNT: &str = "DU1234567";

fn trading() -> TradingSettings {
    TradingSettings {
        commission_divisor: 1.0,
        max_account_utilization: 1.0,
        order_timeout: Duration::from_millis(300),
        ..TradingSettings::default()
    }
}

fn targets() -> Vec<Allocation> {
    vec![
        Allocation {
            symbol: "VTI".into(),
            weight: 0.6,
        },
        Allocation {
            symbol: "BND".into(),
            weight: 0.4,
        },
    ]
}

/// 50 000 in XYZ (to sell), 50 000 cash.
fn broker() -> MemoryBroker {
    MemoryBroker::new(
        ACCOUNT,
        50_000.0,
        &[("XYZ", 500.0)],
        &[
            ("XYZ", 99.95, 100.05),
            ("VTI", 249.95, 250.05),
            ("BND", 79.98, 80.02),
        ],
    )
}

fn job<'a>(
    targets: &'a [Allocation],
    rules: &'a AccountRules,
    trading: &'a TradingSettings,
    dry_run: bool,
) -> RebalanceJob<'a> {
    RebalanceJob {
        run_id: "run-1",
        account_id: ACCOUNT,
        targets,
        rules,
        trading,
        dry_run,
        earlier: None,
    }
}

/// Rebalances and expects a report.
async fn report(
    broker: &MemoryBroker,
    targets: &[Allocation],
    rules: &AccountRules,
    trading: &TradingSettings,
    dry_run: bool,
) -> AccountReport {
    run(
        broker,
        &job(targets, rules, trading, dry_run),
        &CancellationToken::new(),
    )
    .await
    .0
    .expect("a report")
}

/// Panics, listing the warnings, unless one of `report`'s warnings is `wanted`.
fn assert_warned(report: &AccountReport, wanted: impl Fn(&str) -> bool) {
    assert!(
        report.warnings.iter().any(|w| wanted(w)),
        "{:?}",
        report.warnings
    );
}

/// A buy left working by an earlier run (`run-0`) of this account.
fn stale_order() -> OrderRequest {
    OrderRequest {
        account: ACCOUNT.into(),
        symbol: "VTI".into(),
        action: Action::Buy,
        quantity: 5,
        kind: OrderKind::Limit(1.0),
        tif: TimeInForce::Day,
        order_ref: "rb:run-0:DU1234567:VTI".into(),
    }
}

async fn run(
    broker: &MemoryBroker,
    job: &RebalanceJob<'_>,
    stop: &CancellationToken,
) -> (Result<AccountReport, RebalanceError>, Vec<Progress>) {
    let seen = Mutex::new(Vec::new());
    let result = rebalance(broker, job, stop, &|p| seen.lock().unwrap().push(p)).await;
    (result, seen.into_inner().unwrap())
}

async fn replan(
    broker: &MemoryBroker,
    targets: &[Allocation],
    rules: &AccountRules,
    trading: &TradingSettings,
) -> Plan {
    let (result, _) = run(
        broker,
        &job(targets, rules, trading, true),
        &CancellationToken::new(),
    )
    .await;
    result.unwrap().plan
}

#[tokio::test]
async fn rebalance_sells_then_buys_and_converges() {
    let broker = broker();
    let (targets, rules, trading) = (targets(), AccountRules::default(), trading());
    let (report, progress) = run(
        &broker,
        &job(&targets, &rules, &trading, false),
        &CancellationToken::new(),
    )
    .await;
    let report = report.unwrap();
    let actions: Vec<_> = report
        .orders
        .iter()
        .map(|o| (o.symbol.as_str(), o.action))
        .collect();
    assert_eq!(
        actions,
        [
            ("XYZ", Action::Sell),
            ("VTI", Action::Buy),
            ("BND", Action::Buy)
        ]
    );
    assert!(
        report.orders.iter().all(OrderReport::is_filled),
        "{:?}",
        report.orders
    );
    assert_eq!(report.orders[0].avg_fill_price, Some(99.95));
    assert!(
        report.orders.iter().all(|o| o.commission == 1.0),
        "each commission report arrives after its fill and still counts: {:?}",
        report.orders
    );
    assert_eq!(report.orders[1].order_ref, "rb:run-1:DU1234567:VTI");
    assert_eq!(broker.position("XYZ"), 0.0);
    assert!(report.cash_after.unwrap() >= 0.0);
    let plans = progress
        .iter()
        .filter(|p| matches!(p, Progress::Planned(_)))
        .count();
    assert_eq!(plans, 2, "a first plan and the buy re-plan after sells");
    assert_eq!(
        progress
            .iter()
            .filter(|p| matches!(p, Progress::OrderSubmitted(_)))
            .count(),
        3
    );
    assert!(
        replan(&broker, &targets, &rules, &trading)
            .await
            .trades
            .is_empty(),
        "converged"
    );
}

#[tokio::test]
async fn orders_carry_tif_limit_and_reference() {
    let broker = broker();
    let (targets, rules) = (targets(), AccountRules::default());
    let trading = TradingSettings {
        order_tif: TimeInForce::Gtc,
        ..trading()
    };
    report(&broker, &targets, &rules, &trading, false).await;
    let placed = broker.placed();
    assert!(
        placed
            .iter()
            .all(|o| o.tif == TimeInForce::Gtc && o.account == ACCOUNT)
    );
    assert_eq!(placed[0].kind, OrderKind::Market);
    assert!(matches!(placed[1].kind, OrderKind::Limit(p) if p >= 250.05));
}

#[tokio::test]
async fn dry_run_places_nothing() {
    let broker = broker().with_open_order(stale_order());
    let (targets, rules, trading) = (targets(), AccountRules::default(), trading());
    let report = report(&broker, &targets, &rules, &trading, true).await;
    assert!(report.dry_run);
    assert_eq!(report.plan.trades.len(), 3);
    assert!(report.orders.is_empty());
    assert!(broker.placed().is_empty());
    assert_eq!(report.stale_orders.len(), 1, "found but left alone");
    assert_eq!(broker.open_orders(ACCOUNT).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_rejected_order_is_reported_and_the_rest_continue() {
    let broker = broker().reject("VTI");
    let (targets, rules, trading) = (targets(), AccountRules::default(), trading());
    let report = report(&broker, &targets, &rules, &trading, false).await;
    let rejected: Vec<_> = report.rejected().map(|o| o.symbol.as_str()).collect();
    assert_eq!(rejected, ["VTI"]);
    let vti = &report.orders[1];
    assert_eq!(
        vti.unfilled_reason.as_deref(),
        Some("TWS error 201: Order rejected - reason: simulated")
    );
    assert!(report.orders[2].is_filled(), "BND still bought");
    assert!(
        broker.cancel_requests().contains(&vti.order_id),
        "an inactive order is cancelled in case it could still become active"
    );
}

#[tokio::test]
async fn missing_quote_fails_before_any_order() {
    let broker = MemoryBroker::new(ACCOUNT, 10_000.0, &[], &[("VTI", 249.95, 250.05)]);
    let (targets, rules, trading) = (targets(), AccountRules::default(), trading());
    let err = run(
        &broker,
        &job(&targets, &rules, &trading, false),
        &CancellationToken::new(),
    )
    .await
    .0
    .unwrap_err();
    assert!(err.to_string().contains("`BND`"), "{err}");
    assert!(broker.placed().is_empty());
}

#[tokio::test]
async fn an_earlier_runs_inactive_order_is_cancelled_before_planning() {
    let broker = broker().with_inactive_order(stale_order());
    let (targets, rules, trading) = (targets(), AccountRules::default(), trading());
    let report = report(&broker, &targets, &rules, &trading, false).await;
    assert_eq!(report.stale_orders.len(), 1);
    assert_eq!(report.stale_orders[0].status, OrderStatus::Inactive);
    assert_eq!(
        broker.cancel_requests().first(),
        Some(&report.stale_orders[0].order_id),
        "the inactive order is cancelled first: it could become active again"
    );
    assert!(
        broker
            .open_orders(ACCOUNT)
            .await
            .unwrap()
            .iter()
            .all(|o| o.order_ref != "rb:run-0:DU1234567:VTI"),
        "nothing of the earlier run is left open"
    );
}

#[tokio::test]
async fn earlier_runs_orders_are_cancelled_first_and_others_left() {
    let stale = stale_order();
    let manual = OrderRequest {
        order_ref: "my own order".into(),
        ..stale.clone()
    };
    let broker = broker().with_open_order(stale).with_open_order(manual);
    let trading = TradingSettings {
        foreign_orders: ForeignOrders::Ignore,
        ..trading()
    };
    let (targets, rules) = (targets(), AccountRules::default());
    let report = report(&broker, &targets, &rules, &trading, false).await;
    assert_eq!(report.stale_orders.len(), 1);
    assert_warned(&report, |w| w.contains("trading anyway"));
    let open: Vec<_> = broker
        .open_orders(ACCOUNT)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.order_ref)
        .collect();
    assert_eq!(open, ["my own order"]);
}

#[tokio::test]
async fn unfilled_orders_are_cancelled_at_the_timeout() {
    let broker = broker().hold_orders();
    let (targets, rules, trading) = (targets(), AccountRules::default(), trading());
    let report = report(&broker, &targets, &rules, &trading, false).await;
    assert_eq!(report.orders.len(), 3);
    for order in &report.orders {
        assert_eq!(order.status, OrderStatus::Cancelled);
        assert_eq!(
            order.unfilled_reason.as_deref(),
            Some("not filled within 300ms; cancelled")
        );
    }
    assert!(broker.open_orders(ACCOUNT).await.unwrap().is_empty());
}

#[tokio::test]
async fn buys_after_an_unfilled_sell_spend_only_the_cash_on_hand() {
    let broker = broker().hold_orders();
    let (targets, rules, trading) = (targets(), AccountRules::default(), trading());
    let report = report(&broker, &targets, &rules, &trading, false).await;
    let buys: Vec<OrderRequest> = broker
        .placed()
        .into_iter()
        .filter(|o| o.action == Action::Buy)
        .collect();
    assert_eq!(buys.len(), 2, "{report:?}");
    let spent: f64 = buys
        .iter()
        .map(|o| match o.kind {
            OrderKind::Limit(price) => o.quantity as f64 * price,
            OrderKind::Market => f64::INFINITY,
        })
        .sum();
    assert!(
        spent <= 50_000.0,
        "the unsold XYZ was counted as cash: {spent}"
    );
}

#[tokio::test]
async fn a_failed_placement_cancels_the_phase_orders_already_working() {
    // All cash: the VTI buy is placed and stays working; placing BND fails.
    let broker = MemoryBroker::new(
        ACCOUNT,
        100_000.0,
        &[],
        &[("VTI", 249.95, 250.05), ("BND", 79.98, 80.02)],
    )
    .hold_orders()
    .fail_placing("BND");
    let (targets, rules) = (targets(), AccountRules::default());
    let trading = TradingSettings {
        order_timeout: Duration::from_secs(30),
        ..trading()
    };
    let (result, seen) = run(
        &broker,
        &job(&targets, &rules, &trading, false),
        &CancellationToken::new(),
    )
    .await;
    let err = result.expect_err("the failed placement fails the account");
    assert!(err.to_string().contains("BND"), "{err}");
    let last_vti = seen
        .iter()
        .rev()
        .find_map(|p| match p {
            Progress::OrderUpdated(r) if r.symbol == "VTI" => Some(r),
            _ => None,
        })
        .expect("VTI updates");
    assert_eq!(last_vti.status, OrderStatus::Cancelled, "{last_vti:?}");
    assert!(
        last_vti
            .unfilled_reason
            .as_deref()
            .is_some_and(|r| r.starts_with("cancelled after an error")),
        "{last_vti:?}"
    );
    assert!(broker.open_orders(ACCOUNT).await.unwrap().is_empty());
}

/// Settings for the commission-wait tests: a 20 s grace, working orders cancelled on stop.
fn twenty_second_grace() -> TradingSettings {
    TradingSettings {
        order_timeout: Duration::from_secs(20),
        cancel_orders_on_stop: true,
        ..trading()
    }
}

// The executor's deadlines are std instants, so each test runs on a fresh paused clock.
#[tokio::test(start_paused = true)]
async fn missing_commission_reports_are_awaited_up_to_the_grace() {
    let (targets, rules, trading) = (targets(), AccountRules::default(), twenty_second_grace());
    let broker = broker().withhold_commissions();
    let started = tokio::time::Instant::now();
    let report = report(&broker, &targets, &rules, &trading, false).await;
    assert!(report.orders.iter().all(|o| o.is_filled()));
    assert!(report.orders.iter().all(|o| o.commission == 0.0));
    assert!(
        started.elapsed() >= Duration::from_secs(20),
        "waited the grace: {:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn a_stopped_run_does_not_wait_for_commission_reports() {
    let (targets, rules, trading) = (targets(), AccountRules::default(), twenty_second_grace());
    let broker = broker().withhold_commissions();
    let stop = CancellationToken::new();
    let started = tokio::time::Instant::now();
    let report = rebalance(
        &broker,
        &job(&targets, &rules, &trading, false),
        &stop,
        &|p| {
            if matches!(p, Progress::OrderSubmitted(_)) {
                stop.cancel();
            }
        },
    )
    .await
    .unwrap();
    assert!(report.stopped);
    assert!(report.orders[0].is_filled(), "{:?}", report.orders);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "waited {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn after_a_stop_no_order_is_placed() {
    let broker = broker();
    let (targets, rules, trading) = (targets(), AccountRules::default(), trading());
    let stop = CancellationToken::new();
    stop.cancel();
    let report = run(&broker, &job(&targets, &rules, &trading, false), &stop)
        .await
        .0
        .unwrap();
    assert!(report.stopped);
    assert!(broker.placed().is_empty());
}

#[tokio::test]
async fn a_stop_while_waiting_cancels_working_orders_when_configured() {
    for cancel in [true, false] {
        let broker = broker().hold_orders();
        let (targets, rules) = (targets(), AccountRules::default());
        let trading = TradingSettings {
            cancel_orders_on_stop: cancel,
            order_timeout: Duration::from_secs(30),
            ..trading()
        };
        let stop = CancellationToken::new();
        let job = job(&targets, &rules, &trading, false);
        let seen = Mutex::new(0);
        let report = rebalance(&broker, &job, &stop, &|p| {
            if matches!(p, Progress::OrderSubmitted(_)) {
                *seen.lock().unwrap() += 1;
                stop.cancel();
            }
        })
        .await
        .unwrap();
        assert!(report.stopped);
        assert_eq!(
            broker.placed().len(),
            1,
            "only the order placed before the stop"
        );
        let open = broker.open_orders(ACCOUNT).await.unwrap().len();
        assert_eq!(
            open,
            usize::from(!cancel),
            "cancel_orders_on_stop = {cancel}"
        );
    }
}

#[tokio::test]
async fn risk_limits_refuse_the_plan_and_place_nothing() {
    let (targets, rules, base) = (targets(), AccountRules::default(), trading());
    let broker = broker();
    let trading = TradingSettings {
        max_order_percent: 40.0,
        ..base.clone()
    };
    let err = run(
        &broker,
        &job(&targets, &rules, &trading, false),
        &CancellationToken::new(),
    )
    .await
    .0
    .unwrap_err();
    assert!(matches!(err, RebalanceError::RiskLimit(_)), "{err}");
    assert!(
        err.to_string().contains("above max_order_percent (40%)"),
        "{err}"
    );
    assert!(broker.placed().is_empty());

    let trading = TradingSettings {
        max_turnover_percent: 50.0,
        ..base
    };
    let err = run(
        &broker,
        &job(&targets, &rules, &trading, false),
        &CancellationToken::new(),
    )
    .await
    .0
    .unwrap_err();
    assert!(
        err.to_string().contains("above max_turnover_percent (50%)"),
        "{err}"
    );
    assert!(broker.placed().is_empty());

    let report = report(&broker, &targets, &rules, &trading, true).await;
    assert!(
        report.warnings.iter().any(|w| w.contains("risk limit")),
        "a dry run shows what would be refused"
    );
}

#[tokio::test]
async fn a_hand_placed_order_on_a_planned_symbol_fails_the_account_before_any_order() {
    let manual = OrderRequest {
        order_ref: String::new(),
        ..stale_order()
    };
    let elsewhere = OrderRequest {
        symbol: "SPY".into(),
        ..manual.clone()
    };
    let broker = broker()
        .with_open_order_of(7, manual)
        .with_open_order_of(7, elsewhere);
    let (targets, rules, trading) = (targets(), AccountRules::default(), trading());
    let (result, _) = run(
        &broker,
        &job(&targets, &rules, &trading, false),
        &CancellationToken::new(),
    )
    .await;
    let err = result.unwrap_err();
    assert!(
        matches!(err, RebalanceError::ForeignOrders(ref orders) if orders.len() == 1),
        "{err}"
    );
    let text = err.to_string();
    assert!(
        text.contains("client id 7") && text.contains("VTI"),
        "{text}"
    );
    assert!(
        !text.contains("SPY"),
        "an order on a symbol the plan leaves alone does not matter"
    );
    assert!(broker.placed().is_empty(), "nothing traded on top of it");
    let dry = report(&broker, &targets, &rules, &trading, true).await;
    assert_warned(&dry, |w| w.contains("a rebalance would fail"));
}

#[tokio::test]
async fn an_earlier_runs_order_under_another_client_id_is_named_never_cancelled_by_its_bare_id() {
    let broker = broker().with_open_order_of(104, stale_order());
    let (targets, rules, trading) = (targets(), AccountRules::default(), trading());
    let (result, _) = run(
        &broker,
        &job(&targets, &rules, &trading, false),
        &CancellationToken::new(),
    )
    .await;
    let err = result.unwrap_err();
    assert!(
        matches!(err, RebalanceError::StaleOrdersElsewhere(_)),
        "{err}"
    );
    let text = err.to_string();
    assert!(
        text.contains("order 1 of client id 104 (permId 1000001"),
        "{text}"
    );
    assert!(
        broker.cancel_requests().is_empty(),
        "no cancel sent for another client's order id"
    );
    assert!(broker.placed().is_empty());
}

/// Settings for the order-identity tests: orders not confirmed within 50 ms are looked up.
fn quick_lookup() -> TradingSettings {
    TradingSettings {
        order_ack_timeout: Duration::from_millis(50),
        order_timeout: Duration::from_secs(5),
        ..trading()
    }
}

/// The final report of `symbol`'s order.
fn order_of<'a>(report: &'a AccountReport, symbol: &str) -> &'a OrderReport {
    report
        .orders
        .iter()
        .find(|o| o.symbol == symbol)
        .unwrap_or_else(|| panic!("an order for {symbol} in {:?}", report.orders))
}

#[tokio::test]
async fn an_order_whose_updates_never_come_is_found_and_followed() {
    let broker = broker().silence("VTI");
    let (targets, rules, trading) = (targets(), AccountRules::default(), quick_lookup());
    let report = report(&broker, &targets, &rules, &trading, false).await;
    let vti = order_of(&report, "VTI");
    assert_eq!(vti.status, OrderStatus::Filled, "{vti:?}");
    assert_eq!(vti.filled, vti.quantity as f64);
    assert_eq!(vti.avg_fill_price, Some(250.05));
    assert_eq!(
        vti.commission, 1.0,
        "the commission comes with the execution"
    );
    assert_warned(&report, |w| w.contains("re-read"));
    assert_eq!(
        broker.placed().iter().filter(|o| o.symbol == "VTI").count(),
        1
    );
    assert!(
        broker.cancel_requests().is_empty(),
        "a filled order is not cancelled"
    );
}

#[tokio::test]
async fn a_submit_that_times_out_is_followed_by_its_reference() {
    let broker = broker().leave_unconfirmed("VTI").silence("VTI");
    let (targets, rules, trading) = (targets(), AccountRules::default(), quick_lookup());
    let (result, seen) = run(
        &broker,
        &job(&targets, &rules, &trading, false),
        &CancellationToken::new(),
    )
    .await;
    let report = result.expect("the unconfirmed submit does not fail the account");
    assert!(
        seen.iter()
            .any(|p| matches!(p, Progress::OrderSubmitted(o) if o.symbol == "VTI")),
        "the order is reported as sent"
    );
    assert_eq!(order_of(&report, "VTI").status, OrderStatus::Filled);
    assert!(report.unfilled().next().is_none(), "{:?}", report.orders);
}

#[tokio::test]
async fn a_submit_the_gateway_never_got_is_reported_never_placed() {
    let broker = broker().lose_submission("VTI");
    let (targets, rules, trading) = (targets(), AccountRules::default(), quick_lookup());
    let report = report(&broker, &targets, &rules, &trading, false).await;
    let vti = order_of(&report, "VTI");
    assert_eq!(vti.status, OrderStatus::Inactive, "{vti:?}");
    assert!(
        vti.unfilled_reason
            .as_deref()
            .is_some_and(|r| r.starts_with("never placed")),
        "{vti:?}"
    );
    assert_eq!(
        broker.cancel_requests(),
        vec![vti.order_id],
        "a cancel makes sure the order cannot surface later"
    );
    assert_eq!(order_of(&report, "BND").status, OrderStatus::Filled);
}

#[tokio::test]
async fn lost_order_updates_mid_phase_are_recovered_and_the_phase_completes() {
    let broker = broker().lose_updates("VTI");
    let (targets, rules, trading) = (targets(), AccountRules::default(), quick_lookup());
    let report = report(&broker, &targets, &rules, &trading, false).await;
    for order in &report.orders {
        assert_eq!(order.status, OrderStatus::Filled, "{order:?}");
        assert_eq!(order.filled, order.quantity as f64, "{order:?}");
        assert_eq!(order.commission, 1.0, "{order:?}");
    }
    assert_eq!(
        broker.position("VTI"),
        order_of(&report, "VTI").quantity as f64
    );
    assert_warned(&report, |w| w.contains("lost"));
}
