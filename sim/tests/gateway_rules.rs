//! Gateway rules seen from a raw TWS API client: client id limits, order ids, framing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::time::Duration;

use prost::Message;
use sim::gateway::wire::frame::{Frame, protobuf_frame, read_frame, read_message, write_handshake};
use sim::gateway::wire::ids::{request, response};
use sim::gateway::wire::proto;
use sim::gateway::{GatewaySim, MAX_CLIENTS, PACING_PER_SECOND, PACING_STRIKES, Scenario};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

fn scenario() -> Scenario {
    let mut s = Scenario::default()
        .with_account("DU1234567", 10_000.0, &[])
        .with_quotes(&[("VTI", 99.0, 101.0)]);
    s.fills.market_open = false;
    s
}

/// Connects and starts the API as `client_id`; returns the stream and the first frame.
async fn start(sim: &GatewaySim, client_id: i32) -> (TcpStream, Frame) {
    let mut stream = TcpStream::connect(sim.addr()).await.unwrap();
    let ack = handshake(&mut stream, "v213..226").await.unwrap();
    assert!(ack.starts_with(b"226\0"), "server version 226");
    let start = proto::StartApiRequest {
        client_id: Some(client_id),
        optional_capabilities: None,
    };
    stream
        .write_all(&protobuf_frame(request::START_API, &start.encode_to_vec()))
        .await
        .unwrap();
    let first = read_frame(&mut stream)
        .await
        .unwrap()
        .expect("a frame after START_API");
    (stream, first)
}

async fn next_of(stream: &mut TcpStream, id: i32) -> Frame {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(2), read_frame(stream))
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if frame.message() == (id, true) {
            return frame;
        }
    }
}

/// The code of the next error that is not one of the gateway's informational notices (21xx).
async fn next_failure(stream: &mut TcpStream) -> Option<i32> {
    loop {
        let code = error_code(&next_of(stream, response::ERROR).await);
        if !code.is_some_and(|c| (2100..2200).contains(&c)) {
            return code;
        }
    }
}

fn error_code(frame: &Frame) -> Option<i32> {
    assert_eq!(frame.message(), (response::ERROR, true));
    proto::ErrorMessage::decode(frame.payload.as_slice())
        .unwrap()
        .error_code
}

#[tokio::test]
async fn at_most_32_clients_and_ids_are_unique() {
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let mut streams = Vec::new();
    for id in 0..MAX_CLIENTS as i32 {
        let (stream, first) = start(&sim, id).await;
        assert_eq!(first.message(), (response::MANAGED_ACCOUNTS, true));
        streams.push(stream);
    }
    assert!(
        sim.wait_for_connections(MAX_CLIENTS, Duration::from_secs(2))
            .await
    );
    let (_, refused) = start(&sim, 99).await;
    assert_eq!(error_code(&refused), Some(502));
    let (_, duplicate) = start(&sim, 5).await;
    assert_eq!(error_code(&duplicate), Some(326));
    drop(streams);
    assert!(sim.wait_for_connections(0, Duration::from_secs(2)).await);
}

fn place(order_id: i32) -> Vec<u8> {
    place_in(
        order_id,
        proto::Contract {
            symbol: Some("VTI".into()),
            sec_type: Some("STK".into()),
            ..Default::default()
        },
    )
}

fn place_in(order_id: i32, contract: proto::Contract) -> Vec<u8> {
    let order = proto::PlaceOrderRequest {
        order_id: Some(order_id),
        contract: Some(contract),
        order: Some(proto::Order {
            action: Some("BUY".into()),
            total_quantity: Some("1".into()),
            order_type: Some("MKT".into()),
            tif: Some("DAY".into()),
            transmit: Some(true),
            ..Default::default()
        }),
    };
    protobuf_frame(request::PLACE_ORDER, &order.encode_to_vec())
}

#[tokio::test]
async fn order_ids_must_increase_per_client() {
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let (mut stream, _) = start(&sim, 7).await;
    stream.write_all(&place(5)).await.unwrap();
    let status = next_of(&mut stream, response::ORDER_STATUS).await;
    let status = proto::OrderStatus::decode(status.payload.as_slice()).unwrap();
    assert_eq!(
        status.status.as_deref(),
        Some("Submitted"),
        "market closed: the order rests"
    );
    stream.write_all(&place(5)).await.unwrap();
    assert_eq!(
        error_code(&next_of(&mut stream, response::ERROR).await),
        Some(103)
    );
    stream.write_all(&place(4)).await.unwrap();
    assert_eq!(
        error_code(&next_of(&mut stream, response::ERROR).await),
        Some(103)
    );
    assert_eq!(sim.orders().len(), 1);

    // A reconnecting client is told to continue above its highest id.
    drop(stream);
    assert!(sim.wait_for_connections(0, Duration::from_secs(2)).await);
    let (mut again, _) = start(&sim, 7).await;
    let next = next_of(&mut again, response::NEXT_VALID_ID).await;
    assert_eq!(
        proto::NextValidId::decode(next.payload.as_slice())
            .unwrap()
            .order_id,
        Some(6)
    );
}

#[tokio::test]
async fn an_order_names_one_us_dollar_stock_or_none() {
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let (mut stream, _) = start(&sim, 7).await;
    let vti = |con_id: Option<i32>, sec_type: &str, currency: &str| proto::Contract {
        con_id,
        symbol: Some("VTI".into()),
        sec_type: Some(sec_type.into()),
        currency: Some(currency.into()),
        ..Default::default()
    };
    for (order_id, contract, why) in [
        (
            1,
            vti(Some(1), "STK", "USD"),
            "a contract id that is not VTI's",
        ),
        (2, vti(None, "OPT", "USD"), "an option on VTI"),
        (3, vti(None, "STK", "EUR"), "VTI in euros"),
    ] {
        stream
            .write_all(&place_in(order_id, contract))
            .await
            .unwrap();
        assert_eq!(
            next_failure(&mut stream).await,
            Some(200),
            "{why}: no security definition"
        );
    }
    assert!(
        sim.orders().is_empty(),
        "nothing traded on a wrong contract"
    );
    let con_id = sim.con_id("VTI").unwrap() as i32;
    stream
        .write_all(&place_in(4, vti(Some(con_id), "STK", "USD")))
        .await
        .unwrap();
    next_of(&mut stream, response::ORDER_STATUS).await;
    assert_eq!(sim.orders()[0].order.named_con_id, Some(i64::from(con_id)));
}

/// Sends the handshake offering `offer`; the server's answer body, or `None` when it hangs up.
async fn handshake(stream: &mut TcpStream, offer: &str) -> Option<Vec<u8>> {
    write_handshake(stream, offer).await.unwrap();
    tokio::time::timeout(Duration::from_secs(2), read_message(stream))
        .await
        .unwrap()
        .ok()
        .flatten()
}

#[tokio::test]
async fn clients_without_a_common_version_are_refused() {
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    for offer in ["v179..200", "v100..163"] {
        let mut stream = TcpStream::connect(sim.addr()).await.unwrap();
        assert_eq!(handshake(&mut stream, offer).await, None, "{offer}");
    }
}

#[tokio::test]
async fn an_old_gateway_answers_protobuf_clients_with_its_own_version_and_serves_classic_ones() {
    let mut old = scenario();
    old.faults.max_server_version = Some(178);
    let sim = GatewaySim::start(&old, 0).await.unwrap();
    let mut protobuf = TcpStream::connect(sim.addr()).await.unwrap();
    let ack = handshake(&mut protobuf, "v213..226").await.unwrap();
    assert!(
        ack.starts_with(b"178\0"),
        "{:?}",
        String::from_utf8_lossy(&ack)
    );
    let mut classic = TcpStream::connect(sim.addr()).await.unwrap();
    let ack = handshake(&mut classic, "v157..200").await.unwrap();
    assert!(
        ack.starts_with(b"178\0"),
        "capped: {:?}",
        String::from_utf8_lossy(&ack)
    );
}

#[tokio::test]
async fn classic_clients_get_text_fields_at_the_highest_common_version() {
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let mut stream = TcpStream::connect(sim.addr()).await.unwrap();
    let ack = handshake(&mut stream, "v157..178").await.unwrap();
    assert!(
        ack.starts_with(b"178\0"),
        "{:?}",
        String::from_utf8_lossy(&ack)
    );
    let start = b"71\x002\x005\x00\x00";
    stream
        .write_all(&(start.len() as u32).to_be_bytes())
        .await
        .unwrap();
    stream.write_all(start).await.unwrap();
    let first = read_message(&mut stream).await.unwrap().unwrap();
    assert_eq!(first, b"15\x001\x00DU1234567\x00", "managedAccounts");
    let second = read_message(&mut stream).await.unwrap().unwrap();
    assert_eq!(second, b"9\x001\x001\x00", "nextValidId");
    assert_eq!(sim.connections()[0].client_id, 5);

    let positions = protobuf_frame(request::POSITIONS, &[]);
    stream.write_all(&positions).await.unwrap();
    let refused = loop {
        let body = read_message(&mut stream).await.unwrap().unwrap();
        if body.starts_with(b"4\x002\x00-1\x0010000\x00") {
            break body;
        }
    };
    assert!(
        String::from_utf8_lossy(&refused).contains("a text-encoded message must end with a NUL"),
        "a protobuf frame on a classic connection is refused"
    );
}

#[tokio::test]
async fn more_than_fifty_messages_a_second_are_refused_and_a_client_that_persists_is_dropped() {
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let (mut stream, _) = start(&sim, 9).await;
    let current_time = || protobuf_frame(request::CURRENT_TIME, &[]);
    let burst: Vec<u8> = (0..PACING_PER_SECOND as usize + 1)
        .flat_map(|_| current_time())
        .collect();
    stream.write_all(&burst).await.unwrap();
    assert_eq!(
        next_failure(&mut stream).await,
        Some(100),
        "message 51 is refused"
    );
    let more: Vec<u8> = (0..PACING_STRIKES as usize)
        .flat_map(|_| current_time())
        .collect();
    stream.write_all(&more).await.unwrap();
    let closed = tokio::time::timeout(Duration::from_secs(2), async {
        while let Ok(Some(_)) = read_frame(&mut stream).await {}
    })
    .await;
    assert!(
        closed.is_ok(),
        "the gateway hangs up on a client that keeps exceeding the rate"
    );
    assert!(sim.wait_for_connections(0, Duration::from_secs(2)).await);
}
