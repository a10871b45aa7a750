//! The HTTP surface: every path of the 47 operations, the OAuth token
//! endpoint, and the middleware stack.
//!
//! Layering, outermost first: request/status counting → (matched routes
//! only) per-template counting and fault injection → (`/rest/*` only)
//! authentication → handler. Unmatched paths get a Thrive-shaped 404, wrong
//! methods a Thrive-shaped 405.

mod assignments;
mod audiences;
mod completions;
mod content;
mod cpd;
mod tags;
mod users;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::auth;
use crate::config::DeleteResponseMode;
use crate::error::ApiError;
use crate::faults;
use crate::state::SandboxState;

/// What handlers return.
pub(crate) type ApiResult = Result<Response, ApiError>;

/// `200` with a JSON body.
pub(crate) fn ok(body: Value) -> Response {
    (StatusCode::OK, Json(body)).into_response()
}

/// `201` with a JSON body (the sandbox's choice for creates).
pub(crate) fn created(body: Value) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}

/// Any status with a JSON body.
pub(crate) fn with_status(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

/// The success answer of delete-style calls, per
/// [`crate::SandboxConfig::delete_response`].
pub(crate) fn deleted(state: &SandboxState) -> Response {
    match state.shared.config.delete_response {
        DeleteResponseMode::JsonSuccess => ok(json!({ "success": true })),
        DeleteResponseMode::NoContent => StatusCode::NO_CONTENT.into_response(),
    }
}

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
        .merge(crate::webhooks::provisioning_routes())
        .route_layer(from_fn_with_state(
            state.clone(),
            crate::webhooks::emit_layer,
        ))
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
