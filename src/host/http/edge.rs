//! What every request passes before a handler: the bearer token
//! ([`bearer_matches`]), the answers for unknown routes and wrong methods,
//! and the request log line (method, path, status, time; never bodies).

use super::state::AppState;
use crate::error::{Error, ErrorCode};
use crate::host::server::refusal::Refusal;
use crate::host::server::token::bearer_matches;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

/// Requires `Authorization: Bearer <token>` when a token is configured.
pub(super) async fn require_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, Refusal> {
    match &state.token {
        Some(expected) if !bearer_matches(request.headers(), expected) => {
            Err(Refusal::failed_with_status(
                StatusCode::UNAUTHORIZED,
                Error::new(
                    ErrorCode::Unauthorized,
                    crate::host::server::refusal::TOKEN_REQUIRED,
                ),
            ))
        }
        _ => Ok(next.run(request).await),
    }
}

/// 401 when a token is configured and `headers` lack it: a caller without
/// the token learns neither which endpoints exist nor their methods.
pub(super) fn missing_token(state: &AppState, headers: &HeaderMap) -> Option<Refusal> {
    let expected = state.token.as_ref()?;
    (!bearer_matches(headers, expected)).then(Refusal::token_required)
}

pub(super) async fn no_route(State(state): State<AppState>, headers: HeaderMap) -> Refusal {
    if let Some(reject) = missing_token(&state, &headers) {
        return reject;
    }
    Refusal::failed_with_status(
        StatusCode::NOT_FOUND,
        Error::new(
            ErrorCode::NotFound,
            "no such endpoint; see GET /tools and /tools/{id}/{validate,dry-run,run}",
        ),
    )
}

pub(super) async fn wrong_method(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Refusal {
    if uri.path() != "/healthz"
        && let Some(reject) = missing_token(&state, &headers)
    {
        return reject;
    }
    Refusal::failed_with_status(
        StatusCode::METHOD_NOT_ALLOWED,
        Error::new(
            ErrorCode::BadRequest,
            "method not allowed: GET /healthz, /tools and /tools/{id}; POST /tools/{id}/validate, /dry-run and /run",
        ),
    )
}

/// Logs method, path, status and time; never headers or bodies.
pub(super) async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::debug!(%method, %path, status = response.status().as_u16(), elapsed = ?started.elapsed(), "http request");
    response
}
