//! The dashboard: HTML pages, a JSON API and a health check over HTTP, served by a process
//! of its own (`dashboard`), never by the daemon. It reads the journal read-only (SQLite
//! readers never block the daemon's writes) and asks the daemon over the control socket for
//! live state and actions, so a bug, a slow client or an attack on the web layer cannot
//! touch trading.
//!
//! - [`views`]: what is shown, gathered from the journal and the daemon.
//! - [`api`]: the JSON endpoints; [`actions`]: the POST endpoints, behind [`auth`]'s token.
//! - [`pages`]: the server-rendered pages (maud), with their CSS and script embedded.
//! - [`live`]: the daemon's live events as Server-Sent Events, which the pages follow.
//! - [`metrics`]: `/metrics` in Prometheus text format; [`openapi`]: the API's document.

pub mod actions;
pub mod api;
pub mod auth;
pub mod live;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod views;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use trading_core::control::{Request, Response as Answer};

use crate::journal::{Journal, JournalError};
use auth::ApiToken;

/// Largest request body accepted (the actions take small JSON objects).
pub const MAX_BODY_BYTES: usize = 4096;

/// What every handler shares.
pub struct WebState {
    /// The journal, opened read-only.
    pub journal: Journal,
    /// The daemon's control socket.
    pub socket: PathBuf,
    /// The action token; actions are disabled without one.
    pub token: Option<ApiToken>,
    /// Live streams still to be handed out (at most [`live::MAX_STREAMS`] at once).
    pub streams: Arc<tokio::sync::Semaphore>,
}

impl WebState {
    /// The state of a dashboard on `journal` and the daemon at `socket`.
    pub fn new(journal: Journal, socket: PathBuf, token: Option<ApiToken>) -> Self {
        Self {
            journal,
            socket,
            token,
            streams: Arc::new(tokio::sync::Semaphore::new(live::MAX_STREAMS)),
        }
    }

    /// Sends `request` to the daemon; its refusal is [`WebError::Refused`].
    pub async fn ask(&self, request: &Request) -> Result<Answer, WebError> {
        match crate::commands::client::exchange(&self.socket, request).await {
            Ok(Answer::Error { message }) => Err(WebError::Refused(message)),
            Ok(answer) => Ok(answer),
            Err(e) => Err(WebError::Unavailable(format!("{e:#}"))),
        }
    }
}

/// Why a request failed, as an HTTP status and a message.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No such run or strategy.
    #[error("{0}")]
    NotFound(String),
    /// The request is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// No or a wrong bearer token.
    #[error("this action needs `Authorization: Bearer <REBALANCER_API_TOKEN>`")]
    Unauthorized,
    /// Actions are disabled (no token configured).
    #[error("actions are disabled: set REBALANCER_API_TOKEN for the dashboard to enable them")]
    ActionsDisabled,
    /// The daemon is not reachable.
    #[error("{0}")]
    Unavailable(String),
    /// The daemon refused the request.
    #[error("the supervisor refused: {0}")]
    Refused(String),
    /// The journal failed.
    #[error(transparent)]
    Journal(#[from] JournalError),
}

impl WebError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::ActionsDisabled => StatusCode::FORBIDDEN,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Refused(_) => StatusCode::CONFLICT,
            Self::Journal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (
            status,
            axum::Json(serde_json::json!({"error": self.to_string()})),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// Every route: pages, the JSON API, actions and the health check, with bodies limited to
/// [`MAX_BODY_BYTES`] and cross-origin calls allowed only from `cors_origin`.
pub fn router(state: Arc<WebState>, cors_origin: Option<&str>) -> Router {
    let router = pages::routes()
        .merge(api::routes())
        .merge(actions::routes())
        .merge(live::routes())
        .merge(metrics::routes())
        .merge(openapi::routes())
        .route("/healthz", axum::routing::get(healthz))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state);
    match cors_origin.and_then(|o| o.trim_end_matches('/').parse().ok()) {
        Some(origin) => router.layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin::<axum::http::HeaderValue>(origin)
                .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
                .allow_headers([
                    axum::http::header::AUTHORIZATION,
                    axum::http::header::CONTENT_TYPE,
                ]),
        ),
        None => router,
    }
}

/// `/healthz`: 200 while the dashboard can read the journal, 503 when it cannot.
async fn healthz(axum::extract::State(state): axum::extract::State<Arc<WebState>>) -> Response {
    match state
        .journal
        .call(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?))
        .await
    {
        Ok(_) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("journal: {e}\n")).into_response(),
    }
}
