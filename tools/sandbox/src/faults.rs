//! Fault injection and per-route counting: the "gateway" in front of the
//! handlers.
//!
//! Faults apply to `/rest/*` (and to the token endpoint when
//! [`crate::SandboxConfig::faults_on_token_endpoint`] is set). For each such
//! request, in order: one queued [`OneShotFault`] if any, else the rate-based
//! rolls of [`Faults`] (drop, then 429, then 5xx). Latency is added before
//! the outcome; a slow body is applied to responses that got through. Failed
//! requests never reach authentication or the handlers, so they change no
//! state.
//!
//! A dropped request makes the connection task close the socket without
//! writing a byte (see `server.rs`), which a client sees as an empty reply or
//! a reset.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Notify;

use crate::config::Faults;
use crate::error::ApiError;
use crate::rng::Rng;
use crate::state::SandboxState;

/// A fault for exactly one upcoming affected request, queued with
/// [`crate::Sandbox::queue_faults`]. Queued faults are used before the
/// rate-based ones and do not consume the random stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OneShotFault {
    /// `429 Too Many Requests` with `Retry-After: <secs>`.
    TooManyRequests {
        /// The `Retry-After` value in seconds.
        retry_after_secs: u64,
    },
    /// An error answer with this status (e.g. 500, 502, 503) and the Thrive
    /// error body.
    Status(u16),
    /// Close the connection without a response.
    Drop,
}

/// What the gateway does with one request.
#[derive(Clone, Debug)]
pub(crate) enum Decision {
    /// Handle normally.
    Pass,
    /// Answer with this injected error.
    Fail(ApiError),
    /// Close the connection without a response.
    Drop,
}

/// The live fault settings, their random stream and the one-shot queue.
#[derive(Debug)]
pub(crate) struct FaultState {
    pub faults: Faults,
    rng: Rng,
    queue: VecDeque<OneShotFault>,
}

fn too_many(retry_after_secs: u64) -> ApiError {
    let value = HeaderValue::from_str(&retry_after_secs.to_string())
        .unwrap_or_else(|_| HeaderValue::from_static("1"));
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!("Rate limit exceeded; retry after {retry_after_secs} second(s)"),
    )
    .with_header(header::RETRY_AFTER, value)
}

fn server_error(status: u16) -> ApiError {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    ApiError::new(
        code,
        format!(
            "{} (injected by the sandbox)",
            crate::error::reason_phrase(code.as_u16())
        ),
    )
}

impl FaultState {
    /// Settings `faults`, random stream from `seed`.
    pub(crate) fn new(faults: Faults, seed: u64) -> Self {
        FaultState {
            faults,
            rng: Rng::new(seed, 0xFA17),
            queue: VecDeque::new(),
        }
    }

    /// Queues one-shot faults.
    pub(crate) fn enqueue(&mut self, faults: impl IntoIterator<Item = OneShotFault>) {
        self.queue.extend(faults);
    }

    /// Forgets queued one-shot faults.
    pub(crate) fn clear_queue(&mut self) {
        self.queue.clear();
    }

    /// Decides the fate of one affected request.
    pub(crate) fn decide(&mut self) -> Decision {
        if let Some(one) = self.queue.pop_front() {
            return match one {
                OneShotFault::TooManyRequests { retry_after_secs } => {
                    Decision::Fail(too_many(retry_after_secs))
                }
                OneShotFault::Status(code) => Decision::Fail(server_error(code)),
                OneShotFault::Drop => Decision::Drop,
            };
        }
        let f = self.faults;
        if self.rng.chance(f.rate_drop) {
            return Decision::Drop;
        }
        if self.rng.chance(f.rate_429) {
            return Decision::Fail(too_many(f.retry_after_secs));
        }
        if self.rng.chance(f.rate_5xx) {
            let code = *self.rng.pick(&[500u16, 502, 503]);
            return Decision::Fail(server_error(code));
        }
        Decision::Pass
    }
}

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
