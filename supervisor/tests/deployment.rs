//! The deployment files: Dockerfile, docker-compose.yaml, .env.example and the systemd unit.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::path::{Path, PathBuf};

use serde_yaml::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(root().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn compose_runs_the_supervisor_beside_an_ib_gateway() {
    let compose: Value = serde_yaml::from_str(&read("docker-compose.yaml")).unwrap();
    let services = &compose["services"];
    let gateway = &services["ib-gateway"];
    assert!(
        gateway["image"]
            .as_str()
            .unwrap()
            .starts_with("ghcr.io/gnzsnz/ib-gateway")
    );
    let ports: Vec<&str> = gateway["ports"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        ports.iter().any(|p| p.ends_with(":4003")) && ports.iter().any(|p| p.ends_with(":4004")),
        "{ports:?}"
    );
    assert!(
        ports.iter().all(|p| p.starts_with("127.0.0.1:")),
        "gateway ports stay on loopback: {ports:?}"
    );
    let image = gateway["image"].as_str().unwrap();
    let tag = image.rsplit(':').next().unwrap();
    assert!(
        tag.starts_with("10.")
            && tag.split('.').nth(1).and_then(|m| m.parse::<u32>().ok()) >= Some(45),
        "a pinned IB Gateway 10.45 or later (API server version 223 ≥ the 213 ibapi needs): {image}"
    );
    let env = &gateway["environment"];
    assert_eq!(env["TRADING_MODE"], "${TRADING_MODE:-paper}");
    for (name, value) in [
        ("TWS_USERID", "${IB_USERNAME}"),
        ("TWS_PASSWORD", "${IB_PASSWORD}"),
        ("TWOFA_DEVICE", "IB Key"),
        ("TWOFA_TIMEOUT_ACTION", "restart"),
        ("RELOGIN_AFTER_TWOFA_TIMEOUT", "yes"),
        ("AUTO_RESTART_TIME", "${AUTO_RESTART_TIME:-10:00 PM}"),
        ("BYPASS_WARNING", "yes"),
        ("VNC_SERVER_PASSWORD", "${VNC_PASSWORD:-}"),
    ] {
        assert_eq!(env[name], value, "ib-gateway {name}");
    }

    let supervisor = &services["supervisor"];
    assert_eq!(supervisor["build"], ".");
    assert_eq!(supervisor["restart"], "unless-stopped");
    assert_eq!(supervisor["environment"]["GATEWAY_HOST"], "ib-gateway");
    assert_eq!(
        supervisor["environment"]["ALLOCATIONS_API_KEY"],
        "${ALLOCATIONS_API_KEY}"
    );
    for name in [
        "REALTIME_API_KEY",
        "REBALANCE_EVENT_SUBSCRIPTION_API_KEY",
        "ALLOCATIONS_BASE_URL",
        "LOG_LEVEL",
        "USER_NOTIFICATIONS_CHANNEL",
        "USER_NOTIFICATIONS_SERVER_URL",
    ] {
        assert_eq!(
            supervisor["environment"][name],
            format!("${{{name}:-}}"),
            "{name} passes through from .env when set"
        );
    }
    let volumes: Vec<&str> = supervisor["volumes"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for file in ["config.yaml", "accounts.yaml", "replacement-sets.yaml"] {
        assert!(
            volumes
                .iter()
                .any(|v| v.contains(file) && v.ends_with(":ro")),
            "{file} mounted read-only: {volumes:?}"
        );
    }
    assert!(
        volumes.contains(&"journal:/var/lib/rebalancer"),
        "{volumes:?}"
    );
    assert!(
        compose["volumes"]
            .as_mapping()
            .unwrap()
            .contains_key("journal")
    );
    let test: Vec<&str> = supervisor["healthcheck"]["test"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(test, ["CMD", "supervisor", "status", "--check"]);
}

#[test]
fn env_example_lists_every_secret_without_values() {
    let text = read(".env.example");
    for name in [
        "TRADING_MODE",
        "IB_USERNAME",
        "IB_PASSWORD",
        "REBALANCE_EVENT_SUBSCRIPTION_API_KEY",
        "ALLOCATIONS_API_KEY",
    ] {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{name}=")))
            .unwrap_or_else(|| panic!("{name} missing"));
        if name != "TRADING_MODE" {
            assert_eq!(line, format!("{name}="), "no value shipped for {name}");
        }
    }
    assert!(
        read(".gitignore").lines().any(|l| l == ".env"),
        ".env is never committed"
    );
}

#[test]
fn dockerfile_is_multi_stage_non_root_with_a_health_check() {
    let text = read("Dockerfile");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("FROM ")).count(),
        2,
        "build stage and runtime stage"
    );
    assert!(text.contains("cargo build --release --locked -p supervisor -p worker"));
    assert!(
        text.contains("/src/target/release/supervisor /src/target/release/worker /src/target/release/dashboard /usr/local/bin/")
    );
    assert!(text.lines().any(|l| l.trim() == "USER rebalancer"));
    assert!(
        text.contains("HEALTHCHECK") && text.contains(r#"CMD ["supervisor", "status", "--check"]"#)
    );
    assert!(text.contains(r#"VOLUME ["/var/lib/rebalancer"]"#));
}

fn unit_named(name: &str) -> Vec<(String, String)> {
    read(&format!("deploy/systemd/{name}"))
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains('='))
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

#[test]
fn systemd_unit_is_notify_with_watchdog_and_hardening() {
    let unit = unit_named("rebalancer-supervisor.service");
    let get = |key: &str| unit.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    assert_eq!(get("Type"), Some("notify"));
    assert!(get("WatchdogSec").is_some());
    assert_eq!(get("RuntimeDirectory"), Some("rebalancer"));
    assert_eq!(get("StateDirectory"), Some("rebalancer"));
    assert_eq!(
        get("EnvironmentFile"),
        Some("/etc/rebalancer/rebalancer.env")
    );
    for (key, value) in [
        ("NoNewPrivileges", "yes"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
    ] {
        assert_eq!(get(key), Some(value), "{key}");
    }
    assert_eq!(
        get("RestrictAddressFamilies"),
        Some("AF_UNIX AF_INET AF_INET6")
    );
    let default = trading_core::config::SupervisorSettings::default();
    assert_eq!(
        default.socket_path,
        Path::new("/run/rebalancer/supervisor.sock"),
        "socket inside RuntimeDirectory"
    );
    assert_eq!(
        default.journal_path,
        Path::new("/var/lib/rebalancer/journal.sqlite"),
        "journal inside StateDirectory"
    );
}

#[test]
fn systemd_analyze_verify_accepts_the_units() {
    let Ok(probe) = std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
    else {
        sim::external::missing(
            "systemd_analyze_verify_accepts_the_units",
            "systemd-analyze is not installed (Debian package `systemd`)",
        );
        return;
    };
    assert!(probe.status.success());
    for (name, binary, built) in [
        (
            "rebalancer-supervisor.service",
            "/usr/local/bin/supervisor",
            env!("CARGO_BIN_EXE_supervisor"),
        ),
        (
            "rebalancer-dashboard.service",
            "/usr/local/bin/dashboard",
            env!("CARGO_BIN_EXE_dashboard"),
        ),
    ] {
        // Verify a copy whose ExecStart points at the binary this build produced.
        let dir = tempfile::tempdir().unwrap();
        let text = read(&format!("deploy/systemd/{name}"))
            .replace(binary, built)
            .replace(
                "EnvironmentFile=/etc/rebalancer/rebalancer.env",
                "EnvironmentFile=-/etc/rebalancer/rebalancer.env",
            );
        let unit = dir.path().join(name);
        std::fs::write(&unit, text).unwrap();
        let out = std::process::Command::new("systemd-analyze")
            .args(["verify", "--man=no"])
            .arg(&unit)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let problems: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains(name))
            .filter(|l| !l.contains("User") && !l.contains("Group"))
            .collect();
        assert!(
            problems.is_empty(),
            "systemd-analyze verify {name}: {stderr}"
        );
    }
}

#[test]
fn the_dashboard_runs_apart_from_the_daemon_and_only_on_loopback() {
    let unit = unit_named("rebalancer-dashboard.service");
    let get = |key: &str| unit.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    assert_eq!(
        get("User"),
        Some("rebalancer"),
        "the daemon's user: it may use its socket"
    );
    assert_eq!(get("After"), Some("rebalancer-supervisor.service"));
    assert_eq!(get("Requires"), None, "its failure never stops the daemon");
    assert_eq!(get("ProtectSystem"), Some("strict"));
    assert_eq!(get("ReadWritePaths"), Some("/var/lib/rebalancer"));
    assert!(
        get("ExecStart")
            .unwrap()
            .starts_with("/usr/local/bin/dashboard ")
    );
    assert_eq!(
        trading_core::config::WebSettings::default()
            .listen
            .to_string(),
        "127.0.0.1:8640"
    );

    let compose: Value = serde_yaml::from_str(&read("docker-compose.yaml")).unwrap();
    let dashboard = &compose["services"]["dashboard"];
    assert_eq!(dashboard["entrypoint"][0], "dashboard");
    assert_eq!(
        dashboard["ports"][0], "127.0.0.1:8640:8640",
        "published on loopback only"
    );
    let volumes = |service: &Value| -> Vec<String> {
        service["volumes"]
            .as_sequence()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    for shared in ["journal:/var/lib/rebalancer", "control:/run/rebalancer"] {
        assert!(volumes(dashboard).iter().any(|v| v == shared), "{shared}");
        assert!(
            volumes(&compose["services"]["supervisor"])
                .iter()
                .any(|v| v == shared),
            "{shared}"
        );
    }
    assert!(read("Dockerfile").contains("/src/target/release/dashboard"));
    assert!(
        read(".env.example")
            .lines()
            .any(|l| l == "# REBALANCER_API_TOKEN="),
        "the token is documented, without a value"
    );
}
