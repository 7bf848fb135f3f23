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
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunsQuery {
    /// Only this strategy's runs.
    pub strategy: Option<String>,
    /// Only runs in this state (`running`, `failed`, ...).
    pub state: Option<String>,
    /// At most this many [default: 50, at most 500].
    pub limit: Option<u32>,
}

/// The API's read routes.
pub fn routes() -> Router<Arc<WebState>> {
    Router::new()
        .route("/api/status", get(status))
        .route("/api/runs", get(runs))
        .route("/api/runs/{id}", get(run))
        .route("/api/strategies/{name}", get(strategy))
}

async fn status(State(state): State<Arc<WebState>>) -> Result<Json<Value>, WebError> {
    Ok(Json(json!(views::status(&state).await?)))
}

async fn runs(
    State(state): State<Arc<WebState>>,
    Query(query): Query<RunsQuery>,
) -> Result<Json<Value>, WebError> {
    let runs = views::runs(&state, query.strategy, query.state.as_deref(), query.limit).await?;
    Ok(Json(json!({ "runs": runs })))
}

async fn run(
    State(state): State<Arc<WebState>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    Ok(Json(json!(views::run(&state, &id).await?)))
}

async fn strategy(
    State(state): State<Arc<WebState>>,
    Path(name): Path<String>,
) -> Result<Json<Value>, WebError> {
    Ok(Json(json!(views::strategy(&state, &name).await?)))
}
