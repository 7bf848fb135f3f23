//! One probe of the gateway: connect with the supervisor's own client id, read the server
//! version, the current time and the managed accounts, each with a short timeout, and
//! classify what was found.

use std::time::Duration;

use trading_core::broker::{Broker, BrokerError, IbkrBroker};
use trading_core::config::GatewaySettings;
use trading_core::control::GatewayHealth;

/// Longest wait for each step of a probe.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// What the gateway at `port` looks like to a client `client_id` that needs it to manage
/// `traded`.
pub async fn probe(
    settings: &GatewaySettings,
    port: u16,
    client_id: i32,
    traded: &[String],
) -> GatewayHealth {
    let quick = GatewaySettings {
        connect_timeout: settings.connect_timeout.min(PROBE_TIMEOUT),
        request_timeout: settings.request_timeout.min(PROBE_TIMEOUT),
        ..settings.clone()
    };
    let broker = match IbkrBroker::connect(&quick, port, client_id).await {
        Ok(broker) => broker,
        Err(err) => return classify(err),
    };
    let identity = broker.gateway_identity().await;
    broker.disconnect().await;
    match identity {
        Err(err) => classify(err),
        Ok((_, managed)) if managed.is_empty() => GatewayHealth::LoggedOut,
        Ok((server_version, managed)) => {
            let accounts: Vec<String> = traded
                .iter()
                .filter(|a| !managed.contains(a))
                .cloned()
                .collect();
            if accounts.is_empty() {
                GatewayHealth::Up { server_version }
            } else {
                GatewayHealth::AccountsMissing { accounts }
            }
        }
    }
}

/// The state a failed step shows.
fn classify(err: BrokerError) -> GatewayHealth {
    match err {
        BrokerError::Timeout { .. } => GatewayHealth::Hung,
        BrokerError::Connect { reason, .. } => GatewayHealth::Refused { reason },
        BrokerError::GatewayTooOld { found, needed, .. } => GatewayHealth::TooOld { found, needed },
        other => GatewayHealth::Failing {
            reason: other.to_string(),
        },
    }
}
