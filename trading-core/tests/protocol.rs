//! Wire conformance of the gateway simulator: its message ids equal the published TWS API
//! values (as the `ibapi` crate numbers them), and every frame it sends in a full session
//! with a real client decodes with the protocol definitions and carries the fields clients
//! require.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::collections::BTreeSet;
use std::time::Duration;

use futures_util::StreamExt;
use ibapi::accounts::types::AccountId;
use ibapi::contracts::Contract;
use ibapi::orders::ExecutionFilter;
use ibapi::{Client, IncomingMessages, OutgoingMessages};
use prost::Message;
use sim::gateway::wire::frame::PROTOBUF_OFFSET;
use sim::gateway::wire::ids::{request, response};
use sim::gateway::wire::proto;
use sim::gateway::{AccountSeed, GatewaySim, QuoteSeed, Scenario};
use tokio_util::sync::CancellationToken;
use trading_core::allocations::Allocation;
use trading_core::broker::IbkrBroker;
use trading_core::calculator::AccountRules;
use trading_core::config::{GatewaySettings, TradingSettings};
use trading_core::executor::{RebalanceJob, rebalance};

#[test]
fn message_ids_are_the_published_ones() {
    let incoming = [
        (response::TICK_PRICE, IncomingMessages::TickPrice),
        (response::TICK_SIZE, IncomingMessages::TickSize),
        (response::ORDER_STATUS, IncomingMessages::OrderStatus),
        (response::ERROR, IncomingMessages::Error),
        (response::OPEN_ORDER, IncomingMessages::OpenOrder),
        (response::ACCOUNT_VALUE, IncomingMessages::AccountValue),
        (response::PORTFOLIO_VALUE, IncomingMessages::PortfolioValue),
        (
            response::ACCOUNT_UPDATE_TIME,
            IncomingMessages::AccountUpdateTime,
        ),
        (response::NEXT_VALID_ID, IncomingMessages::NextValidId),
        (response::CONTRACT_DATA, IncomingMessages::ContractData),
        (response::EXECUTION_DATA, IncomingMessages::ExecutionData),
        (
            response::MANAGED_ACCOUNTS,
            IncomingMessages::ManagedAccounts,
        ),
        (response::CURRENT_TIME, IncomingMessages::CurrentTime),
        (
            response::CONTRACT_DATA_END,
            IncomingMessages::ContractDataEnd,
        ),
        (response::OPEN_ORDER_END, IncomingMessages::OpenOrderEnd),
        (
            response::ACCOUNT_DOWNLOAD_END,
            IncomingMessages::AccountDownloadEnd,
        ),
        (
            response::EXECUTION_DATA_END,
            IncomingMessages::ExecutionDataEnd,
        ),
        (
            response::TICK_SNAPSHOT_END,
            IncomingMessages::TickSnapshotEnd,
        ),
        (response::MARKET_DATA_TYPE, IncomingMessages::MarketDataType),
        (
            response::COMMISSION_REPORT,
            IncomingMessages::CommissionsReport,
        ),
        (response::POSITION, IncomingMessages::Position),
        (response::POSITION_END, IncomingMessages::PositionEnd),
        (response::ACCOUNT_SUMMARY, IncomingMessages::AccountSummary),
        (
            response::ACCOUNT_SUMMARY_END,
            IncomingMessages::AccountSummaryEnd,
        ),
        (response::POSITION_MULTI, IncomingMessages::PositionMulti),
        (
            response::POSITION_MULTI_END,
            IncomingMessages::PositionMultiEnd,
        ),
        (
            response::ACCOUNT_UPDATE_MULTI,
            IncomingMessages::AccountUpdateMulti,
        ),
        (
            response::ACCOUNT_UPDATE_MULTI_END,
            IncomingMessages::AccountUpdateMultiEnd,
        ),
        (response::TICK_REQ_PARAMS, IncomingMessages::TickReqParams),
        (response::COMPLETED_ORDER, IncomingMessages::CompletedOrder),
        (
            response::COMPLETED_ORDERS_END,
            IncomingMessages::CompletedOrdersEnd,
        ),
        (
            response::CURRENT_TIME_IN_MILLIS,
            IncomingMessages::CurrentTimeInMillis,
        ),
    ];
    for (ours, published) in incoming {
        assert_eq!(ours, published as i32, "{published:?}");
    }
    let outgoing = [
        (request::MARKET_DATA, OutgoingMessages::RequestMarketData),
        (
            request::CANCEL_MARKET_DATA,
            OutgoingMessages::CancelMarketData,
        ),
        (request::PLACE_ORDER, OutgoingMessages::PlaceOrder),
        (request::CANCEL_ORDER, OutgoingMessages::CancelOrder),
        (request::OPEN_ORDERS, OutgoingMessages::RequestOpenOrders),
        (request::ACCOUNT_DATA, OutgoingMessages::RequestAccountData),
        (request::EXECUTIONS, OutgoingMessages::RequestExecutions),
        (request::IDS, OutgoingMessages::RequestIds),
        (
            request::CONTRACT_DATA,
            OutgoingMessages::RequestContractData,
        ),
        (
            request::AUTO_OPEN_ORDERS,
            OutgoingMessages::RequestAutoOpenOrders,
        ),
        (
            request::ALL_OPEN_ORDERS,
            OutgoingMessages::RequestAllOpenOrders,
        ),
        (
            request::MANAGED_ACCOUNTS,
            OutgoingMessages::RequestManagedAccounts,
        ),
        (request::CURRENT_TIME, OutgoingMessages::RequestCurrentTime),
        (
            request::GLOBAL_CANCEL,
            OutgoingMessages::RequestGlobalCancel,
        ),
        (
            request::MARKET_DATA_TYPE,
            OutgoingMessages::RequestMarketDataType,
        ),
        (request::POSITIONS, OutgoingMessages::RequestPositions),
        (
            request::ACCOUNT_SUMMARY,
            OutgoingMessages::RequestAccountSummary,
        ),
        (
            request::CANCEL_ACCOUNT_SUMMARY,
            OutgoingMessages::CancelAccountSummary,
        ),
        (request::CANCEL_POSITIONS, OutgoingMessages::CancelPositions),
        (request::START_API, OutgoingMessages::StartApi),
        (
            request::POSITIONS_MULTI,
            OutgoingMessages::RequestPositionsMulti,
        ),
        (
            request::CANCEL_POSITIONS_MULTI,
            OutgoingMessages::CancelPositionsMulti,
        ),
        (
            request::ACCOUNT_UPDATES_MULTI,
            OutgoingMessages::RequestAccountUpdatesMulti,
        ),
        (
            request::CANCEL_ACCOUNT_UPDATES_MULTI,
            OutgoingMessages::CancelAccountUpdatesMulti,
        ),
        (
            request::COMPLETED_ORDERS,
            OutgoingMessages::RequestCompletedOrders,
        ),
        (
            request::CURRENT_TIME_IN_MILLIS,
            OutgoingMessages::RequestCurrentTimeInMillis,
        ),
        (
            request::CANCEL_CONTRACT_DATA,
            OutgoingMessages::CancelContractData,
        ),
    ];
    for (ours, published) in outgoing {
        assert_eq!(ours, published as i32, "{published:?}");
    }
}

fn scenario() -> Scenario {
    let mut s = Scenario::default();
    s.accounts.insert(
        "DU1234567".into(),
        AccountSeed {
            cash: 50_000.0,
            positions: [("XYZ".to_string(), 500.0)].into_iter().collect(),
            ..Default::default()
        },
    );
    for (symbol, bid, ask) in [("XYZ", 99.95, 100.05), ("VTI", 249.95, 250.05)] {
        s.quotes.insert(
            symbol.into(),
            QuoteSeed {
                bid,
                ask,
                last: None,
            },
        );
    }
    s.fills.slices = 2;
    s
}

/// Drives every request the simulator serves through real clients.
async fn full_session(sim: &GatewaySim) {
    let settings = GatewaySettings {
        request_timeout: Duration::from_secs(5),
        ..GatewaySettings::default()
    };
    let broker = IbkrBroker::connect(&settings, sim.addr().port(), 1)
        .await
        .unwrap();
    let targets = [Allocation {
        symbol: "VTI".into(),
        weight: 0.9,
    }];
    let rules = AccountRules::default();
    let trading = TradingSettings {
        order_timeout: Duration::from_secs(5),
        ..TradingSettings::default()
    };
    let job = RebalanceJob {
        run_id: "p",
        account_id: "DU1234567",
        targets: &targets,
        rules: &rules,
        trading: &trading,
        dry_run: false,
        earlier: None,
    };
    rebalance(&broker, &job, &CancellationToken::new(), &|_| {})
        .await
        .unwrap();

    let client = Client::builder()
        .address(sim.addr().to_string())
        .client_id(2)
        .connect()
        .await
        .unwrap();
    client.server_time().await.unwrap();
    client.server_time_millis().await.unwrap();
    assert_eq!(client.managed_accounts().await.unwrap(), ["DU1234567"]);
    assert!(client.next_valid_order_id().await.unwrap() >= 1);
    let details = client
        .contract_details(&Contract::stock("VTI").build())
        .await
        .unwrap();
    assert_eq!(details[0].contract.symbol.to_string(), "VTI");
    assert!(
        client
            .contract_details(&Contract::stock("NOPE").build())
            .await
            .is_err()
    );
    let mut updates = client
        .account_updates(&AccountId("DU1234567".into()))
        .await
        .unwrap();
    while let Some(item) = updates.next().await {
        if let Ok(ibapi::subscriptions::SubscriptionItem::Data(
            ibapi::accounts::AccountUpdate::End,
        )) = item
        {
            break;
        }
    }
    drop(updates);
    let mut summary = client
        .account_summary(
            &ibapi::accounts::types::AccountGroup("All".into()),
            &["NetLiquidation"],
        )
        .await
        .unwrap();
    while let Some(item) = summary.next().await {
        if let Ok(ibapi::subscriptions::SubscriptionItem::Data(
            ibapi::accounts::AccountSummaryResult::End,
        )) = item
        {
            break;
        }
    }
    drop(summary);
    let mut positions = client.positions().await.unwrap();
    while let Some(item) = positions.next().await {
        if let Ok(ibapi::subscriptions::SubscriptionItem::Data(
            ibapi::accounts::PositionUpdate::PositionEnd,
        )) = item
        {
            break;
        }
    }
    drop(positions);
    let mut multi = client
        .positions_multi(Some(&AccountId("DU1234567".into())), None)
        .await
        .unwrap();
    while let Some(item) = multi.next().await {
        if let Ok(ibapi::subscriptions::SubscriptionItem::Data(
            ibapi::accounts::PositionUpdateMulti::PositionEnd,
        )) = item
        {
            break;
        }
    }
    drop(multi);
    let executions: Vec<_> = client
        .executions(ExecutionFilter::default())
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(
        executions.len(),
        8,
        "four executions, each with its commission report"
    );
    let completed: Vec<_> = client
        .completed_orders(false)
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(completed.len(), 2);
    let mut ticks = client
        .market_data(&Contract::stock("VTI").build())
        .subscribe()
        .await
        .unwrap();
    assert!(ticks.next().await.is_some(), "streaming ticks arrive");
    drop(ticks);
    client.disconnect().await;
    broker_disconnect(broker).await;
}

async fn broker_disconnect(broker: IbkrBroker) {
    use trading_core::broker::Broker;
    broker.disconnect().await;
}

/// Decodes one frame's payload with the simulator's definitions and checks what clients
/// require of it; returns the logical message id.
fn check(bytes: &[u8]) -> i32 {
    let length = u32::from_be_bytes(bytes[..4].try_into().unwrap()) as usize;
    assert_eq!(length, bytes.len() - 4, "length prefix");
    let wire_id = i32::from_be_bytes(bytes[4..8].try_into().unwrap());
    assert!(
        wire_id > PROTOBUF_OFFSET,
        "every frame is protobuf, got id {wire_id}"
    );
    let id = wire_id - PROTOBUF_OFFSET;
    let payload = &bytes[8..];
    let request_id = |req_id: Option<i32>| {
        assert!(
            req_id.is_some_and(|r| r >= 1_500_000_000 || r == -1),
            "id {id}: request id {req_id:?}"
        )
    };
    match id {
        response::ERROR => {
            let m = proto::ErrorMessage::decode(payload).unwrap();
            assert!(m.error_code.is_some() && m.error_msg.is_some() && m.id != Some(0));
        }
        response::NEXT_VALID_ID => assert!(
            proto::NextValidId::decode(payload)
                .unwrap()
                .order_id
                .is_some_and(|o| o < 1_500_000_000)
        ),
        response::MANAGED_ACCOUNTS => assert!(
            proto::ManagedAccounts::decode(payload)
                .unwrap()
                .accounts_list
                .is_some()
        ),
        response::ACCOUNT_SUMMARY => {
            request_id(proto::AccountSummary::decode(payload).unwrap().req_id)
        }
        response::ACCOUNT_UPDATE_MULTI => {
            let m = proto::AccountUpdateMulti::decode(payload).unwrap();
            request_id(m.req_id);
            assert!(m.key.is_some() && m.value.is_some());
        }
        response::ACCOUNT_SUMMARY_END
        | response::ACCOUNT_UPDATE_MULTI_END
        | response::POSITION_MULTI_END
        | response::CONTRACT_DATA_END
        | response::TICK_SNAPSHOT_END
        | response::EXECUTION_DATA_END => {
            request_id(proto::RequestId::decode(payload).unwrap().req_id)
        }
        response::POSITION => {
            let m = proto::Position::decode(payload).unwrap();
            assert!(
                m.contract.is_some()
                    && m.position
                        .as_deref()
                        .is_some_and(|p| p.parse::<f64>().is_ok())
            );
        }
        response::POSITION_MULTI => {
            let m = proto::PositionMulti::decode(payload).unwrap();
            request_id(m.req_id);
            assert!(m.contract.is_some() && m.position.is_some());
        }
        response::POSITION_END | response::OPEN_ORDER_END | response::COMPLETED_ORDERS_END => {
            assert!(payload.is_empty() && proto::Empty::decode(payload).is_ok())
        }
        response::ACCOUNT_VALUE => {
            assert!(proto::AccountValue::decode(payload).unwrap().key.is_some())
        }
        response::PORTFOLIO_VALUE => {
            let m = proto::PortfolioValue::decode(payload).unwrap();
            assert!(m.contract.is_some() && m.position.is_some());
        }
        response::ACCOUNT_UPDATE_TIME => assert!(
            proto::AccountUpdateTime::decode(payload)
                .unwrap()
                .time_stamp
                .is_some()
        ),
        response::ACCOUNT_DOWNLOAD_END => assert!(
            proto::AccountDataEnd::decode(payload)
                .unwrap()
                .account_name
                .is_some()
        ),
        response::CONTRACT_DATA => {
            let m = proto::ContractData::decode(payload).unwrap();
            request_id(m.req_id);
            assert!(m.contract.is_some() && m.contract_details.is_some());
        }
        response::MARKET_DATA_TYPE => {
            request_id(proto::MarketDataType::decode(payload).unwrap().req_id)
        }
        response::TICK_REQ_PARAMS => {
            request_id(proto::TickReqParams::decode(payload).unwrap().req_id)
        }
        response::TICK_PRICE => {
            let m = proto::TickPrice::decode(payload).unwrap();
            request_id(m.req_id);
            assert!(m.tick_type.is_some() && m.price.is_some_and(f64::is_finite));
        }
        response::OPEN_ORDER => {
            let m = proto::OpenOrder::decode(payload).unwrap();
            assert!(m.contract.is_some());
            let order = m.order.unwrap();
            assert!(matches!(order.action.as_deref(), Some("BUY" | "SELL")));
            assert!(
                m.order_state
                    .and_then(|s| s.status)
                    .is_some_and(|s| !s.is_empty())
            );
        }
        response::COMPLETED_ORDER => {
            let m = proto::CompletedOrder::decode(payload).unwrap();
            assert!(m.contract.is_some() && m.order.is_some() && m.order_state.is_some());
        }
        response::ORDER_STATUS => {
            let m = proto::OrderStatus::decode(payload).unwrap();
            assert!(m.status.is_some() && m.filled.is_some() && m.remaining.is_some());
        }
        response::EXECUTION_DATA => {
            let m = proto::ExecutionDetails::decode(payload).unwrap();
            assert!(m.contract.is_some());
            assert!(matches!(
                m.execution.and_then(|e| e.side).as_deref(),
                Some("BOT" | "SLD")
            ));
        }
        response::COMMISSION_REPORT => assert!(
            proto::CommissionAndFeesReport::decode(payload)
                .unwrap()
                .exec_id
                .is_some()
        ),
        response::CURRENT_TIME => assert!(
            proto::CurrentTime::decode(payload)
                .unwrap()
                .current_time
                .is_some()
        ),
        response::CURRENT_TIME_IN_MILLIS => assert!(
            proto::CurrentTimeInMillis::decode(payload)
                .unwrap()
                .current_time_in_millis
                .is_some()
        ),
        other => panic!("the simulator sent message {other}, which this test does not know"),
    }
    assert_eq!(
        IncomingMessages::from(id) as i32,
        id,
        "message {id} is a published incoming message"
    );
    id
}

#[tokio::test]
async fn every_frame_of_a_full_session_decodes() {
    let sim = GatewaySim::start_recording(&scenario(), 0).await.unwrap();
    full_session(&sim).await;
    let frames = sim.sent_frames();
    let seen: BTreeSet<i32> = frames.iter().map(|f| check(&f.bytes)).collect();
    let expected: BTreeSet<i32> = [
        response::TICK_PRICE,
        response::ORDER_STATUS,
        response::ERROR,
        response::OPEN_ORDER,
        response::ACCOUNT_VALUE,
        response::PORTFOLIO_VALUE,
        response::ACCOUNT_UPDATE_TIME,
        response::NEXT_VALID_ID,
        response::CONTRACT_DATA,
        response::EXECUTION_DATA,
        response::MANAGED_ACCOUNTS,
        response::CURRENT_TIME,
        response::CONTRACT_DATA_END,
        response::OPEN_ORDER_END,
        response::ACCOUNT_DOWNLOAD_END,
        response::EXECUTION_DATA_END,
        response::TICK_SNAPSHOT_END,
        response::MARKET_DATA_TYPE,
        response::COMMISSION_REPORT,
        response::POSITION,
        response::POSITION_END,
        response::ACCOUNT_SUMMARY,
        response::ACCOUNT_SUMMARY_END,
        response::POSITION_MULTI,
        response::POSITION_MULTI_END,
        response::ACCOUNT_UPDATE_MULTI,
        response::ACCOUNT_UPDATE_MULTI_END,
        response::TICK_REQ_PARAMS,
        response::COMPLETED_ORDER,
        response::COMPLETED_ORDERS_END,
        response::CURRENT_TIME_IN_MILLIS,
    ]
    .into_iter()
    .collect();
    assert_eq!(
        seen, expected,
        "every message type the simulator serves was exercised"
    );
}
