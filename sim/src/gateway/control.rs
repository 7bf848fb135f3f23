//! The gateway simulator's control endpoint: a small HTTP API on 127.0.0.1 through which a
//! test or a person switches the gateway's state, injects faults and reads what it holds.
//!
//! | method | path | body | does |
//! |---|---|---|---|
//! | GET | `/state` | | state, connected client ids, each account's cash, settled cash, net liquidation and positions, order and execution counts |
//! | PUT | `/state` | `{"state": "up" \| "logged_out" \| "hung"}` | switches the gateway's state |
//! | POST | `/restart` | `{"seconds": 5}` | closes every connection and refuses new ones for that long |
//! | PUT | `/market` | `{"open": false}` | opens or closes the market |
//! | PUT | `/halts/{symbol}` | `{"halted": true}` | halts or resumes a symbol |
//! | PUT | `/quotes/{symbol}` | `{"bid": 99.9, "ask": 100.1}` | sets a quote |
//! | PUT | `/position-lag` | `{"ms": 5000}` | makes reported positions and cash lag fills |
//! | GET | `/orders` | | every order received, with its state now |

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, response::IntoResponse};
use serde::Deserialize;
use serde_json::{Value, json};

use super::scenario::QuoteSeed;
use super::{GatewaySim, GatewayState};

/// Serves the control API for `sim` on 127.0.0.1:`port` (0 picks one); returns the address.
pub async fn serve(sim: Arc<GatewaySim>, port: u16) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let app = Router::new()
        .route("/state", get(state).put(set_state))
        .route("/restart", post(restart))
        .route("/market", put(market))
        .route("/halts/{symbol}", put(halt))
        .route("/quotes/{symbol}", put(quote))
        .route("/position-lag", put(position_lag))
        .route("/orders", get(orders))
        .with_state(sim);
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            eprintln!("gateway simulator control: {err}");
        }
    });
    Ok(addr)
}

type Sim = State<Arc<GatewaySim>>;

fn state_name(state: GatewayState) -> &'static str {
    match state {
        GatewayState::Up => "up",
        GatewayState::LoggedOut => "logged_out",
        GatewayState::Hung => "hung",
    }
}

async fn state(State(sim): Sim) -> Json<Value> {
    let accounts: serde_json::Map<String, Value> = sim
        .account_ids()
        .into_iter()
        .map(|id| {
            let view = json!({
                "cash": sim.cash(&id),
                "settled_cash": sim.settled_cash(&id),
                "net_liquidation": sim.net_liquidation(&id),
                "positions": sim.positions(&id),
            });
            (id, view)
        })
        .collect();
    Json(json!({
        "state": state_name(sim.state()),
        "connections": sim.connections().iter().map(|c| c.client_id).collect::<Vec<_>>(),
        "accounts": accounts,
        "orders": sim.orders().len(),
        "executions": sim.executions().len(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetState {
    state: String,
}

async fn set_state(State(sim): Sim, Json(body): Json<SetState>) -> impl IntoResponse {
    let state = match body.state.as_str() {
        "up" => GatewayState::Up,
        "logged_out" => GatewayState::LoggedOut,
        "hung" => GatewayState::Hung,
        other => {
            return (
                StatusCode::BAD_REQUEST,
                format!("unknown state `{other}`: expected up, logged_out or hung"),
            );
        }
    };
    sim.set_state(state);
    (StatusCode::OK, state_name(state).to_string())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Restart {
    seconds: f64,
}

async fn restart(State(sim): Sim, Json(body): Json<Restart>) -> impl IntoResponse {
    match Duration::try_from_secs_f64(body.seconds) {
        Ok(window) => {
            sim.restart(window).await;
            (StatusCode::OK, format!("restarting for {window:?}"))
        }
        Err(_) => (
            StatusCode::BAD_REQUEST,
            "seconds must be a number ≥ 0".to_string(),
        ),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Market {
    open: bool,
}

async fn market(State(sim): Sim, Json(body): Json<Market>) -> StatusCode {
    sim.set_market_open(body.open);
    StatusCode::OK
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Halt {
    halted: bool,
}

async fn halt(State(sim): Sim, Path(symbol): Path<String>, Json(body): Json<Halt>) -> StatusCode {
    sim.set_halted(&symbol, body.halted);
    StatusCode::OK
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Quote {
    bid: f64,
    ask: f64,
}

async fn quote(
    State(sim): Sim,
    Path(symbol): Path<String>,
    Json(body): Json<Quote>,
) -> impl IntoResponse {
    if !(body.bid > 0.0 && body.ask >= body.bid) {
        return (StatusCode::BAD_REQUEST, "need 0 < bid ≤ ask".to_string());
    }
    sim.set_quote(
        &symbol,
        QuoteSeed {
            bid: body.bid,
            ask: body.ask,
            last: Some((body.bid + body.ask) / 2.0),
        },
    );
    (StatusCode::OK, symbol)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PositionLag {
    ms: u64,
}

async fn position_lag(State(sim): Sim, Json(body): Json<PositionLag>) -> StatusCode {
    sim.set_position_lag(Duration::from_millis(body.ms));
    StatusCode::OK
}

async fn orders(State(sim): Sim) -> Json<Value> {
    Json(Value::Array(
        sim.orders().iter().map(super::record::order).collect(),
    ))
}
