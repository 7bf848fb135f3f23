//! The gateway probe against the simulator in each state a real IB Gateway gets into:
//! logged in, logged out, hung, restarting (connections refused), too old, logged in as
//! someone else. The probe speaks through the `ibapi` crate, not through our simulator's
//! own client code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::time::{Duration, Instant};

use sim::gateway::{GatewaySim, GatewayState, Scenario};
use supervisor::gateway::{PROBE_CLIENT_ID, probe};
use trading_core::config::GatewaySettings;
use trading_core::control::GatewayHealth;

fn scenario() -> Scenario {
    Scenario::default()
        .with_account("DU1111111", 10_000.0, &[])
        .with_account("DU2222222", 10_000.0, &[])
}

fn settings() -> GatewaySettings {
    GatewaySettings {
        connect_timeout: Duration::from_millis(500),
        request_timeout: Duration::from_millis(500),
        ..GatewaySettings::default()
    }
}

async fn probe_of(sim: &GatewaySim, traded: &[&str]) -> GatewayHealth {
    let traded: Vec<String> = traded.iter().map(|s| s.to_string()).collect();
    probe(&settings(), sim.addr().port(), PROBE_CLIENT_ID, &traded).await
}

#[tokio::test]
async fn each_gateway_state_is_told_apart() {
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    assert_eq!(
        probe_of(&sim, &["DU1111111", "DU2222222"]).await,
        GatewayHealth::Up {
            server_version: 226
        }
    );
    assert_eq!(
        probe_of(&sim, &["DU1111111", "DU9999999"]).await,
        GatewayHealth::AccountsMissing {
            accounts: vec!["DU9999999".into()]
        }
    );
    assert!(
        sim.wait_for_connections(0, Duration::from_secs(2)).await,
        "each probe closes its connection"
    );

    sim.set_state(GatewayState::LoggedOut);
    assert_eq!(
        probe_of(&sim, &["DU1111111"]).await,
        GatewayHealth::LoggedOut
    );

    sim.set_state(GatewayState::Hung);
    let started = Instant::now();
    assert_eq!(probe_of(&sim, &["DU1111111"]).await, GatewayHealth::Hung);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a hung gateway is given up on after the probe's timeouts"
    );

    sim.set_state(GatewayState::Up);
    assert!(matches!(
        probe_of(&sim, &["DU1111111"]).await,
        GatewayHealth::Up { .. }
    ));
}

#[tokio::test]
async fn a_restarting_gateway_refuses_connections_then_comes_back_on_the_same_port() {
    let sim = GatewaySim::start(&scenario(), 0).await.unwrap();
    let window = Duration::from_millis(1500);
    sim.restart(window).await;
    let restarted = Instant::now();
    match probe_of(&sim, &["DU1111111"]).await {
        GatewayHealth::Refused { reason } => {
            assert!(reason.to_lowercase().contains("refused"), "{reason}")
        }
        other => panic!("expected refused, got {other:?}"),
    }
    let deadline = restarted + window + Duration::from_secs(5);
    loop {
        let health = probe_of(&sim, &["DU1111111"]).await;
        if matches!(health, GatewayHealth::Up { .. }) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the gateway did not come back: {health:?}"
        );
        assert!(
            matches!(health, GatewayHealth::Refused { .. }),
            "{health:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        restarted.elapsed() >= window - Duration::from_millis(100),
        "refused for the whole window"
    );
}

#[tokio::test]
async fn an_old_gateway_is_too_old() {
    let mut old = scenario();
    old.faults.max_server_version = Some(178);
    let sim = GatewaySim::start(&old, 0).await.unwrap();
    assert!(matches!(
        probe_of(&sim, &["DU1111111"]).await,
        GatewayHealth::TooOld { found: 178, .. }
    ));
}
