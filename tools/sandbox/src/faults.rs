//! Fault injection and per-route counting: the "gateway" in front of the
//! handlers. What to inject is decided by the fault plan (`fault_plan`).
//!
//! Faults apply to `/rest/*` (and to the token endpoint when
//! [`crate::SandboxConfig::faults_on_token_endpoint`] is set). For each such
//! request, in order: one queued [`crate::OneShotFault`] if any, else the rate-based
//! rolls of [`crate::Faults`] (drop, then 429, then 5xx). Latency is added before
//! the outcome; a slow body is applied to responses that got through. Failed
//! requests never reach authentication or the handlers, so they change no
//! state.
//!
//! A dropped request makes the connection task close the socket without
//! writing a byte (see `server.rs`), which a client sees as an empty reply or
//! a reset.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Notify;

use crate::fault_plan::{Decision, server_error};
use crate::state::SandboxState;

/// Lets a request ask its connection task to close the socket at once.
/// The server puts one in every request's extensions.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConnControl(Arc<Notify>);

impl ConnControl {
    /// Asks the connection task to drop the connection.
    pub(crate) fn drop_connection(&self) {
        self.0.notify_one();
    }

    /// Resolves once a request asked for the connection to be dropped.
    pub(crate) async fn dropped(&self) {
        self.0.notified().await;
    }
}

/// Route-level middleware: counts the request under its path template, then
/// applies faults.
pub(crate) async fn gateway(
    State(state): State<SandboxState>,
    request: Request,
    next: Next,
) -> Response {
    let template = request.extensions().get::<MatchedPath>().map_or_else(
        || request.uri().path().to_owned(),
        |m| m.as_str().to_owned(),
    );
    state.count_route(request.method().as_str(), &template);
    let path = request.uri().path();
    let applies = path.starts_with("/rest/")
        || (path.starts_with("/oauth2/") && state.shared.config.faults_on_token_endpoint);
    if !applies {
        return next.run(request).await;
    }
    let (faults, decision) = {
        let mut f = state.faults_mut();
        let decision = f.decide();
        (f.faults, decision)
    };
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    match decision {
        Decision::Pass => {}
        Decision::Fail(error) => {
            {
                let mut stats = state.stats_mut();
                if error.status() == StatusCode::TOO_MANY_REQUESTS {
                    stats.injected_429 += 1;
                } else if error.status().is_server_error() {
                    stats.injected_5xx += 1;
                }
            }
            tracing::debug!(status = %error.status(), %template, "sandbox: injected failure");
            return error.into_response();
        }
        Decision::Drop => {
            state.stats_mut().injected_drops += 1;
            tracing::debug!(%template, "sandbox: dropping connection");
            if let Some(control) = request.extensions().get::<ConnControl>().cloned() {
                control.drop_connection();
                // The connection task drops this future with the connection.
                std::future::pending::<()>().await;
            }
            // Served outside the sandbox's own accept loop: nothing to drop.
            return server_error(502).into_response();
        }
    }
    let response = next.run(request).await;
    if faults.slow_body_ms > 0 {
        slow_body(response, faults.slow_body_ms).await
    } else {
        response
    }
}

/// Re-sends a response body in up to 8 chunks, pausing before each so the
/// pauses add up to about `total_ms`. `Content-Length` is kept.
async fn slow_body(response: Response, total_ms: u64) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(_) => return server_error(500).into_response(),
    };
    if bytes.is_empty() {
        return Response::from_parts(parts, Body::empty());
    }
    let pieces = bytes.len().min(8);
    let size = bytes.len().div_ceil(pieces);
    let chunks: Vec<Bytes> = (0..bytes.len())
        .step_by(size)
        .map(|start| bytes.slice(start..(start + size).min(bytes.len())))
        .collect();
    let delay = Duration::from_millis(total_ms / chunks.len() as u64);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let stream = futures_util::stream::unfold(chunks.into_iter(), move |mut rest| async move {
        let chunk = rest.next()?;
        tokio::time::sleep(delay).await;
        Some((Ok::<Bytes, std::io::Error>(chunk), rest))
    });
    Response::from_parts(parts, Body::from_stream(stream))
}
