//! The HTTP surface: every path of the 47 operations, the OAuth token
//! endpoint, and the middleware stack.
//!
//! Layering, outermost first: request/status counting → (matched routes
//! only) per-template counting and fault injection → (`/rest/*` only)
//! authentication → handler. Unmatched paths get a Thrive-shaped 404, wrong
//! methods a Thrive-shaped 405.

mod assignments;
mod audiences;
mod common;
mod completions;
mod content;
mod cpd;
mod provisioning;
mod tags;
mod users;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use crate::error::ApiError;
use crate::state::SandboxState;
use crate::{auth, faults, webhooks};

async fn not_found(State(state): State<SandboxState>, request: Request) -> Response {
    state.count_route(request.method().as_str(), "<unmatched>");
    ApiError::not_found(format!(
        "No route for {} {}",
        request.method(),
        request.uri().path()
    ))
    .into_response()
}

async fn method_not_allowed(request: Request) -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{} is not allowed on {}",
            request.method(),
            request.uri().path()
        ),
    )
    .into_response()
}

/// Outermost layer: total requests and responses per status.
async fn count_requests(
    State(state): State<SandboxState>,
    request: Request,
    next: Next,
) -> Response {
    state.stats_mut().total_requests += 1;
    let response = next.run(request).await;
    *state
        .stats_mut()
        .by_status
        .entry(response.status().as_u16())
        .or_default() += 1;
    response
}

/// The complete router for `state`.
pub(crate) fn router(state: SandboxState) -> Router {
    let rest = Router::new()
        .merge(users::routes())
        .merge(audiences::routes())
        .merge(assignments::routes())
        .merge(completions::routes())
        .merge(content::routes())
        .merge(cpd::routes())
        .merge(tags::routes())
        .merge(provisioning::routes())
        .route_layer(from_fn_with_state(state.clone(), webhooks::emit_layer))
        .route_layer(from_fn_with_state(state.clone(), auth::require_auth));
    Router::new()
        .merge(rest)
        .route("/oauth2/token/{tenantId}", post(auth::token_endpoint))
        .route_layer(from_fn_with_state(state.clone(), faults::gateway))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(state.clone(), count_requests))
        .with_state(state)
}
