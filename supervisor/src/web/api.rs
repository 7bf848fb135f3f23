//! The JSON API: `/api/status`, `/api/runs`, `/api/runs/{id}` and
//! `/api/strategies/{name}`, the same views the pages render.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{WebError, WebState, views};

/// The filters of a runs list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RunsQuery {
    /// Only this strategy's runs.
    pub strategy: Option<String>,
    /// Only runs in this state (`running`, `failed`, ...).
    pub state: Option<String>,
    /// At most this many [default: 50, at most 500].
    pub limit: Option<u32>,
}

/// The body of `/api/runs`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RunsList {
    /// Newest first.
    pub runs: Vec<trading_core::control::RunSummary>,
}

/// The API's read routes.
pub fn routes() -> Router<Arc<WebState>> {
    Router::new()
        .route("/api/status", get(status))
        .route("/api/runs", get(runs))
        .route("/api/runs/{id}", get(run))
        .route("/api/strategies/{name}", get(strategy))
}

/// The daemon's health, links and strategies.
#[utoipa::path(get, path = "/api/status", tag = "read",
    responses((status = 200, body = trading_core::control::StatusReport), (status = 503, description = "the supervisor is not reachable")))]
pub async fn status(State(state): State<Arc<WebState>>) -> Result<Json<Value>, WebError> {
    Ok(Json(json!(views::status(&state).await?)))
}

/// Recent runs, newest first: `{"runs": [...]}`.
#[utoipa::path(get, path = "/api/runs", tag = "read", params(RunsQuery),
    responses((status = 200, body = RunsList), (status = 400, description = "an unknown state or parameter")))]
pub async fn runs(
    State(state): State<Arc<WebState>>,
    Query(query): Query<RunsQuery>,
) -> Result<Json<Value>, WebError> {
    let runs = views::runs(&state, query.strategy, query.state.as_deref(), query.limit).await?;
    Ok(Json(json!(RunsList { runs })))
}

/// One run: its accounts, targets, outcomes, orders and attempts.
#[utoipa::path(get, path = "/api/runs/{id}", tag = "read", params(("id" = String, Path, description = "run id")),
    responses((status = 200, body = views::RunView), (status = 404, description = "no such run")))]
pub async fn run(
    State(state): State<Arc<WebState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    Ok(Json(json!(views::run(&state, &id).await?)))
}

/// One strategy: its targets, accounts (from their latest snapshots) and recent runs.
#[utoipa::path(get, path = "/api/strategies/{name}", tag = "read", params(("name" = String, Path, description = "strategy (channel) name")),
    responses((status = 200, body = views::StrategyView), (status = 404, description = "no such strategy")))]
pub async fn strategy(
    State(state): State<Arc<WebState>>,
    Path(name): Path<String>,
) -> Result<Json<Value>, WebError> {
    Ok(Json(json!(views::strategy(&state, &name).await?)))
}
