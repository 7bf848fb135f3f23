//! The actions, as POST endpoints forwarded to the daemon: trigger, retry, cancel, pause
//! and resume. Each needs `Authorization: Bearer <REBALANCER_API_TOKEN>`; with no token
//! configured they are disabled. Bodies are small JSON objects (or empty).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use trading_core::control::{Request, Response as Answer};

use super::{WebError, WebState};

/// The body of a trigger: what `supervisor trigger` takes.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[derive(utoipa::ToSchema)]
pub struct TriggerBody {
    /// `rebalance` (the default) or another worker command.
    pub command: Option<trading_core::protocol::Command>,
    /// Only these accounts (empty: all of the strategy's).
    pub accounts: Vec<String>,
    /// Wait for the next session's open instead of running now.
    pub at_open: bool,
    /// Skip the weight-drop guard once: a person confirms the targets.
    pub confirm_targets: bool,
}

/// The body of a pause or resume.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[derive(utoipa::ToSchema)]
pub struct StrategyBody {
    /// The strategy [default: all].
    pub strategy: Option<String>,
}

/// The action routes.
pub fn routes() -> Router<Arc<WebState>> {
    Router::new()
        .route("/api/strategies/{name}/trigger", post(trigger))
        .route("/api/runs/{id}/retry", post(retry))
        .route("/api/runs/{id}/cancel", post(cancel))
        .route("/api/pause", post(pause))
        .route("/api/resume", post(resume))
}

/// Refuses the request unless actions are enabled and it carries the token.
fn authorize(state: &WebState, headers: &HeaderMap) -> Result<(), WebError> {
    match &state.token {
        None => Err(WebError::ActionsDisabled),
        Some(token) if token.admits(headers) => Ok(()),
        Some(_) => Err(WebError::Unauthorized),
    }
}

/// An empty body as the default, anything else as JSON `T`.
fn body<T: DeserializeOwned + Default>(bytes: &Bytes) -> Result<T, WebError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes).map_err(|e| WebError::BadRequest(format!("body: {e}")))
}

/// The daemon's answer as JSON: 202 for a run accepted, 200 otherwise.
fn answered(answer: Answer) -> (StatusCode, Json<Value>) {
    let status = match answer {
        Answer::Accepted { .. } => StatusCode::ACCEPTED,
        _ => StatusCode::OK,
    };
    (status, Json(json!(answer)))
}

/// Fails with `NotFound` unless the journal holds run `id`.
async fn known_run(state: &WebState, id: &str) -> Result<(), WebError> {
    match state.journal.run(id).await? {
        Some(_) => Ok(()),
        None => Err(WebError::NotFound(format!("no run `{id}`"))),
    }
}

/// Starts a run of the strategy by hand (coalesced like an event).
#[utoipa::path(post, path = "/api/strategies/{name}/trigger", tag = "actions", security(("bearer" = [])),
    params(("name" = String, Path, description = "strategy")), request_body(content = Option<TriggerBody>),
    responses((status = 202, body = trading_core::control::Response, description = "`accepted`: the run created or joined"),
        (status = 401, description = "no or a wrong token"), (status = 403, description = "actions are disabled"),
        (status = 409, description = "the supervisor refused"), (status = 413, description = "body over 4 KiB")))]
pub async fn trigger(
    State(state): State<Arc<WebState>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Value>), WebError> {
    authorize(&state, &headers)?;
    let body: TriggerBody = body(&bytes)?;
    let request = Request::Trigger {
        strategy: name,
        command: body
            .command
            .unwrap_or(trading_core::protocol::Command::Rebalance),
        accounts: body.accounts,
        at_open: body.at_open,
        confirm_targets: body.confirm_targets,
    };
    Ok(answered(state.ask(&request).await?))
}

/// Runs a finished run's failed accounts again.
#[utoipa::path(post, path = "/api/runs/{id}/retry", tag = "actions", security(("bearer" = [])),
    params(("id" = String, Path, description = "run id")),
    responses((status = 202, body = trading_core::control::Response, description = "`accepted`"), (status = 401), (status = 403),
        (status = 404, description = "no such run"), (status = 409, description = "the supervisor refused")))]
pub async fn retry(
    State(state): State<Arc<WebState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<(StatusCode, Json<Value>), WebError> {
    on_run(&state, &headers, id, |id| Request::Retry { id }).await
}

/// Stops a running run or drops a queued one.
#[utoipa::path(post, path = "/api/runs/{id}/cancel", tag = "actions", security(("bearer" = [])),
    params(("id" = String, Path, description = "run id")),
    responses((status = 200, body = trading_core::control::Response, description = "`cancelled`"), (status = 401), (status = 403),
        (status = 404, description = "no such run"), (status = 409, description = "the supervisor refused")))]
pub async fn cancel(
    State(state): State<Arc<WebState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<(StatusCode, Json<Value>), WebError> {
    on_run(&state, &headers, id, |id| Request::Cancel { id }).await
}

/// A retry or cancel: the token, then the run (404 when the journal has none), to the
/// daemon.
async fn on_run(
    state: &WebState,
    headers: &HeaderMap,
    id: String,
    request: fn(String) -> Request,
) -> Result<(StatusCode, Json<Value>), WebError> {
    authorize(state, headers)?;
    known_run(state, &id).await?;
    Ok(answered(state.ask(&request(id)).await?))
}

/// Holds new runs of a strategy (or of all).
#[utoipa::path(post, path = "/api/pause", tag = "actions", security(("bearer" = [])), request_body(content = Option<StrategyBody>),
    responses((status = 200, body = trading_core::control::Response, description = "`paused`"), (status = 401), (status = 403)))]
pub async fn pause(
    State(state): State<Arc<WebState>>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Value>), WebError> {
    on_strategy(&state, &headers, &bytes, |strategy| Request::Pause {
        strategy,
    })
    .await
}

/// Releases a paused strategy (or all) and its held runs.
#[utoipa::path(post, path = "/api/resume", tag = "actions", security(("bearer" = [])), request_body(content = Option<StrategyBody>),
    responses((status = 200, body = trading_core::control::Response, description = "`paused`, with what was released"), (status = 401), (status = 403)))]
pub async fn resume(
    State(state): State<Arc<WebState>>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<(StatusCode, Json<Value>), WebError> {
    on_strategy(&state, &headers, &bytes, |strategy| Request::Resume {
        strategy,
    })
    .await
}

/// A pause or resume: the token, then the strategy of the body, if any, to the daemon.
async fn on_strategy(
    state: &WebState,
    headers: &HeaderMap,
    bytes: &Bytes,
    request: fn(Option<String>) -> Request,
) -> Result<(StatusCode, Json<Value>), WebError> {
    authorize(state, headers)?;
    let StrategyBody { strategy } = body(bytes)?;
    Ok(answered(state.ask(&request(strategy)).await?))
}
