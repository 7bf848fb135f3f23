//! `sim gateway` as a user runs it: loads a scenario file and serves it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::path::Path;
use std::process::Stdio;

use prost::Message;
use sim::gateway::wire::frame::{protobuf_frame, read_frame, read_message, write_handshake};
use sim::gateway::wire::ids::{request, response};
use sim::gateway::wire::proto;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::Command;

#[tokio::test]
async fn gateway_command_serves_the_example_scenario() {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/example.yaml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sim"))
        .args(["gateway", "--port", "0", "--scenario"])
        .arg(&scenario)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines.next_line().await.unwrap().expect("a listening line");
    let addr = line
        .split_whitespace()
        .nth(4)
        .expect("address in the listening line")
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{line}");

    let mut stream = TcpStream::connect(&addr).await.unwrap();
    write_handshake(&mut stream, "v213..226").await.unwrap();
    let ack = read_message(&mut stream).await.unwrap().unwrap();
    assert!(ack.starts_with(b"226\0"), "server version 226");
    let start = proto::StartApiRequest {
        client_id: Some(1),
        optional_capabilities: None,
    };
    stream
        .write_all(&protobuf_frame(request::START_API, &start.encode_to_vec()))
        .await
        .unwrap();
    let frame = read_frame(&mut stream).await.unwrap().unwrap();
    assert_eq!(frame.message(), (response::MANAGED_ACCOUNTS, true));
    let accounts = proto::ManagedAccounts::decode(frame.payload.as_slice())
        .unwrap()
        .accounts_list
        .unwrap();
    assert_eq!(accounts, "DU1234567,DU7654321");
    child.kill().await.unwrap();
}

#[tokio::test]
async fn a_bad_scenario_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.yaml");
    std::fs::write(&file, "accounts: {DU1: {cash: lots}}\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sim"))
        .args(["gateway", "--port", "0", "--scenario"])
        .arg(&file)
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.yaml") && stderr.contains("accounts.DU1.cash"),
        "{stderr}"
    );
}

/// Starts `sim gateway` on the example scenario with the control API and a record file;
/// returns the child, the gateway address and the control URL.
async fn gateway_with_control(record: &Path) -> (tokio::process::Child, String, String) {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/example.yaml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sim"))
        .args([
            "gateway",
            "--port",
            "0",
            "--control-port",
            "0",
            "--scenario",
        ])
        .arg(&scenario)
        .arg("--record")
        .arg(record)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let listening = lines.next_line().await.unwrap().expect("a listening line");
    let addr = listening.split_whitespace().nth(4).unwrap().to_string();
    let control = lines.next_line().await.unwrap().expect("a control line");
    let url = control.split_whitespace().last().unwrap().to_string();
    (child, addr, url)
}

#[tokio::test]
async fn the_control_api_switches_states_and_the_record_counts_what_traded() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("record.jsonl");
    let (mut child, addr, url) = gateway_with_control(&record).await;
    let http = reqwest::Client::new();
    let state = |body: &'static str| {
        http.put(format!("{url}/state"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let read = || async {
        http.get(format!("{url}/state"))
            .send()
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap()
    };
    let now = read().await;
    assert_eq!(now["state"], "up");
    assert_eq!(now["accounts"]["DU1234567"]["positions"]["VTI"], 200.0);
    assert_eq!(
        state(r#"{"state": "logged_out"}"#).await.unwrap().status(),
        200
    );
    assert_eq!(read().await["state"], "logged_out");
    assert_eq!(state(r#"{"state": "asleep"}"#).await.unwrap().status(), 400);
    assert_eq!(state(r#"{"state": "up"}"#).await.unwrap().status(), 200);

    // One buy of 10 VTI by a raw client: placed, then two executions (two slices).
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    write_handshake(&mut stream, "v213..226").await.unwrap();
    read_message(&mut stream).await.unwrap().unwrap();
    let start = proto::StartApiRequest {
        client_id: Some(3),
        optional_capabilities: None,
    };
    stream
        .write_all(&protobuf_frame(request::START_API, &start.encode_to_vec()))
        .await
        .unwrap();
    let order = proto::PlaceOrderRequest {
        order_id: Some(1),
        contract: Some(proto::Contract {
            symbol: Some("VTI".into()),
            sec_type: Some("STK".into()),
            ..Default::default()
        }),
        order: Some(proto::Order {
            action: Some("BUY".into()),
            total_quantity: Some("10".into()),
            order_type: Some("MKT".into()),
            tif: Some("DAY".into()),
            account: Some("DU1234567".into()),
            order_ref: Some("rb:demo:DU1234567:VTI".into()),
            transmit: Some(true),
            ..Default::default()
        }),
    };
    stream
        .write_all(&protobuf_frame(
            request::PLACE_ORDER,
            &order.encode_to_vec(),
        ))
        .await
        .unwrap();
    let lines = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        loop {
            let text = tokio::fs::read_to_string(&record).await.unwrap_or_default();
            let lines: Vec<serde_json::Value> = text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            if lines.len() >= 3 {
                return lines;
            }
            let _ = read_frame(&mut stream).await;
        }
    })
    .await
    .expect("three record lines");
    let events: Vec<&str> = lines.iter().map(|l| l["event"].as_str().unwrap()).collect();
    assert_eq!(events, ["placed", "execution", "execution"]);
    assert!(
        lines
            .iter()
            .all(|l| l["order_ref"] == "rb:demo:DU1234567:VTI")
    );
    let shares: f64 = lines[1..]
        .iter()
        .map(|l| l["shares"].as_f64().unwrap())
        .sum();
    assert_eq!(shares, 10.0);
    let orders: serde_json::Value = http
        .get(format!("{url}/orders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(orders[0]["status"], "Filled");
    child.kill().await.unwrap();
}
