//! `ib_async`, a client that speaks only the classic (pre-protobuf) encoding, against the
//! gateway simulator: start-up synchronisation, account data and summary, contract details,
//! delayed quotes, the current time, orders, fills, cancels, and what a reconnect reads.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::collections::BTreeMap;

use serde_json::{Value, json};
use sim::gateway::{ETF_QUOTES, GatewaySim, InstrumentSeed, Scenario};
use sim::python::IbAsync;

const ACCOUNT: &str = "DU1234567";

/// A VTI put beside the VTI shares: a client keying positions by symbol alone mixes them.
fn vti_put() -> InstrumentSeed {
    InstrumentSeed {
        con_id: 9101,
        symbol: "VTI".into(),
        sec_type: "OPT".into(),
        currency: "USD".into(),
        exchange: "SMART".into(),
        multiplier: 100.0,
        expiry: Some("20261218".into()),
        strike: Some(240.0),
        right: Some("P".into()),
        quantity: 3.0,
        price: 4.25,
        usd_rate: 1.0,
    }
}

fn scenario() -> Scenario {
    let mut s = Scenario::default()
        .with_quotes(&ETF_QUOTES)
        .with_account(ACCOUNT, 20_000.0, &[("VTI", 200.0), ("BND", 400.0)])
        .with_instrument(ACCOUNT, vti_put());
    s.fills.latency_ms = 5;
    s.fills.slices = 2;
    s
}

/// The positions the client reports, as the simulator's map.
fn positions(state: &Value) -> BTreeMap<String, f64> {
    serde_json::from_value(state["positions"].clone()).unwrap()
}

/// Panics when `ib_async` could not read a message (its decoder logs and drops those).
fn assert_all_read(stderr: &str) {
    for sign in ["Error handling fields", "Error for ", "Traceback"] {
        assert!(
            !stderr.contains(sign),
            "ib_async failed to read a message:\n{stderr}"
        );
    }
}

fn money(value: Option<f64>) -> Value {
    json!(format!("{:.2}", value.unwrap()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ib_async_syncs_reads_trades_and_cancels() {
    let dir = tempfile::tempdir().unwrap();
    let Some(python) =
        IbAsync::install_or_skip(dir.path(), "ib_async_syncs_reads_trades_and_cancels").await
    else {
        return;
    };
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let mut client = python.connect(sim.addr().port(), 7, ACCOUNT).await.unwrap();

    let state = client.command("state").await.unwrap();
    assert_eq!(
        state["server_version"], 178,
        "the highest version both offer"
    );
    assert_eq!(positions(&state), sim.positions(ACCOUNT));
    assert_eq!(
        state["others"],
        json!([{
            "con_id": 9101, "symbol": "VTI", "sec_type": "OPT", "currency": "USD",
            "expiry": "20261218", "strike": 240.0, "right": "P", "multiplier": "100",
            "position": 3.0
        }]),
        "ib_async reads the put's own contract beside the VTI shares"
    );
    assert_eq!(state["values"]["TotalCashValue"], money(sim.cash(ACCOUNT)));
    assert_eq!(
        state["values"]["NetLiquidation"],
        money(sim.net_liquidation(ACCOUNT)),
        "net liquidation counts the put (3 × 4.25 × 100)"
    );
    for (ledger, values) in [("USD", &state["values"]), ("BASE", &state["base"])] {
        assert_eq!(
            values["CashBalance"],
            money(sim.cash(ACCOUNT)),
            "a client reading the {ledger} ledger's CashBalance sees the cash"
        );
        assert_eq!(
            values["NetLiquidationByCurrency"],
            money(sim.net_liquidation(ACCOUNT))
        );
        assert_eq!(values["ExchangeRate"], "1.00");
    }
    assert_eq!(state["values"]["AccountCode"], ACCOUNT);
    assert_eq!(state["values"]["AccountType"], "INDIVIDUAL");

    let looked = client.command("lookup VTI 3").await.unwrap();
    assert_eq!(looked["long_name"], "VTI (simulated)", "contract details");
    assert!(looked["con_id"].as_i64().unwrap() > 0);
    assert_eq!(
        (&looked["bid"], &looked["ask"], &looked["market_data_type"]),
        (&json!(249.95), &json!(250.05), &json!(3)),
        "a delayed snapshot"
    );
    assert_eq!(
        looked["summary"]["NetLiquidation"],
        state["values"]["NetLiquidation"]
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(
        (looked["time"].as_f64().unwrap() - now).abs() < 60.0,
        "current time"
    );

    let bought = client.command("buy VTI 10").await.unwrap();
    assert_eq!(bought["status"], "Filled", "{bought}");
    assert_eq!(bought["filled"], 10.0);
    assert_eq!(bought["commission"], 2.0, "two slices at 1 USD each");
    assert_eq!(bought["errors"], json!([]));
    let order = sim.orders().into_iter().next().unwrap();
    assert_eq!(
        (order.client_id, order.order.order_ref.as_str()),
        (7, "ib_async")
    );
    assert_eq!(order.filled, 10.0);

    let state = client.command("expect VTI 210").await.unwrap();
    assert_eq!(positions(&state), sim.positions(ACCOUNT));
    assert_eq!(
        positions(&state)["VTI"],
        210.0,
        "the gateway pushed the change"
    );
    assert_eq!(state["values"]["TotalCashValue"], money(sim.cash(ACCOUNT)));

    let sold = client.command("sell BND 400").await.unwrap();
    assert_eq!(sold["status"], "Filled", "{sold}");
    let state = client.command("expect BND 0").await.unwrap();
    assert!(!positions(&state).contains_key("BND"), "{state}");

    // A marketable limit (above the 500.10 ask) rests because VOO is halted.
    sim.set_halted("VOO", true);
    let cancelled = client.command("rest VOO 5 600.00").await.unwrap();
    sim.set_halted("VOO", false);
    assert_eq!(cancelled["status"], "Cancelled", "{cancelled}");
    assert_eq!(cancelled["filled"], 0.0);
    assert_eq!(
        cancelled["errors"],
        json!([format!(
            "Error 202, reqId {}: Order Canceled - reason:",
            cancelled["order_id"]
        )]),
        "error 202 confirms the cancel"
    );
    assert_all_read(&client.quit().await.unwrap());

    let mut again = python.connect(sim.addr().port(), 8, ACCOUNT).await.unwrap();
    let state = again.command("state").await.unwrap();
    assert_eq!(
        state["fills"], 4,
        "executions of earlier sessions, read at start-up"
    );
    assert_eq!(
        state["trades"],
        json!({"Filled": 2, "Cancelled": 1}),
        "completed orders, read at start-up"
    );
    assert_all_read(&again.quit().await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ib_async_reads_the_ledger_by_currency_through_the_account_summary_tags() {
    let dir = tempfile::tempdir().unwrap();
    let test = "ib_async_reads_the_ledger_by_currency_through_the_account_summary_tags";
    let Some(python) = IbAsync::install_or_skip(dir.path(), test).await else {
        return;
    };
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let mut client = python.connect(sim.addr().port(), 8, ACCOUNT).await.unwrap();
    let cash = money(sim.cash(ACCOUNT));
    let rows = |answer: &Value| -> Vec<(String, String, Value)> {
        answer["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r[0].as_str().unwrap().into(),
                    r[1].as_str().unwrap().into(),
                    r[2].clone(),
                )
            })
            .collect()
    };
    let currencies = |rows: &[(String, String, Value)]| -> std::collections::BTreeSet<String> {
        rows.iter().map(|r| r.1.clone()).collect()
    };

    // `$LEDGER`: the cash balance entries in the base currency only.
    let base = rows(&client.command("summary $LEDGER").await.unwrap());
    assert_eq!(currencies(&base), ["BASE".to_string()].into());
    assert!(
        base.contains(&("CashBalance".into(), "BASE".into(), cash.clone())),
        "{base:?}"
    );
    assert!(base.iter().any(|r| r.0 == "ExchangeRate"));
    assert!(
        !base.iter().any(|r| r.0 == "NetLiquidation"),
        "only ledger entries"
    );

    // `$LEDGER:USD`: that currency; `$LEDGER:ALL`: every currency, BASE included.
    let usd = rows(&client.command("summary $LEDGER:USD").await.unwrap());
    assert_eq!(currencies(&usd), ["USD".to_string()].into());
    assert!(usd.contains(&("CashBalance".into(), "USD".into(), cash.clone())));
    let all = rows(&client.command("summary $LEDGER:ALL").await.unwrap());
    assert_eq!(all.len(), base.len() + usd.len());

    // A plain tag beside a ledger flag: both, and nothing else.
    let mixed = rows(
        &client
            .command("summary NetLiquidation,$LEDGER")
            .await
            .unwrap(),
    );
    assert_eq!(mixed.len(), base.len() + 1);
    assert!(mixed.contains(&(
        "NetLiquidation".into(),
        "USD".into(),
        money(sim.net_liquidation(ACCOUNT))
    )));
    assert_all_read(&client.quit().await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ib_async_sees_a_cash_account_settle_and_is_refused_beyond_its_settled_cash() {
    let dir = tempfile::tempdir().unwrap();
    let test = "ib_async_sees_a_cash_account_settle_and_is_refused_beyond_its_settled_cash";
    let Some(python) = IbAsync::install_or_skip(dir.path(), test).await else {
        return;
    };
    let mut s = Scenario::default().with_quotes(&ETF_QUOTES).with_account(
        ACCOUNT,
        20_000.0,
        &[("BND", 400.0)],
    );
    let seed = s.accounts.get_mut(ACCOUNT).unwrap();
    seed.kind = sim::gateway::AccountKind::Cash;
    seed.ira = true;
    let sim = GatewaySim::start(&s, 0).await.unwrap();
    let mut client = python.connect(sim.addr().port(), 9, ACCOUNT).await.unwrap();

    let state = client.command("state").await.unwrap();
    assert_eq!(state["values"]["AccountType"], "IRA");
    assert_eq!(state["values"]["SettledCash"], money(Some(20_000.0)));
    assert_eq!(state["values"]["AvailableFunds"], money(Some(20_000.0)));

    let sold = client.command("sell BND 400").await.unwrap();
    assert_eq!(sold["status"], "Filled", "{sold}");
    let state = client.command("expect BND 0").await.unwrap();
    assert_eq!(state["values"]["TotalCashValue"], money(sim.cash(ACCOUNT)));
    assert_eq!(
        state["values"]["SettledCash"],
        money(Some(20_000.0)),
        "the sale's proceeds settle T+1"
    );
    assert_eq!(state["values"]["AvailableFunds"], money(Some(20_000.0)));

    // 100 VTI cost about 25 000: more than the settled cash.
    let refused = client.command("buy VTI 100").await.unwrap();
    assert_eq!(refused["filled"], 0.0, "{refused}");
    let errors = refused["errors"].to_string();
    assert!(
        errors.contains("Error 201") && errors.contains("SETTLED CASH"),
        "{refused}"
    );
    let bought = client.command("buy VTI 50").await.unwrap();
    assert_eq!(bought["status"], "Filled", "{bought}");
    assert_all_read(&client.quit().await.unwrap());
}
