//! `sim up` and `sim publish` as a person uses them: the two printed commands, run as
//! printed by a shell, start the real supervisor on the playground and trade exactly the
//! strategy the event was published for.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use sim::sim_up::{SimUp, shell};
use sim::supervisor_socket::request;
use tokio::process::{Child, Command};

const WAIT: Duration = Duration::from_secs(60);

/// Asks `socket` every 50 ms until `done` holds for an answer to `line`.
async fn poll_until(socket: &Path, asked: Value, done: impl Fn(&Value) -> bool) -> Value {
    let started = Instant::now();
    loop {
        if let Some(answer) = request(socket, asked.clone()).await
            && done(&answer)
        {
            return answer;
        }
        assert!(
            started.elapsed() < WAIT,
            "no answer to {asked} satisfied the wait"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn stop(mut supervisor: Child) {
    let status = sim::process::terminate(&mut supervisor, WAIT)
        .await
        .unwrap();
    assert!(status.success(), "the supervisor exited with {status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_printed_commands_start_the_supervisor_and_trade_the_published_strategy_only() {
    // `sim up` prints the supervisor beside itself; make sure it is built.
    sim::bins::path("supervisor");
    let dir = tempfile::tempdir().unwrap();
    let mut up = SimUp::start(Path::new(env!("CARGO_BIN_EXE_sim")), dir.path(), WAIT)
        .await
        .unwrap();
    let (run_line, publish_line, printed) = (up.run.as_str(), up.publish.as_str(), &up.printed);
    assert!(run_line.contains("supervisor run --config"), "{printed:#?}");
    assert!(
        publish_line.contains("--strategy etf-blend-102-25 --exec rebalance"),
        "{printed:#?}"
    );
    for file in ["config.yaml", "accounts.yaml", "replacement-sets.yaml"] {
        assert!(dir.path().join(file).is_file(), "{file} written");
    }

    let log = std::fs::File::create(dir.path().join("supervisor.log")).unwrap();
    let supervisor = shell(run_line)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let socket = dir.path().join("supervisor.sock");
    poll_until(&socket, serde_json::json!({"request": "status"}), |s| {
        s["realtime"] == "connected"
    })
    .await;

    let published = shell(publish_line).output().await.unwrap();
    assert!(
        published.status.success(),
        "{}",
        String::from_utf8_lossy(&published.stderr)
    );
    assert!(String::from_utf8_lossy(&published.stdout).contains("published"));

    let runs = serde_json::json!({"request": "runs", "strategy": "etf-blend-102-25", "limit": 5});
    let answer = poll_until(&socket, runs, |a| {
        a["runs"][0]["state"]
            .as_str()
            .is_some_and(|s| !matches!(s, "queued" | "scheduled" | "running"))
    })
    .await;
    assert_eq!(answer["runs"][0]["state"], "succeeded", "{answer}");
    let other = request(
        &socket,
        serde_json::json!({"request": "runs", "strategy": "etf-growth-201", "limit": 5}),
    )
    .await
    .unwrap();
    assert_eq!(other["runs"].as_array().map(Vec::len), Some(0), "{other}");
    stop(supervisor).await;

    // The record shows what reached the exchange: the four blend accounts, nobody else.
    let record = std::fs::read_to_string(dir.path().join("exchange.jsonl")).unwrap();
    let placed: Vec<Value> = record
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|e| e["event"] == "placed")
        .collect();
    assert!(!placed.is_empty());
    let mut accounts: Vec<&str> = placed
        .iter()
        .filter_map(|e| e["account"].as_str())
        .collect();
    accounts.sort_unstable();
    accounts.dedup();
    assert_eq!(
        accounts,
        ["DU1000001", "DU1000002", "DU1000003", "DU1000004"]
    );
    up.child.kill().await.unwrap();
}

#[tokio::test]
async fn publish_without_a_running_playground_says_how_to_start_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sim"))
        .args(["publish", "--strategy", "s", "--dir"])
        .arg(dir.path())
        .output()
        .await
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("playground.json") && stderr.contains("sim up --dir"),
        "{stderr}"
    );
}
