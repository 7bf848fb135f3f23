//! The `ibapi` broker adapter and the executor against the gateway simulator on loopback.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sim::gateway::{AccountSeed, GatewaySim, InstrumentSeed, QuoteSeed, Scenario};
use tokio_util::sync::CancellationToken;
use trading_core::allocations::Allocation;
use trading_core::broker::{Broker, BrokerError, IbkrBroker, OrderStatus};
use trading_core::calculator::{AccountRules, Action, plan};
use trading_core::config::{GatewaySettings, MarketDataKind, TradingSettings};
use trading_core::executor::{
    AccountReport, EarlierAttempts, Progress, RebalanceError, RebalanceJob, rebalance,
};

const ACCOUNT: &str = "DU1234567";

fn scenario() -> Scenario {
    let mut s = Scenario::default();
    s.accounts.insert(
        ACCOUNT.into(),
        AccountSeed {
            cash: 50_000.0,
            positions: [("XYZ".to_string(), 500.0)].into_iter().collect(),
            ..Default::default()
        },
    );
    s.accounts.insert(
        "DU7654321".into(),
        AccountSeed {
            cash: 1_000.0,
            ..Default::default()
        },
    );
    for (symbol, bid, ask) in [
        ("XYZ", 99.95, 100.05),
        ("VTI", 249.95, 250.05),
        ("BND", 79.98, 80.02),
    ] {
        s.quotes.insert(
            symbol.into(),
            QuoteSeed {
                bid,
                ask,
                last: Some((bid + ask) / 2.0),
            },
        );
    }
    s
}

fn gateway_settings() -> GatewaySettings {
    GatewaySettings {
        connect_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(5),
        quote_timeout: Duration::from_millis(500),
        quote_attempts: 2,
        ..GatewaySettings::default()
    }
}

fn trading() -> TradingSettings {
    TradingSettings {
        order_timeout: Duration::from_secs(5),
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

async fn connect(sim: &GatewaySim, client_id: i32) -> Result<IbkrBroker, BrokerError> {
    IbkrBroker::connect(&gateway_settings(), sim.addr().port(), client_id).await
}

async fn run(
    broker: &IbkrBroker,
    run_id: &str,
    trading: &TradingSettings,
    dry_run: bool,
) -> Result<AccountReport, RebalanceError> {
    run_to(broker, run_id, &targets(), trading, dry_run).await
}

/// Rebalances [`ACCOUNT`] to `targets`.
async fn run_to(
    broker: &IbkrBroker,
    run_id: &str,
    targets: &[Allocation],
    trading: &TradingSettings,
    dry_run: bool,
) -> Result<AccountReport, RebalanceError> {
    let rules = AccountRules::default();
    let job = RebalanceJob {
        run_id,
        account_id: ACCOUNT,
        targets,
        rules: &rules,
        trading,
        dry_run,
        earlier: None,
    };
    rebalance(broker, &job, &CancellationToken::new(), &|_| {}).await
}

/// Panics, listing the warnings, unless one of `report`'s warnings is `wanted`.
fn assert_warned(report: &AccountReport, wanted: impl Fn(&str) -> bool) {
    assert!(
        report.warnings.iter().any(|w| wanted(w)),
        "{:?}",
        report.warnings
    );
}

fn assert_all_filled(report: &AccountReport) {
    assert!(
        report
            .orders
            .iter()
            .all(|o| o.status == OrderStatus::Filled),
        "{:?}",
        report.orders
    );
}

/// Ends a run's task as a crash would, mid-run, and closes the connection it used.
async fn crash(task: tokio::task::JoinHandle<()>, broker: Arc<IbkrBroker>, sim: &GatewaySim) {
    task.abort();
    let _ = task.await;
    Arc::into_inner(broker)
        .expect("the crashed run released the connection")
        .disconnect()
        .await;
    assert!(sim.wait_for_connections(0, Duration::from_secs(2)).await);
}

/// What the buys of `report` cost, commissions included.
fn spent_on_buys(report: &AccountReport) -> f64 {
    report
        .orders
        .iter()
        .filter(|o| o.action == Action::Buy)
        .map(|o| o.filled * o.avg_fill_price.unwrap_or(0.0) + o.commission)
        .sum()
}

/// Plans again from the gateway's state now: a converged account needs no trades.
async fn remaining_trades(broker: &IbkrBroker) -> usize {
    let report = run(broker, "check", &trading(), true)
        .await
        .expect("dry run");
    report.plan.trades.len()
}

#[tokio::test]
async fn snapshot_matches_the_scenario() {
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let broker = connect(&sim, 11).await.unwrap();
    let state = broker.account_state(ACCOUNT).await.unwrap();
    assert_eq!(state.cash, 50_000.0);
    assert_eq!(state.net_liquidation, 100_000.0);
    assert_eq!(state.positions.len(), 1);
    assert_eq!(
        (
            state.positions[0].symbol.as_str(),
            state.positions[0].quantity
        ),
        ("XYZ", 500.0)
    );
    let other = broker.account_state("DU7654321").await.unwrap();
    assert_eq!((other.cash, other.positions.len()), (1_000.0, 0));
    let quotes = broker
        .quotes(&["VTI".to_string(), "XYZ".to_string()])
        .await
        .unwrap();
    assert_eq!(
        (quotes["VTI"].bid, quotes["VTI"].ask, quotes["VTI"].last),
        (249.95, 250.05, Some(250.0))
    );
    assert_eq!(
        sim.connections()
            .iter()
            .map(|c| c.client_id)
            .collect::<Vec<_>>(),
        [11]
    );
    broker.disconnect().await;
    assert!(sim.wait_for_connections(0, Duration::from_secs(2)).await);
}

#[tokio::test]
async fn realtime_quotes_are_served_too() {
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let settings = GatewaySettings {
        market_data_type: MarketDataKind::Realtime,
        ..gateway_settings()
    };
    let broker = IbkrBroker::connect(&settings, sim.addr().port(), 12)
        .await
        .unwrap();
    let quotes = broker.quotes(&["BND".to_string()]).await.unwrap();
    assert_eq!((quotes["BND"].bid, quotes["BND"].ask), (79.98, 80.02));
}

#[tokio::test]
async fn unknown_and_stalled_symbols_are_errors_naming_them() {
    let mut s = scenario();
    s.faults.stall_symbols.push("BND".into());
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let broker = connect(&sim, 13).await.unwrap();
    let err = broker.quotes(&["NOPE".to_string()]).await.unwrap_err();
    assert_eq!(
        err,
        BrokerError::UnknownSymbol {
            symbol: "NOPE".into()
        }
    );
    let err = broker.quotes(&["BND".to_string()]).await.unwrap_err();
    assert!(
        matches!(&err, BrokerError::NoQuote { symbol, .. } if symbol == "BND"),
        "{err}"
    );
}

#[tokio::test]
async fn a_second_client_with_the_same_id_is_refused() {
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let _first = connect(&sim, 21).await.unwrap();
    let err = connect(&sim, 21)
        .await
        .err()
        .expect("duplicate client id must be refused");
    assert_eq!(err, BrokerError::ClientIdInUse { client_id: 21 });
    assert_eq!(sim.connections().len(), 1);
}

#[tokio::test]
async fn rebalance_converges_to_the_targets() {
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let broker = connect(&sim, 31).await.unwrap();
    let report = run(&broker, "run-1", &trading(), false).await.unwrap();
    let orders: Vec<_> = report
        .orders
        .iter()
        .map(|o| (o.symbol.as_str(), o.action, o.status.clone()))
        .collect();
    assert_eq!(
        orders,
        [
            ("XYZ", Action::Sell, OrderStatus::Filled),
            ("VTI", Action::Buy, OrderStatus::Filled),
            ("BND", Action::Buy, OrderStatus::Filled)
        ]
    );
    assert!(
        report
            .orders
            .iter()
            .all(|o| o.commission == 1.0 && o.avg_fill_price.is_some())
    );
    assert_eq!(sim.positions(ACCOUNT).get("XYZ"), None);
    let received = sim.orders();
    assert_eq!(received[1].order.order_ref, "rb:run-1:DU1234567:VTI");
    assert_eq!(received[1].order.order_type, "LMT");
    assert_eq!(received[0].order.order_type, "MKT");
    assert!(
        received[0].received_at <= received[1].received_at,
        "sells reach the gateway first"
    );
    assert_eq!(remaining_trades(&broker).await, 0);
}

#[tokio::test]
async fn partial_fills_add_up() {
    let mut s = scenario();
    s.fills.slices = 3;
    s.fills.latency_ms = 5;
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let broker = connect(&sim, 32).await.unwrap();
    let report = run(&broker, "run-1", &trading(), false).await.unwrap();
    assert!(
        report
            .orders
            .iter()
            .all(|o| o.status == OrderStatus::Filled && o.filled == o.quantity as f64),
        "{:?}",
        report.orders
    );
    assert!(
        report.orders.iter().all(|o| o.commission == 3.0),
        "three executions each"
    );
    assert_eq!(sim.executions().len(), 9);
    assert_eq!(remaining_trades(&broker).await, 0);
}

#[tokio::test]
async fn an_order_whose_acknowledgement_never_arrives_is_found_and_followed() {
    let mut s = scenario();
    s.fills.slices = 2;
    s.fills.latency_ms = 5;
    s.faults.silent_symbols = vec!["VTI".into()];
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let broker = connect(&sim, 33).await.unwrap();
    let trading = TradingSettings {
        order_ack_timeout: Duration::from_millis(200),
        ..trading()
    };
    let report = run(&broker, "run-silent", &trading, false).await.unwrap();
    assert_all_filled(&report);
    let vti = report.orders.iter().find(|o| o.symbol == "VTI").unwrap();
    let executed: Vec<_> = sim
        .executions()
        .into_iter()
        .filter(|e| e.order.order.symbol == "VTI")
        .collect();
    assert_eq!(vti.filled, executed.iter().map(|e| e.shares).sum::<f64>());
    assert_eq!(vti.filled, vti.quantity as f64);
    assert_eq!(vti.avg_fill_price, Some(executed[0].price));
    assert_eq!(
        vti.commission, 2.0,
        "both executions' commissions, from the executions"
    );
    assert_warned(&report, |w| w.contains("re-read"));
    let vti_orders = sim
        .orders()
        .iter()
        .filter(|o| o.order.symbol == "VTI")
        .count();
    assert_eq!(vti_orders, 1, "followed, never placed again");
    assert_eq!(remaining_trades(&broker).await, 0);
}

/// An SPY call (2 contracts of 100) and 40 SAP shares in euros beside the account's XYZ.
fn with_options_and_a_euro_stock(scenario: Scenario) -> Scenario {
    let call = InstrumentSeed {
        con_id: 9001,
        symbol: "XYZ".into(),
        sec_type: "OPT".into(),
        currency: "USD".into(),
        exchange: "SMART".into(),
        multiplier: 100.0,
        expiry: Some("20261218".into()),
        strike: Some(110.0),
        right: Some("C".into()),
        quantity: 2.0,
        price: 3.5,
        usd_rate: 1.0,
    };
    let sap = InstrumentSeed {
        con_id: 9002,
        symbol: "SAP".into(),
        sec_type: "STK".into(),
        currency: "EUR".into(),
        exchange: "IBIS".into(),
        multiplier: 1.0,
        expiry: None,
        strike: None,
        right: None,
        quantity: 40.0,
        price: 200.0,
        usd_rate: 1.1,
    };
    scenario
        .with_instrument(ACCOUNT, call)
        .with_instrument(ACCOUNT, sap)
}

#[tokio::test]
async fn only_us_dollar_stocks_are_traded_and_other_holdings_are_listed_never_sold() {
    let sim = GatewaySim::start(&with_options_and_a_euro_stock(scenario()), 0)
        .await
        .unwrap();
    let broker = connect(&sim, 41).await.unwrap();
    let state = broker.account_state(ACCOUNT).await.unwrap();
    let stocks: Vec<&str> = state.positions.iter().map(|p| p.symbol.as_str()).collect();
    assert_eq!(stocks, ["XYZ"], "the option on XYZ is not an XYZ position");
    let others: Vec<(i64, &str)> = state
        .held_not_traded
        .iter()
        .map(|h| (h.con_id, h.description.as_str()))
        .collect();
    assert_eq!(
        others,
        [
            (9001, "2 XYZ OPT 20261218 110 Call ×100 USD (conId 9001)"),
            (9002, "40 SAP STK EUR (conId 9002)")
        ]
    );
    let expected_nlv = 50_000.0 + 500.0 * 100.0 + 2.0 * 3.5 * 100.0 + 40.0 * 200.0 * 1.1;
    assert!(
        (state.net_liquidation - expected_nlv).abs() < 1e-6,
        "{}",
        state.net_liquidation
    );

    let report = run(&broker, "run-1", &trading(), false).await.unwrap();
    assert_all_filled(&report);
    let sold: Vec<(&str, u64)> = report
        .orders
        .iter()
        .filter(|o| o.action == Action::Sell)
        .map(|o| (o.symbol.as_str(), o.quantity))
        .collect();
    assert_eq!(sold, [("XYZ", 500)], "the stock only, never the call");
    assert!(
        report
            .plan
            .warnings
            .iter()
            .any(|w| w.starts_with("XYZ: conId 9001 is not the US-dollar stock")),
        "{:?}",
        report.plan.warnings
    );
    for order in sim.orders() {
        assert_eq!(
            order.order.named_con_id,
            Some(order.con_id),
            "{} was ordered by its contract id",
            order.order.symbol
        );
    }
    let after = broker.account_state(ACCOUNT).await.unwrap();
    assert_eq!(
        after.held_not_traded.len(),
        2,
        "the call and SAP are still held"
    );
    assert!(after.positions.iter().all(|p| p.symbol != "XYZ"));
}

#[tokio::test]
async fn a_connection_dropped_after_the_first_fill_fails_the_account_and_the_rerun_trades_the_rest()
{
    let mut s = scenario();
    s.faults.drop_after_fills = Some(1);
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let first = connect(&sim, 40).await.unwrap();
    let err = run(&first, "run-1", &trading(), false).await.unwrap_err();
    assert!(
        matches!(err, RebalanceError::Broker(BrokerError::Disconnected(_))),
        "{err}"
    );
    assert_eq!(
        sim.executions().len(),
        1,
        "the XYZ sale filled, then the line dropped"
    );
    assert!(sim.wait_for_connections(0, Duration::from_secs(2)).await);

    sim.set_drop_after_fills(None);
    let second = connect(&sim, 40).await.unwrap();
    let report = run(&second, "run-2", &trading(), false).await.unwrap();
    assert_all_filled(&report);
    let xyz: f64 = sim
        .orders()
        .iter()
        .filter(|o| o.order.symbol == "XYZ")
        .map(|o| o.filled)
        .sum();
    assert_eq!(xyz, 500.0, "XYZ sold once in all");
    assert!(report.orders.iter().all(|o| o.symbol != "XYZ"));
    assert_eq!(remaining_trades(&second).await, 0);
}

#[tokio::test]
async fn reply_latency_shows_in_the_time_a_snapshot_takes() {
    let mut s = scenario();
    s.latency.account = sim::gateway::LatencyRange {
        min_ms: 300,
        max_ms: 300,
    };
    s.latency.market_data = sim::gateway::LatencyRange {
        min_ms: 150,
        max_ms: 200,
    };
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let broker = connect(&sim, 38).await.unwrap();
    let started = std::time::Instant::now();
    broker.account_state(ACCOUNT).await.unwrap();
    let account = started.elapsed();
    assert!(account >= Duration::from_millis(300), "{account:?}");
    let started = std::time::Instant::now();
    broker.quotes(&["VTI".into(), "BND".into()]).await.unwrap();
    let quotes = started.elapsed();
    assert!(quotes >= Duration::from_millis(150), "{quotes:?}");
    assert!(
        quotes < Duration::from_millis(400),
        "two quotes are asked for at once, not one after the other: {quotes:?}"
    );
}

#[tokio::test]
async fn in_a_moving_market_every_order_is_accounted_for() {
    let mut s = scenario();
    s.walk = Some(sim::gateway::Walk {
        seed: 42,
        step_ms: 20,
        volatility_bps: 30.0,
        tick: 0.01,
    });
    s.fills.latency_ms = 50;
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let broker = connect(&sim, 39).await.unwrap();
    let trading = TradingSettings {
        buy_slippage_percent: 0.0,
        order_timeout: Duration::from_secs(2),
        ..trading()
    };
    let report = run(&broker, "run-walk", &trading, false).await.unwrap();
    assert!(
        sim.quote("VTI").unwrap().bid != 249.95 || sim.quote("BND").unwrap().bid != 79.98,
        "the market moved"
    );
    for order in &report.orders {
        let at_gateway: f64 = sim
            .orders()
            .iter()
            .filter(|o| o.order.order_ref == order.order_ref)
            .map(|o| o.filled)
            .sum();
        assert_eq!(order.filled, at_gateway, "{order:?}");
        assert!(
            order.is_filled()
                || order
                    .unfilled_reason
                    .as_deref()
                    .is_some_and(|r| r.starts_with("not filled within")),
            "filled, or cancelled at the timeout with the reason: {order:?}"
        );
    }
    assert!(
        sim.orders().iter().all(|o| !o.is_working()),
        "nothing is left working"
    );
}

/// Buys `quantity` VTI at a limit of 260 on `broker` and returns the first error the
/// gateway sends about it, or its status once it filled.
async fn buy_vti(broker: &IbkrBroker, quantity: u64) -> Result<OrderStatus, (i32, String)> {
    let request = trading_core::broker::OrderRequest {
        account: ACCOUNT.into(),
        symbol: "VTI".into(),
        action: Action::Buy,
        quantity,
        kind: trading_core::broker::OrderKind::Limit(260.0),
        tif: trading_core::config::TimeInForce::Day,
        order_ref: format!("manual:{ACCOUNT}:VTI"),
    };
    broker.place_order(&request).await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        match broker.next_event(deadline).await.unwrap() {
            Some(trading_core::broker::OrderEvent::Error { code, message, .. }) if code != 202 => {
                return Err((code, message));
            }
            Some(trading_core::broker::OrderEvent::Status { status, .. })
                if status == OrderStatus::Filled =>
            {
                return Ok(status);
            }
            Some(_) => {}
            None => panic!("no answer about the VTI buy"),
        }
    }
}

#[tokio::test]
async fn a_cash_account_buys_with_settled_cash_only_and_a_margin_account_up_to_its_buying_power() {
    // Cash: 50 000 settled. A buy of 300 VTI (78 000 at the limit) is refused.
    let mut s = scenario();
    s.accounts.get_mut(ACCOUNT).unwrap().kind = sim::gateway::AccountKind::Cash;
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let broker = connect(&sim, 35).await.unwrap();
    let (code, reason) = buy_vti(&broker, 300).await.unwrap_err();
    assert_eq!(code, 201);
    assert!(reason.contains("SETTLED CASH"), "{reason}");
    assert_eq!(buy_vti(&broker, 100).await, Ok(OrderStatus::Filled));

    // Margin: the same 300 shares fit its buying power.
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let broker = connect(&sim, 36).await.unwrap();
    assert_eq!(buy_vti(&broker, 300).await, Ok(OrderStatus::Filled));
    assert!(sim.cash(ACCOUNT).unwrap() < 0.0, "bought on margin");
}

#[tokio::test]
async fn a_cash_account_rebalance_spends_only_settled_cash_and_nothing_is_rejected() {
    let mut s = scenario();
    s.accounts.get_mut(ACCOUNT).unwrap().kind = sim::gateway::AccountKind::Cash;
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let broker = connect(&sim, 37).await.unwrap();
    let report = run(&broker, "run-cash", &trading(), false).await.unwrap();
    assert_all_filled(&report);
    assert_warned(&report, |w| w.contains("available for new orders"));
    let spent = spent_on_buys(&report);
    assert!(
        spent <= 50_000.0,
        "the XYZ proceeds are unsettled: buys spend at most the 50 000 settled ({spent:.2})"
    );
    let state = broker.account_state(ACCOUNT).await.unwrap();
    assert!(
        state.available_funds.unwrap() < state.cash,
        "the sale proceeds are still unsettled"
    );
}

#[tokio::test]
async fn an_earlier_runs_order_under_another_client_id_fails_the_account_and_stays() {
    let mut s = scenario();
    s.fills.market_open = false;
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let earlier = connect(&sim, 51).await.unwrap();
    let request = trading_core::broker::OrderRequest {
        account: ACCOUNT.into(),
        symbol: "VTI".into(),
        action: Action::Buy,
        quantity: 5,
        kind: trading_core::broker::OrderKind::Limit(250.0),
        tif: trading_core::config::TimeInForce::Day,
        order_ref: format!("rb:run-0:{ACCOUNT}:VTI"),
    };
    earlier.place_order(&request).await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let acknowledged = earlier.next_event(deadline).await.unwrap();
    assert!(acknowledged.is_some(), "the gateway acknowledged the order");
    let perm_id = sim.orders()[0].perm_id;
    let broker = connect(&sim, 52).await.unwrap();
    let err = run(&broker, "run-1", &trading(), false).await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(&format!("of client id 51 (permId {perm_id}")),
        "names the order, its client id and perm id: {text}"
    );
    let orders = sim.orders();
    assert_eq!(orders.len(), 1, "nothing placed");
    assert_eq!(
        orders[0].status, "Submitted",
        "and the earlier order left as it was"
    );
}

#[tokio::test]
async fn an_old_gateway_is_named_with_the_version_it_speaks_and_the_one_needed() {
    let mut s = scenario();
    s.faults.max_server_version = Some(178);
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let err = match connect(&sim, 61).await {
        Ok(_) => panic!("a v178 gateway cannot serve the protobuf client"),
        Err(err) => err,
    };
    assert!(
        matches!(
            err,
            BrokerError::GatewayTooOld {
                found: 178,
                needed: 213,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("upgrade IB Gateway"), "{err}");
}

#[tokio::test]
async fn a_rejected_order_is_reported_and_the_rest_continue() {
    let mut s = scenario();
    s.faults.reject_symbols.push("VTI".into());
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let broker = connect(&sim, 33).await.unwrap();
    let report = run(&broker, "run-1", &trading(), false).await.unwrap();
    let rejected: Vec<_> = report.rejected().map(|o| o.symbol.as_str()).collect();
    assert_eq!(rejected, ["VTI"]);
    assert!(
        report.orders[1]
            .unfilled_reason
            .as_deref()
            .unwrap_or("")
            .contains("TWS error 201"),
        "{:?}",
        report.orders[1]
    );
    assert_eq!(
        report.orders[2].status,
        OrderStatus::Filled,
        "BND is still bought"
    );
}

#[tokio::test]
async fn a_missing_quote_fails_before_any_order() {
    let mut s = scenario();
    s.quotes.remove("BND");
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let broker = connect(&sim, 34).await.unwrap();
    let err = run(&broker, "run-1", &trading(), false).await.unwrap_err();
    assert!(err.to_string().contains("`BND`"), "{err}");
    assert!(sim.orders().is_empty());
}

#[tokio::test]
async fn dry_run_places_nothing() {
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let broker = connect(&sim, 35).await.unwrap();
    let report = run(&broker, "run-1", &trading(), true).await.unwrap();
    assert_eq!(report.plan.trades.len(), 3);
    assert!(sim.orders().is_empty());
}

#[tokio::test]
async fn a_dropped_connection_stops_the_account() {
    let mut s = scenario();
    s.fills.market_open = false;
    s.faults.drop_after_orders = Some(1);
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let broker = connect(&sim, 36).await.unwrap();
    let err = run(&broker, "run-1", &trading(), false).await.unwrap_err();
    assert!(
        matches!(err, RebalanceError::Broker(BrokerError::Disconnected(_))),
        "{err}"
    );
    let placed = sim.orders().len();
    assert!(placed <= 1, "no order after the drop, got {placed}");
    assert!(sim.wait_for_connections(0, Duration::from_secs(2)).await);
}

#[tokio::test]
async fn crash_then_rerun_reaches_the_targets_without_buying_twice() {
    let mut s = scenario();
    s.fills.market_open = false;
    let sim = GatewaySim::start(&s, 0).await.unwrap();

    // Run 1 places its sell while the market is closed, then dies with the order working.
    let first = Arc::new(connect(&sim, 41).await.unwrap());
    let submitted = Arc::new(tokio::sync::Notify::new());
    let task = {
        let (broker, submitted) = (first.clone(), submitted.clone());
        tokio::spawn(async move {
            let targets = targets();
            let rules = AccountRules::default();
            let trading = trading();
            let job = RebalanceJob {
                run_id: "run-1",
                account_id: ACCOUNT,
                targets: &targets,
                rules: &rules,
                trading: &trading,
                dry_run: false,
                earlier: None,
            };
            let _ = rebalance(&*broker, &job, &CancellationToken::new(), &|p| {
                if matches!(p, Progress::OrderSubmitted(_)) {
                    submitted.notify_one();
                }
            })
            .await;
        })
    };
    submitted.notified().await;
    crash(task, first, &sim).await;
    assert_eq!(sim.orders().len(), 1);

    // The market opens; the rerun (same client id) cancels run 1's working sell, plans from
    // fresh positions and trades to the targets.
    sim.set_market_open(true);
    let second = connect(&sim, 41).await.unwrap();
    let report = run(&second, "run-2", &trading(), false).await.unwrap();
    assert_all_filled(&report);
    let orders = sim.orders();
    let xyz_filled: f64 = orders
        .iter()
        .filter(|o| o.order.symbol == "XYZ")
        .map(|o| o.filled)
        .sum();
    assert_eq!(xyz_filled, 500.0, "XYZ sold exactly once in total");
    for symbol in ["VTI", "BND"] {
        let buys = orders
            .iter()
            .filter(|o| o.order.symbol == symbol && o.filled > 0.0)
            .count();
        assert_eq!(buys, 1, "{symbol} bought once");
    }
    assert_eq!(remaining_trades(&second).await, 0);
}

#[tokio::test]
async fn buys_after_sells_are_planned_from_positions_plus_the_sells_while_positions_lag() {
    let mut s = scenario();
    s.faults.position_lag_ms = 600_000;
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let broker = connect(&sim, 34).await.unwrap();
    let report = run(&broker, "run-lag", &trading(), false).await.unwrap();
    assert_all_filled(&report);
    assert_warned(&report, |w| {
        w.starts_with("XYZ: the gateway reports 500 shares")
    });
    let reported = broker.account_state(ACCOUNT).await.unwrap();
    assert_eq!(
        reported.cash, 50_000.0,
        "the gateway still shows the cash before"
    );
    let spent = spent_on_buys(&report);
    assert!(
        spent <= 50_000.0,
        "buys spend no more than the lower of the cash read and the cash after the sells: {spent}"
    );
    assert_eq!(
        sim.orders()
            .iter()
            .filter(|o| o.order.symbol == "XYZ")
            .count(),
        1
    );
}

#[tokio::test]
async fn a_crash_after_one_of_three_buys_with_lagging_positions_reruns_only_the_other_two() {
    let mut s = scenario();
    s.quotes.insert(
        "VOO".into(),
        QuoteSeed {
            bid: 499.9,
            ask: 500.1,
            last: Some(500.0),
        },
    );
    s.faults.position_lag_ms = 600_000;
    s.accounts.insert(
        ACCOUNT.into(),
        AccountSeed {
            cash: 100_000.0,
            ..Default::default()
        },
    );
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let targets = vec![
        Allocation {
            symbol: "VTI".into(),
            weight: 0.5,
        },
        Allocation {
            symbol: "BND".into(),
            weight: 0.3,
        },
        Allocation {
            symbol: "VOO".into(),
            weight: 0.2,
        },
    ];
    sim.set_halted("BND", true);
    sim.set_halted("VOO", true);

    // Run 1 places its three buys and dies once the VTI buy has filled; BND and VOO are
    // halted, so their orders are still working.
    let first = Arc::new(connect(&sim, 42).await.unwrap());
    let vti_filled = Arc::new(tokio::sync::Notify::new());
    let before = Arc::new(Mutex::new(None));
    let task = {
        let (broker, vti_filled, before, targets) = (
            first.clone(),
            vti_filled.clone(),
            before.clone(),
            targets.clone(),
        );
        tokio::spawn(async move {
            let rules = AccountRules::default();
            let trading = trading();
            let job = RebalanceJob {
                run_id: "run-1",
                account_id: ACCOUNT,
                targets: &targets,
                rules: &rules,
                trading: &trading,
                dry_run: false,
                earlier: None,
            };
            let _ = rebalance(&*broker, &job, &CancellationToken::new(), &|p| match p {
                Progress::Snapshot(snapshot) => *before.lock().unwrap() = Some(snapshot),
                Progress::OrderUpdated(o)
                    if o.symbol == "VTI" && o.status == OrderStatus::Filled =>
                {
                    vti_filled.notify_one();
                }
                _ => {}
            })
            .await;
        })
    };
    vti_filled.notified().await;
    crash(task, first, &sim).await;
    let vti_bought = sim.positions(ACCOUNT)["VTI"];
    assert!(vti_bought > 0.0);

    // The gateway still reports the account as before run 1.
    let second = connect(&sim, 42).await.unwrap();
    let reported = second.account_state(ACCOUNT).await.unwrap();
    assert!(reported.positions.is_empty(), "positions lag run 1's fills");
    assert_eq!(reported.cash, 100_000.0, "and so does cash");

    let before = before.lock().unwrap().clone().expect("run 1's snapshot");
    let earlier = EarlierAttempts::before(&before, vec!["run-1".into()]);
    let rules = AccountRules::default();
    let trading = trading();
    let job = RebalanceJob {
        run_id: "run-2",
        account_id: ACCOUNT,
        targets: &targets,
        rules: &rules,
        trading: &trading,
        dry_run: false,
        earlier: Some(&earlier),
    };
    // Once run 2 has cancelled run 1's working orders and planned, the halt is lifted.
    let report = rebalance(&second, &job, &CancellationToken::new(), &|p| {
        if matches!(p, Progress::Planned(_)) {
            sim.set_halted("BND", false);
            sim.set_halted("VOO", false);
        }
    })
    .await
    .unwrap();
    assert_all_filled(&report);
    let mut traded: Vec<&str> = report.orders.iter().map(|o| o.symbol.as_str()).collect();
    traded.sort_unstable();
    assert_eq!(traded, ["BND", "VOO"], "{:?}", report.orders);
    assert_warned(&report, |w| {
        w.starts_with("VTI: the gateway reports 0 shares")
    });
    let filled = |symbol: &str| -> f64 {
        sim.orders()
            .iter()
            .filter(|o| o.order.symbol == symbol)
            .map(|o| o.filled)
            .sum()
    };
    assert_eq!(filled("VTI"), vti_bought, "VTI bought once, by run 1");
    let held = sim.positions(ACCOUNT);
    let nlv = sim.net_liquidation(ACCOUNT).unwrap();
    for target in &targets {
        let weight = held[&target.symbol] * s.quotes[&target.symbol].mid() / nlv;
        assert!(
            (weight - target.weight).abs() < 0.02,
            "{}: {weight:.3} against {}",
            target.symbol,
            target.weight
        );
    }
}

#[tokio::test]
async fn plan_from_the_gateway_snapshot_matches_the_calculator() {
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let broker = connect(&sim, 51).await.unwrap();
    let seen = Mutex::new(Vec::new());
    let targets = targets();
    let rules = AccountRules::default();
    let trading = trading();
    let job = RebalanceJob {
        run_id: "r",
        account_id: ACCOUNT,
        targets: &targets,
        rules: &rules,
        trading: &trading,
        dry_run: true,
        earlier: None,
    };
    let report = rebalance(&broker, &job, &CancellationToken::new(), &|p| {
        seen.lock().unwrap().push(p)
    })
    .await
    .unwrap();
    let state = broker.account_state(ACCOUNT).await.unwrap();
    let quotes = broker
        .quotes(&["BND".into(), "VTI".into(), "XYZ".into()])
        .await
        .unwrap();
    let snapshot = trading_core::snapshot::AccountSnapshot {
        account_id: ACCOUNT.into(),
        net_liquidation: state.net_liquidation,
        cash: state.cash,
        positions: state.positions,
        quotes,
        held_not_traded: Vec::new(),
    };
    assert_eq!(
        report.plan,
        plan(&snapshot, &targets, &rules, &trading).unwrap()
    );
    let seen = seen.lock().unwrap();
    assert!(matches!(seen[0], Progress::Snapshot(_)), "{:?}", seen[0]);
    assert!(matches!(seen[1], Progress::Planned(_)), "{:?}", seen[1]);
}

/// A classic-encoding client (`ib_async`) and our protobuf adapter on one account at once:
/// each sees the other's trades in the same positions and cash.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ib_async_and_the_rebalancer_share_one_account() {
    let dir = tempfile::tempdir().unwrap();
    let Some(python) = sim::python::IbAsync::install_or_skip(
        dir.path(),
        "ib_async_and_the_rebalancer_share_one_account",
    )
    .await
    else {
        return;
    };
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let mut classic = python.connect(sim.addr().port(), 7, ACCOUNT).await.unwrap();
    let broker = connect(&sim, 11).await.unwrap();
    assert_eq!(sim.connections().len(), 2, "both clients connected at once");

    let bought = classic.command("buy BND 100").await.unwrap();
    assert_eq!(bought["status"], "Filled", "{bought}");
    let seen = broker.account_state(ACCOUNT).await.unwrap();
    let held = |state: &trading_core::broker::AccountState| -> Vec<(String, f64)> {
        state
            .positions
            .iter()
            .map(|p| (p.symbol.clone(), p.quantity))
            .collect()
    };
    assert_eq!(held(&seen), [("BND".into(), 100.0), ("XYZ".into(), 500.0)]);
    assert_eq!(Some(seen.cash), sim.cash(ACCOUNT));

    let report = run(&broker, "mixed", &trading(), false).await.unwrap();
    assert_all_filled(&report);
    assert_eq!(remaining_trades(&broker).await, 0);

    let after = broker.account_state(ACCOUNT).await.unwrap();
    let vti = after
        .positions
        .iter()
        .find(|p| p.symbol == "VTI")
        .map(|p| p.quantity)
        .unwrap();
    let state = classic.command(&format!("expect VTI {vti}")).await.unwrap();
    let classic_held: Vec<(String, f64)> = serde_json::from_value::<
        std::collections::BTreeMap<String, f64>,
    >(state["positions"].clone())
    .unwrap()
    .into_iter()
    .collect();
    assert_eq!(
        classic_held,
        held(&after),
        "ib_async sees the rebalancer's fills"
    );
    assert_eq!(
        state["values"]["TotalCashValue"],
        format!("{:.2}", after.cash),
        "and the same cash"
    );
    let stderr = classic.quit().await.unwrap();
    assert!(!stderr.contains("Error handling fields"), "{stderr}");
    broker.disconnect().await;
}

/// 60 sells then 60 buys, each filled in two slices the moment it arrives: about a
/// thousand order updates in bursts on one connection, and none may be lost (a lost update
/// fails the account).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_and_twenty_orders_lose_no_update() {
    let held: Vec<String> = (0..60).map(|i| format!("S{i:02}")).collect();
    let wanted: Vec<String> = (0..60).map(|i| format!("T{i:02}")).collect();
    let positions: Vec<(&str, f64)> = held.iter().map(|s| (s.as_str(), 100.0)).collect();
    let quotes: Vec<(&str, f64, f64)> = held
        .iter()
        .chain(&wanted)
        .map(|s| (s.as_str(), 49.99, 50.01))
        .collect();
    let mut s = Scenario::default()
        .with_quotes(&quotes)
        .with_account(ACCOUNT, 1_000.0, &positions);
    s.fills.slices = 2;
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let broker = connect(&sim, 51).await.unwrap();
    let targets: Vec<Allocation> = wanted
        .iter()
        .map(|symbol| Allocation {
            symbol: symbol.clone(),
            weight: 1.0 / 60.0,
        })
        .collect();
    let report = run_to(&broker, "burst", &targets, &trading(), false)
        .await
        .unwrap();
    assert_eq!(report.orders.len(), 120);
    assert_all_filled(&report);
    assert!(
        report.orders.iter().all(|o| o.commission == 2.0),
        "both slices' reports"
    );
    assert_eq!(sim.positions(ACCOUNT).len(), 60);
    assert!(sim.positions(ACCOUNT).keys().all(|s| s.starts_with('T')));
}

/// The connection paces itself as a sliding window: the requests that start a task go out
/// together, and what is over the budget waits out the second instead of being dropped by
/// the gateway (error 100).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_orders_go_out_in_one_burst_then_wait_out_the_pacing_second() {
    let mut s = Scenario::default()
        .with_quotes(&[("VTI", 249.9, 250.1)])
        .with_account(ACCOUNT, 1_000_000.0, &[]);
    s.fills.market_open = false;
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let broker = connect(&sim, 52).await.unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for i in 0..60 {
        let request = trading_core::broker::OrderRequest {
            account: ACCOUNT.into(),
            symbol: "VTI".into(),
            action: Action::Buy,
            quantity: 1,
            kind: trading_core::broker::OrderKind::Limit(240.0),
            tif: trading_core::config::TimeInForce::Day,
            order_ref: format!("manual:{ACCOUNT}:VTI:{i}"),
        };
        ids.insert(broker.place_order(&request).await.unwrap());
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut working = std::collections::BTreeSet::new();
    while working.len() < ids.len() {
        match broker.next_event(deadline).await.unwrap() {
            Some(trading_core::broker::OrderEvent::Status {
                order_id,
                status: OrderStatus::Submitted,
                ..
            }) => {
                working.insert(order_id);
            }
            Some(trading_core::broker::OrderEvent::Error { code, message, .. }) => {
                panic!("the gateway refused an order: {code} {message}")
            }
            Some(_) => {}
            None => panic!("only {} of 60 orders acknowledged", working.len()),
        }
    }
    let mut received: Vec<std::time::SystemTime> =
        sim.orders().iter().map(|o| o.received_at).collect();
    received.sort();
    assert_eq!(received.len(), 60);
    let after_first = |n: usize| received[n].duration_since(received[0]).unwrap();
    // The connection's own few requests and about forty orders share the first second.
    let burst = (0..60)
        .filter(|n| after_first(*n) < Duration::from_millis(500))
        .count();
    assert!(burst >= 38, "only {burst} orders in the first 500 ms");
    assert!(
        after_first(45) >= Duration::from_millis(800),
        "the 46th order came {:?} after the first: over 45 in a second",
        after_first(45)
    );
    broker.disconnect().await;
}
