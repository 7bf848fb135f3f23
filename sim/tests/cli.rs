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
