//! `/api/openapi.json`: the JSON API described as OpenAPI 3.1, generated from the handlers'
//! annotations and the types they answer with.

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use super::{WebState, actions, api};

/// The API document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "IBKR strategy rebalancer dashboard",
        description = "Read the supervisor's state and runs; act on them with a bearer token (REBALANCER_API_TOKEN)."
    ),
    paths(
        api::status, api::runs, api::run, api::strategy,
        actions::trigger, actions::retry, actions::cancel, actions::pause, actions::resume
    ),
    modifiers(&BearerToken)
)]
pub struct ApiDoc;

/// Declares the bearer scheme the actions name.
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document's route.
pub fn routes() -> Router<Arc<WebState>> {
    Router::new().route(
        "/api/openapi.json",
        get(|| async { Json(ApiDoc::openapi()) }),
    )
}
