//! The `dashboard` binary beside the real supervisor on the demo's playground (`sim up`):
//! a real browser (headless Chromium driven over WebDriver by chromedriver) reads it and
//! follows a run live; and a dashboard hammered, then killed, while a run trades leaves the
//! run untouched.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use sim::sim_up::{SimUp, shell};
use sim::supervisor_socket::request;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const WAIT: Duration = Duration::from_secs(60);
const BLEND: &str = "etf-blend-102-25";
const GROWTH: &str = "etf-growth-201";

/// The playground: `sim up`, the supervisor it prints, and its directory.
struct Playground {
    dir: tempfile::TempDir,
    _sim: SimUp,
    supervisor: Child,
}

impl Playground {
    async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let up = SimUp::start(&sim::bins::path("sim"), dir.path(), WAIT)
            .await
            .unwrap();
        let log = std::fs::File::create(dir.path().join("supervisor.log")).unwrap();
        let supervisor = shell(&up.run)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        let playground = Self {
            dir,
            _sim: up,
            supervisor,
        };
        playground
            .until(json!({"request": "status"}), |s| {
                s["realtime"] == "connected"
            })
            .await;
        playground
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config.yaml")
    }

    /// Asks the supervisor every 50 ms until `done` holds for its answer to `line`.
    async fn until(&self, asked: Value, done: impl Fn(&Value) -> bool) -> Value {
        let socket = self.dir.path().join("supervisor.sock");
        let started = Instant::now();
        loop {
            if let Some(answer) = request(&socket, asked.clone()).await
                && done(&answer)
            {
                return answer;
            }
            assert!(
                started.elapsed() < WAIT,
                "no answer to {asked} satisfied the wait; the supervisor's log:\n{}",
                std::fs::read_to_string(self.dir.path().join("supervisor.log")).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Publishes a rebalance event on `strategy` with `sim publish`.
    async fn publish(&self, strategy: &str) {
        let out = Command::new(sim::bins::path("sim"))
            .args(["publish", "--strategy", strategy, "--dir"])
            .arg(self.dir.path())
            .output()
            .await
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The latest run of `strategy` once it has finished.
    async fn finished(&self, strategy: &str) -> Value {
        let line = json!({"request": "runs", "strategy": strategy, "limit": 1});
        let answer = self
            .until(line, |a| a["runs"][0]["finished_at"].is_string())
            .await;
        answer["runs"][0].clone()
    }

    /// Lines of the record of what reached the simulated exchange.
    fn record(&self) -> Vec<Value> {
        std::fs::read_to_string(self.dir.path().join("exchange.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    async fn stop(mut self) {
        let status = sim::process::terminate(&mut self.supervisor, WAIT)
            .await
            .unwrap();
        assert!(status.success(), "the supervisor exited with {status}");
    }
}

/// Starts `dashboard` on `config` on a free loopback port; returns it and its base URL.
async fn dashboard(config: &Path, token: Option<&str>) -> (Child, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dashboard"));
    command
        .arg("--config")
        .arg(config)
        .args(["--listen", "127.0.0.1:0"])
        .env_remove("REBALANCER_API_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    if let Some(token) = token {
        command.env("REBALANCER_API_TOKEN", token);
    }
    let mut child = command.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(WAIT, lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .expect("the dashboard prints its address");
    let base = line
        .strip_prefix("dashboard on ")
        .expect("dashboard on http://...")
        .trim_end_matches('/')
        .to_string();
    (child, base)
}

/// chromedriver on a free loopback port, and a headless Chromium session through it.
struct Browser {
    _driver: Child,
    client: Client,
}

impl Browser {
    async fn start(test: &str) -> Option<Self> {
        let (Ok(driver_path), Ok(chromium)) = (which("chromedriver"), which("chromium")) else {
            sim::external::missing(
                test,
                "chromium and chromedriver are not installed (Debian packages `chromium` and `chromium-driver`)",
            );
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]
            }),
        );
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(err) if started.elapsed() < WAIT => {
                    let _ = err;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(err) => panic!("no WebDriver session: {err}"),
            }
        };
        Some(Self {
            _driver: driver,
            client,
        })
    }

    /// Waits until `script` (a JS expression) is true on the current page.
    async fn until(&self, what: &str, script: &str) {
        let started = Instant::now();
        loop {
            let value = self
                .client
                .execute(&format!("return Boolean({script});"), vec![])
                .await
                .unwrap();
            if value == Value::Bool(true) {
                return;
            }
            assert!(started.elapsed() < WAIT, "the page never showed {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn which(name: &str) -> Result<PathBuf, ()> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .ok_or(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_reads_the_dashboard_opens_a_run_and_sees_another_finish_live() {
    let test = "a_browser_reads_the_dashboard_opens_a_run_and_sees_another_finish_live";
    let Some(browser) = Browser::start(test).await else {
        return;
    };
    let playground = Playground::start().await;
    playground.publish(BLEND).await;
    let blend = playground.finished(BLEND).await;
    assert_eq!(blend["state"], "succeeded", "{blend}");
    let (_dashboard, base) = dashboard(&playground.config(), None).await;
    let client = &browser.client;

    // The overview lists both strategies.
    client.goto(&format!("{base}/")).await.unwrap();
    for strategy in [BLEND, GROWTH] {
        client.find(Locator::LinkText(strategy)).await.unwrap();
    }
    // Open the finished run from the overview; its orders are listed with their fills.
    let run_id = blend["id"].as_str().unwrap();
    client
        .find(Locator::LinkText(run_id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .until(
            "the run page",
            &format!("location.pathname === '/runs/{run_id}'"),
        )
        .await;
    let orders = client
        .find_all(Locator::Css("#orders tbody tr"))
        .await
        .unwrap();
    assert!(orders.len() >= 4, "{} order rows", orders.len());
    let text = client
        .find(Locator::Css("#orders"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("Filled"), "{text}");

    // A run of the other strategy finishes while its runs page is open: it shows up
    // without a navigation (the marker set before survives).
    client
        .goto(&format!("{base}/runs?strategy={GROWTH}"))
        .await
        .unwrap();
    browser
        .until(
            "live updates on",
            "document.getElementById('live').textContent.endsWith('on')",
        )
        .await;
    client
        .execute("window.stayed = true;", vec![])
        .await
        .unwrap();
    assert!(client.source().await.unwrap().contains("No runs."));
    playground.publish(GROWTH).await;
    browser
        .until(
            "the growth run succeeded, live",
            "window.stayed === true && document.querySelector('main table .state-succeeded') !== null",
        )
        .await;
    let updates = client
        .execute("return document.body.getAttribute('data-updates');", vec![])
        .await
        .unwrap();
    assert!(updates.as_str().is_some_and(|n| n != "0"), "{updates}");

    // On a phone's width the page does not scroll sideways: wide tables scroll in place.
    client.set_window_size(390, 844).await.unwrap();
    for path in [
        "/",
        &format!("/runs/{run_id}"),
        &format!("/strategies/{BLEND}"),
    ] {
        client.goto(&format!("{base}{path}")).await.unwrap();
        browser
            .until(
                &format!("{path} fitting a phone"),
                "document.documentElement.scrollWidth <= window.innerWidth + 1",
            )
            .await;
    }

    // A screenshot of the overview, for people (and the README).
    client.set_window_size(1280, 900).await.unwrap();
    client.goto(&format!("{base}/")).await.unwrap();
    let png = client.screenshot().await.unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "{} bytes",
        png.len()
    );
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dashboard-overview.png");
    std::fs::write(&shot, &png).unwrap();
    browser.client.close().await.unwrap();
    playground.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dashboard_hammered_then_killed_while_a_run_trades_leaves_the_run_untouched() {
    let playground = Playground::start().await;
    let (mut first, base) = dashboard(&playground.config(), Some("a-long-test-token")).await;
    let hammering = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let mut load = Vec::new();
    let answered = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // Eight loopback clients, each one request at a time: pages, the API, metrics, events.
    for n in 0..8 {
        let (base, hammering, answered) = (base.clone(), hammering.clone(), answered.clone());
        load.push(tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap();
            let paths = [
                "/",
                "/runs",
                "/api/status",
                "/metrics",
                "/api/runs?limit=500",
            ];
            let mut i = n;
            while hammering.load(std::sync::atomic::Ordering::Relaxed) {
                let path = paths[i % paths.len()];
                if http.get(format!("{base}{path}")).send().await.is_ok() {
                    answered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                i += 1;
            }
        }));
    }
    // The load is on before the event: fifty answers first.
    let started = Instant::now();
    while answered.load(std::sync::atomic::Ordering::Relaxed) < 50 {
        assert!(started.elapsed() < WAIT, "the dashboard does not answer");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    playground.publish(BLEND).await;
    // Kill the dashboard as soon as the first order reached the exchange.
    let started = Instant::now();
    while !playground.record().iter().any(|e| e["event"] == "placed") {
        assert!(started.elapsed() < WAIT, "no order was placed");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    first.kill().await.unwrap();
    let run = playground.finished(BLEND).await;
    hammering.store(false, std::sync::atomic::Ordering::Relaxed);
    for task in load {
        task.await.unwrap();
    }
    assert_eq!(run["state"], "succeeded", "{run}");
    // Every account's trades happened once: one placement per order id and client.
    let placed: Vec<(String, i64)> = playground
        .record()
        .iter()
        .filter(|e| e["event"] == "placed")
        .map(|e| {
            (
                e["account"].as_str().unwrap().to_string(),
                e["order_id"].as_i64().unwrap(),
            )
        })
        .collect();
    let unique: std::collections::BTreeSet<_> = placed.iter().cloned().collect();
    assert_eq!(unique.len(), placed.len(), "no order placed twice");
    let health = playground
        .until(json!({"request": "status"}), |_| true)
        .await;
    assert_eq!(health["healthy"], true, "{health}");
    // A new dashboard picks up where the killed one was.
    let (_second, base) = dashboard(&playground.config(), None).await;
    let runs: Value = reqwest::get(format!("{base}/api/runs?strategy={BLEND}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(runs["runs"][0]["id"], run["id"]);
    playground.stop().await;
}
