//! The dashboard's handlers over real HTTP on loopback: every page and endpoint, the token
//! its actions need, bodies too large, unknown ids. The journal is a real one, written as
//! the daemon writes it and read back read-only; the daemon's control socket is a stand-in
//! that answers canned responses and records what it was asked.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use serde_json::{Value, json};
use supervisor::journal::{Journal, NewRun, Trigger};
use supervisor::web::auth::ApiToken;
use supervisor::web::{self, WebState};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixListener;
use trading_core::allocations::Allocation;
use trading_core::control::{
    GatewayStatus, LiveEvent, Request, Response, StatusReport, StrategyStatus,
};
use trading_core::executor::OrderReport;
use trading_core::protocol::{AccountResult, Command, Outcome, SnapshotPhase};
use trading_core::snapshot::{AccountSnapshot, Position, Quote};

const TOKEN: &str = "a-long-test-token";
const STRATEGY: &str = "etf-blend-102-25";
const ACCOUNT: &str = "DU1234567";

/// A stand-in daemon: answers `status`, accepts everything else, remembers the requests.
fn fake_daemon(socket: &Path) -> Arc<Mutex<Vec<Request>>> {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let listener = UnixListener::bind(socket).unwrap();
    let log = asked.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (reader, mut writer) = stream.into_split();
            let mut line = String::new();
            BufReader::new(reader).read_line(&mut line).await.unwrap();
            let request: Request = serde_json::from_str(&line).unwrap();
            if request == (Request::Subscribe {}) {
                log.lock().unwrap().push(request);
                tokio::spawn(stream_one_run(writer));
                continue;
            }
            let answer = match &request {
                Request::Status {} => Response::Status(status_report()),
                Request::Cancel { id } => Response::Cancelled { run_id: id.clone() },
                Request::Pause { strategy } | Request::Resume { strategy } => Response::Paused {
                    paused: strategy.iter().cloned().collect(),
                    released: vec![],
                },
                _ => Response::Accepted {
                    run_id: "new-run".into(),
                    queued: false,
                },
            };
            log.lock().unwrap().push(request);
            let mut out = serde_json::to_vec(&answer).unwrap();
            out.push(b'\n');
            writer.write_all(&out).await.unwrap();
        }
    });
    asked
}

/// Answers a `subscribe`: `subscribed`, one run event, then nothing until the client leaves.
async fn stream_one_run(mut writer: tokio::net::unix::OwnedWriteHalf) {
    let run = LiveEvent::Run {
        run: trading_core::control::RunSummary {
            id: "live-run".into(),
            strategy: STRATEGY.into(),
            command: Command::Rebalance,
            trigger: "event".into(),
            state: "running".into(),
            attempt: 1,
            created_at: "2026-12-01T15:00:00Z".into(),
            not_before: None,
            finished_at: None,
            error: None,
            retry_of: None,
        },
    };
    for line in [json!(Response::Subscribed {}), json!(run)] {
        let mut out = serde_json::to_vec(&line).unwrap();
        out.push(b'\n');
        if writer.write_all(&out).await.is_err() {
            return;
        }
    }
    std::future::pending::<()>().await;
}

fn status_report() -> StatusReport {
    StatusReport {
        healthy: true,
        problems: vec![],
        realtime: "connected".into(),
        gateway_connections: 0,
        gateway_connection_cap: 30,
        gateway: GatewayStatus::default(),
        strategies: [STRATEGY, "etf-growth-201"]
            .into_iter()
            .map(|name| StrategyStatus {
                name: name.into(),
                accounts: vec![ACCOUNT.into()],
                subscribed: true,
                paused: false,
                last_event_at: None,
                running: None,
                queued: None,
                scheduled: None,
                last_result: None,
                note: None,
            })
            .collect(),
    }
}

/// A journal holding one finished run of [`STRATEGY`] with targets, a snapshot, an order.
async fn journal(path: &Path) -> String {
    let journal = Journal::open(path).unwrap();
    let id = journal
        .create_run(NewRun::first(
            STRATEGY,
            Command::Rebalance,
            Trigger::Event,
            vec![ACCOUNT.into()],
        ))
        .await
        .unwrap();
    journal
        .set_targets(
            &id,
            &[Allocation {
                symbol: "VTI".into(),
                weight: 0.5,
            }],
        )
        .await
        .unwrap();
    let snapshot = AccountSnapshot {
        account_id: ACCOUNT.into(),
        net_liquidation: 100_000.0,
        cash: 50_000.0,
        positions: vec![Position {
            symbol: "VTI".into(),
            quantity: 100.0,
        }],
        quotes: [(
            "VTI".to_string(),
            Quote {
                bid: 250.0,
                ask: 250.0,
                last: None,
            },
        )]
        .into(),
        held_not_traded: vec![],
    };
    journal
        .record_snapshot(&id, ACCOUNT, SnapshotPhase::After, &snapshot)
        .await
        .unwrap();
    let order: OrderReport = serde_json::from_value(json!({
        "order_id": 7, "symbol": "VTI", "action": "BUY", "quantity": 100, "order_type": "LMT",
        "limit_price": 251.0, "order_ref": format!("rb:{id}:{ACCOUNT}:VTI"), "status": "Filled",
        "filled": 100.0, "avg_fill_price": 250.5, "commission": 1.0, "unfilled_reason": null
    }))
    .unwrap();
    journal.record_order(&id, ACCOUNT, &order).await.unwrap();
    let report = trading_core::executor::AccountReport {
        account_id: ACCOUNT.into(),
        dry_run: false,
        plan: trading_core::calculator::Plan {
            account_id: ACCOUNT.into(),
            trades: vec![trading_core::calculator::Trade {
                symbol: "VTI".into(),
                action: trading_core::calculator::Action::Buy,
                quantity: 100,
                order_type: trading_core::calculator::OrderType::Limit,
                limit_price: Some(251.0),
                reason: "0.00% -> 25.00% of net liquidation".into(),
            }],
            warnings: vec![],
        },
        orders: vec![],
        stale_orders: vec![],
        warnings: vec!["buys trimmed to the cash available".into()],
        net_liquidation_before: 100_000.0,
        cash_before: 75_000.0,
        cash_after: Some(50_000.0),
        stopped: false,
    };
    let result = serde_json::to_string(&AccountResult::Rebalance(report)).unwrap();
    journal
        .record_account(&id, ACCOUNT, &Outcome::Ok, Some(result))
        .await
        .unwrap();
    id
}

struct Dashboard {
    base: String,
    asked: Arc<Mutex<Vec<Request>>>,
    run_id: String,
    _dir: tempfile::TempDir,
}

async fn dashboard(token: Option<&str>) -> Dashboard {
    let dir = tempfile::tempdir().unwrap();
    let journal_path = dir.path().join("journal.sqlite");
    let run_id = journal(&journal_path).await;
    let socket: PathBuf = dir.path().join("supervisor.sock");
    let asked = fake_daemon(&socket);
    let state = Arc::new(WebState::new(
        Journal::open_read_only(&journal_path).unwrap(),
        socket,
        token.map(ApiToken::new),
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, web::router(state, None))
            .await
            .unwrap();
    });
    Dashboard {
        base,
        asked,
        run_id,
        _dir: dir,
    }
}

async fn get(base: &str, path: &str) -> (StatusCode, String) {
    let response = reqwest::get(format!("{base}{path}")).await.unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn post(base: &str, path: &str, token: Option<&str>, body: &str) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_page_renders_the_journal_and_the_daemon() {
    let d = dashboard(None).await;
    let (status, overview) = get(&d.base, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(overview.contains("etf-growth-201") && overview.contains(STRATEGY));
    assert!(overview.contains("connected") && overview.contains(&d.run_id));

    let (status, strategy) = get(&d.base, &format!("/strategies/{STRATEGY}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(strategy.contains(ACCOUNT));
    assert!(
        strategy.contains("25.00%"),
        "VTI's weight: 100 × 250 of 100 000"
    );
    assert!(strategy.contains("-25.00 points"), "against its 50% target");

    let (status, run) = get(&d.base, &format!("/runs/{}", d.run_id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        run.contains("250.50") && run.contains("Filled"),
        "the order and its fill"
    );

    let (status, runs) = get(&d.base, "/runs?state=succeeded").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !runs.contains(&d.run_id),
        "the run is queued, not succeeded"
    );
    let (_, runs) = get(&d.base, &format!("/runs?strategy={STRATEGY}")).await;
    assert!(runs.contains(&d.run_id));

    assert_eq!(
        get(&d.base, "/healthz").await,
        (StatusCode::OK, "ok\n".into())
    );
}

#[tokio::test]
async fn unknown_ids_and_states_are_refused_in_both_faces() {
    let d = dashboard(None).await;
    for path in [
        "/runs/nope",
        "/api/runs/nope",
        "/strategies/nope",
        "/api/strategies/nope",
    ] {
        assert_eq!(get(&d.base, path).await.0, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, body) = get(&d.base, "/api/runs?state=asleep").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("asleep"));
    assert_eq!(
        get(&d.base, "/api/runs?color=red").await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_json_api_serves_status_runs_a_run_and_a_strategy() {
    let d = dashboard(None).await;
    let json = |text: String| serde_json::from_str::<Value>(&text).unwrap();
    let status = json(get(&d.base, "/api/status").await.1);
    assert_eq!(status["realtime"], "connected");
    let runs = json(get(&d.base, "/api/runs").await.1);
    assert_eq!(runs["runs"][0]["id"], d.run_id.as_str());
    let run = json(get(&d.base, &format!("/api/runs/{}", d.run_id)).await.1);
    assert_eq!(run["orders"][0]["avg_fill_price"], 250.5);
    assert_eq!(run["attempts"][0]["id"], d.run_id.as_str());
    assert_eq!(run["orders"][0]["commission"], 1.0);
    assert_eq!(run["plans"][0]["trades"][0]["action"], "BUY");
    assert_eq!(run["plans"][0]["trades"][0]["order_type"], "LMT");
    let strategy = json(get(&d.base, &format!("/api/strategies/{STRATEGY}")).await.1);
    assert_eq!(strategy["accounts"][0]["holdings"][0]["symbol"], "VTI");
    assert_eq!(strategy["targets"][0]["weight"], 0.5);
}

#[tokio::test]
async fn actions_need_the_token_and_are_off_without_one() {
    let off = dashboard(None).await;
    let (status, body) = post(&off.base, "/api/pause", Some(TOKEN), "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("REBALANCER_API_TOKEN")
    );

    let d = dashboard(Some(TOKEN)).await;
    let trigger = format!("/api/strategies/{STRATEGY}/trigger");
    assert_eq!(
        post(&d.base, &trigger, None, "").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post(&d.base, &trigger, Some("a-long-test-tokeN"), "")
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        d.asked.lock().unwrap().is_empty(),
        "nothing reached the daemon"
    );

    let (status, body) = post(
        &d.base,
        &trigger,
        Some(TOKEN),
        r#"{"accounts":["DU1234567"]}"#,
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(body["run_id"], "new-run");
    let retry = format!("/api/runs/{}/retry", d.run_id);
    assert_eq!(
        post(&d.base, &retry, Some(TOKEN), "").await.0,
        StatusCode::ACCEPTED
    );
    let cancel = format!("/api/runs/{}/cancel", d.run_id);
    assert_eq!(
        post(&d.base, &cancel, Some(TOKEN), "").await.0,
        StatusCode::OK
    );
    assert_eq!(
        post(&d.base, "/api/runs/nope/cancel", Some(TOKEN), "")
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let pause = post(
        &d.base,
        "/api/pause",
        Some(TOKEN),
        &json!({"strategy": STRATEGY}).to_string(),
    )
    .await;
    assert_eq!(pause.1["paused"], json!([STRATEGY]));
    assert_eq!(
        post(&d.base, "/api/resume", Some(TOKEN), "").await.0,
        StatusCode::OK
    );
    assert_eq!(
        post(&d.base, "/api/pause", Some(TOKEN), r#"{"strategy": 1}"#)
            .await
            .0,
        StatusCode::BAD_REQUEST
    );

    let asked = d.asked.lock().unwrap().clone();
    assert_eq!(
        asked[0],
        Request::Trigger {
            strategy: STRATEGY.into(),
            command: Command::Rebalance,
            accounts: vec![ACCOUNT.into()],
            at_open: false,
            confirm_targets: false,
        }
    );
    assert_eq!(
        asked.len(),
        5,
        "trigger, retry, cancel, pause, resume: {asked:?}"
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_the_daemon_sees_them() {
    let d = dashboard(Some(TOKEN)).await;
    let huge = json!({"strategy": "x".repeat(10_000)}).to_string();
    let (status, _) = post(&d.base, "/api/pause", Some(TOKEN), &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(d.asked.lock().unwrap().is_empty());
}

#[tokio::test]
async fn the_pages_say_so_when_the_daemon_is_unreachable() {
    let d = dashboard(None).await;
    std::fs::remove_file(d._dir.path().join("supervisor.sock")).unwrap();
    let (status, overview) = get(&d.base, "/").await;
    assert_eq!(status, StatusCode::OK, "the journal's part still shows");
    assert!(overview.contains("not reachable") && overview.contains(&d.run_id));
    assert_eq!(
        get(&d.base, "/api/status").await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test]
async fn the_dashboards_journal_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    journal(&path).await;
    let reader = Journal::open_read_only(&path).unwrap();
    let refused = reader
        .call(|c| Ok(c.execute("DELETE FROM runs", [])?))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("readonly"), "{refused}");
    let missing = Journal::open_read_only(&dir.path().join("absent.sqlite"));
    assert!(missing.is_err(), "a reader never creates the journal");
}

#[tokio::test]
async fn live_events_arrive_as_server_sent_events_and_streams_are_bounded() {
    let d = dashboard(None).await;
    let mut response = reqwest::get(format!("{}/api/events", d.base))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    let mut received = String::new();
    while !received.contains("\n\n") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), response.chunk())
            .await
            .expect("an event in time")
            .unwrap()
            .expect("the stream open");
        received.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(received.starts_with("event: run\n"), "{received}");
    assert!(received.contains("\"id\":\"live-run\""), "{received}");

    // Fifteen more fill the streams; one over is refused, not queued on the daemon.
    let mut open = vec![response];
    for _ in 1..supervisor::web::live::MAX_STREAMS {
        let more = reqwest::get(format!("{}/api/events", d.base))
            .await
            .unwrap();
        assert_eq!(more.status(), StatusCode::OK);
        open.push(more);
    }
    let refused = reqwest::get(format!("{}/api/events", d.base))
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    let subscribed = |d: &Dashboard| {
        d.asked
            .lock()
            .unwrap()
            .iter()
            .filter(|r| **r == Request::Subscribe {})
            .count()
    };
    assert_eq!(subscribed(&d), supervisor::web::live::MAX_STREAMS);
    assert_eq!(
        get(&d.base, "/api/runs").await.0,
        StatusCode::OK,
        "pages still answer"
    );
}

#[tokio::test]
async fn metrics_count_the_journal_and_show_the_daemons_links() {
    let d = dashboard(None).await;
    let response = reqwest::get(format!("{}/metrics", d.base)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = response.text().await.unwrap();
    for line in [
        format!("rebalancer_runs{{strategy=\"{STRATEGY}\",state=\"queued\"}} 1"),
        "rebalancer_orders{status=\"Filled\"} 1".to_string(),
        "rebalancer_daemon_up 1".to_string(),
        "rebalancer_realtime_connected 1".to_string(),
        "rebalancer_gateway_state{state=\"unknown\"} 1".to_string(),
        "rebalancer_run_duration_seconds_count 0".to_string(),
    ] {
        assert!(text.contains(&line), "{line} missing from:\n{text}");
    }
    assert!(text.contains("rebalancer_journal_bytes "));
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint_and_its_types() {
    let d = dashboard(None).await;
    let (status, text) = get(&d.base, "/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for (path, method) in [
        ("/api/status", "get"),
        ("/api/runs", "get"),
        ("/api/runs/{id}", "get"),
        ("/api/strategies/{name}", "get"),
        ("/api/strategies/{name}/trigger", "post"),
        ("/api/runs/{id}/retry", "post"),
        ("/api/runs/{id}/cancel", "post"),
        ("/api/pause", "post"),
        ("/api/resume", "post"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing"
        );
    }
    assert_eq!(
        doc["paths"]["/api/pause"]["post"]["security"][0]["bearer"],
        json!([])
    );
    for schema in [
        "StatusReport",
        "RunView",
        "StrategyView",
        "RunSummary",
        "OrderRow",
        "TriggerBody",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "{schema} missing"
        );
    }
    let order = &doc["components"]["schemas"]["OrderRow"]["properties"];
    assert!(order["commission"].is_object() && order["avg_fill_price"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[tokio::test]
async fn cross_origin_calls_are_allowed_only_from_the_configured_origin() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    journal(&path).await;
    let serve = |cors: Option<&'static str>| {
        let state = Arc::new(WebState::new(
            Journal::open_read_only(&path).unwrap(),
            dir.path().join("absent.sock"),
            None,
        ));
        async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let base = format!("http://{}", listener.local_addr().unwrap());
            tokio::spawn(async move {
                axum::serve(listener, web::router(state, cors))
                    .await
                    .unwrap();
            });
            base
        }
    };
    let preflight = |base: String, origin: &'static str| async move {
        reqwest::Client::new()
            .request(reqwest::Method::OPTIONS, format!("{base}/api/pause"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization")
            .send()
            .await
            .unwrap()
            .headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap().to_string())
    };
    let closed = serve(None).await;
    assert_eq!(
        preflight(closed.clone(), "https://ops.example.com").await,
        None
    );
    let open = serve(Some("https://ops.example.com")).await;
    assert_eq!(
        preflight(open.clone(), "https://ops.example.com")
            .await
            .as_deref(),
        Some("https://ops.example.com")
    );
    // Another origin is answered with the configured one, which its browser refuses.
    assert_ne!(
        preflight(open, "https://elsewhere.example")
            .await
            .as_deref(),
        Some("https://elsewhere.example")
    );
    let cookies = reqwest::get(format!("{closed}/runs")).await.unwrap();
    assert!(cookies.headers().get("set-cookie").is_none(), "no cookies");
}
