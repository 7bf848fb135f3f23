//! `worker plan` as a user runs it: the example files, JSON output, and bad input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn example_args() -> Vec<String> {
    let root = root();
    let path = |p: &str| root.join(p).display().to_string();
    vec![
        "plan".into(),
        "--snapshot".into(),
        path("examples/snapshot.json"),
        "--allocations".into(),
        path("examples/allocations.json"),
        "--accounts".into(),
        path("accounts.yaml"),
        "--config".into(),
        path("config.yaml"),
        "--account".into(),
        "DU1234567".into(),
    ]
}

fn worker() -> Command {
    Command::cargo_bin("worker").expect("worker binary")
}

#[test]
fn example_plan_prints_a_table() {
    let out = worker().args(example_args()).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(
            "Plan for DU1234567 (strategy etf-blend-102-25): 5 trade(s), nothing placed"
        ),
        "{text}"
    );
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .map(|l| l.split_whitespace().take(6).collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec!["1", "SELL", "39", "VTI", "MKT", "-"],
            vec!["2", "SELL", "92", "BND", "MKT", "-"],
            vec!["3", "SELL", "120", "ARKK", "MKT", "-"],
            vec!["4", "BUY", "289", "VXUS", "LMT", "61.66"],
            vec!["5", "BUY", "48", "GLD", "LMT", "186.13"],
        ]
    );
    assert!(
        text.contains("warning: ARKK: selling 120 of 120.5 shares"),
        "{text}"
    );
}

#[test]
fn json_output_has_the_documented_shape() {
    let out = worker()
        .args(example_args())
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success());
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["account_id"], "DU1234567");
    let trades = plan["trades"].as_array().unwrap();
    assert_eq!(trades.len(), 5);
    let mut keys: Vec<&str> = trades[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "action",
            "limit_price",
            "order_type",
            "quantity",
            "reason",
            "symbol"
        ]
    );
    assert_eq!(trades[0]["action"], "SELL");
    assert_eq!(trades[0]["order_type"], "MKT");
    assert_eq!(trades[0]["limit_price"], Value::Null);
    assert_eq!(trades[3]["action"], "BUY");
    assert_eq!(trades[3]["quantity"], 289);
    assert_eq!(trades[3]["limit_price"], 61.66);
    assert_eq!(plan["warnings"].as_array().unwrap().len(), 2);
}

/// Runs `worker plan` with one example file replaced by `text` and returns stderr,
/// checking exit code 2, nothing on stdout and a one-line error.
fn fails_with(flag: &str, file_name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(file_name);
    std::fs::write(&file, text).unwrap();
    let mut args = example_args();
    let at = args.iter().position(|a| a == flag).expect("flag") + 1;
    args[at] = file.display().to_string();
    bad_run(args)
}

fn bad_run(args: Vec<String>) -> String {
    let out = worker().args(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "one line expected: {stderr}");
    stderr
}

fn example(name: &str) -> String {
    std::fs::read_to_string(root().join(name)).unwrap()
}

#[test]
fn bad_snapshot_names_file_and_field() {
    let text =
        example("examples/snapshot.json").replace(r#""quantity": 400.0"#, r#""quantity": "400""#);
    let err = fails_with("--snapshot", "snap.json", &text);
    assert!(
        err.contains("snap.json: positions[1].quantity: invalid type: string \"400\""),
        "{err}"
    );

    let text = example("examples/snapshot.json").replace(r#""cash": 5000.0,"#, "");
    let err = fails_with("--snapshot", "snap.json", &text);
    assert!(err.contains("snap.json: missing field `cash`"), "{err}");

    let text = example("examples/snapshot.json").replace(
        r#""GLD": {"bid": 185.0, "ask": 185.2, "last": 185.1}"#,
        r#""GLD": {"bid": 185.0, "ask": 185.2, "last": 185.1, "size": 3}"#,
    );
    let err = fails_with("--snapshot", "snap.json", &text);
    assert!(
        err.contains("snap.json: quotes.GLD.size: unknown field `size`"),
        "{err}"
    );
}

#[test]
fn snapshot_of_another_account_is_refused() {
    let text = example("examples/snapshot.json").replace("DU1234567", "DU7654321");
    let err = fails_with("--snapshot", "snap.json", &text);
    assert!(
        err.contains("snap.json: account_id is `DU7654321` but --account is `DU1234567`"),
        "{err}"
    );
}

#[test]
fn missing_quote_is_refused() {
    let text = example("examples/snapshot.json").replace(
        r#""GLD": {"bid": 185.0, "ask": 185.2, "last": 185.1}"#,
        r#""XLE": {"bid": 1.0, "ask": 1.1}"#,
    );
    let err = fails_with("--snapshot", "snap.json", &text);
    assert!(err.contains("no quote for `GLD`"), "{err}");
}

#[test]
fn bad_allocations_name_file_and_entry() {
    let text = example("examples/allocations.json").replace("0.45", "0.55");
    let err = fails_with("--allocations", "alloc.json", &text);
    assert!(
        err.contains("alloc.json: allocations for `etf-blend-102-25`: weights sum to 1.1"),
        "{err}"
    );
    let text =
        example("examples/allocations.json").replace(r#""symbol": "BND""#, r#""symbol": "VTI""#);
    let err = fails_with("--allocations", "alloc.json", &text);
    assert!(
        err.contains("`VTI` appears twice (entries 0 and 2)"),
        "{err}"
    );
}

#[test]
fn bad_config_files_name_line_and_field() {
    let text =
        example("accounts.yaml").replace("cash_reserve_percent: 2.0", "cash_reserve_percent: 250");
    let err = fails_with("--accounts", "accounts.yaml", &text);
    assert!(err.contains("accounts.yaml:22:27: accounts[1].cash_reserve_percent: must be a percentage from 0 to 100, got 250"), "{err}");

    let text =
        example("config.yaml").replace("order_timeout_seconds: 300", "order_timeout_seconds: 0");
    let err = fails_with("--config", "config.yaml", &text);
    assert!(
        err.contains("config.yaml:")
            && err.contains(
                "trading.order_timeout_seconds: must be a number of seconds greater than 0"
            ),
        "{err}"
    );
}

#[test]
fn unknown_account_and_missing_files_are_reported() {
    let mut args = example_args();
    let at = args.iter().position(|a| a == "--account").unwrap() + 1;
    args[at] = "DU0000000".into();
    let err = bad_run(args);
    assert!(
        err.contains("accounts.yaml: no account `DU0000000`"),
        "{err}"
    );

    let mut args = example_args();
    let at = args.iter().position(|a| a == "--snapshot").unwrap() + 1;
    args[at] = "/nonexistent/snapshot.json".into();
    let err = bad_run(args);
    assert!(
        err.contains("/nonexistent/snapshot.json: cannot read the file"),
        "{err}"
    );
}

#[test]
fn missing_arguments_exit_2_with_usage() {
    let out = worker()
        .args(["plan", "--snapshot", "x.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allocations <FILE>"));
}
