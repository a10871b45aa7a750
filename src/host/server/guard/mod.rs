//! Request checks of the block server that protect the tenant from other
//! web pages and from slow or oversized requests.
//!
//! In this order, before a route runs:
//!
//! 1. **`Host`** must be given exactly once, in visible ASCII (400, code
//!    `bad_request`, otherwise: a missing, unreadable or repeated `Host` is
//!    refused, HTTP/1.0 and loopback clients included), and must name this
//!    server: `localhost` (or a `*.localhost` name), a loopback address,
//!    the address the connection was accepted on, or a name the operator
//!    allows ([`Access::allowed_hosts`]; `*` allows any). An absolute
//!    request URI's authority must pass the same check. A page that rebinds
//!    its own DNS name to `127.0.0.1` sends its own name and is refused
//!    (403, code `forbidden`).
//! 2. **`Origin`**, when a browser sends one, must be the server's own
//!    origin (same scheme, host and port as the `Host` it asked for: the
//!    playground is same-origin) or one the operator allows
//!    ([`Access::allowed_origins`]; `*` allows any). A browser request
//!    marked `Sec-Fetch-Site: cross-site` without an `Origin` is refused
//!    too (403, code `forbidden`). Allowed foreign origins get CORS answers.
//! 3. A declared `Content-Length` over the body limit is refused with 413
//!    at once, before any `100 Continue`.
//! 4. The body is read whole before a route runs, within
//!    [`Access::body_timeout`] plus a second per [`Access::min_body_rate`]
//!    bytes (declared, or received so far for a chunked body). A body that
//!    does not arrive in time is answered 408 (code `timeout`, `delivery`
//!    `not_sent`: nothing was run) and its connection closed; a chunked body
//!    over the limit is answered 413 like a declared one.
//! 5. Each request has a deadline ([`Access::request_timeout`]) from its
//!    body's last byte: past it, the answer is 504 (code `timeout`) and the
//!    step is dropped. On the routes that call Thrive (a run, a dropdown's
//!    options, MCP) the step may have sent its request (`delivery`
//!    `sent_no_answer`, not retryable); elsewhere nothing was sent.
//!
//! Then, on the routes that take a body, after the bearer token (so a
//! caller without the token learns nothing more): the body must be declared
//! `Content-Type: application/json` (415 otherwise: a web page can send
//! `text/plain` across origins without asking, but not JSON). And at most
//! [`Access::max_runs`] runs execute at once; more are answered 503 (code
//! `unavailable`, `Retry-After: 1`).

use crate::error::{Delivery, Error, ErrorCode};
use crate::host::server::conn::{ConnInfo, Stopping, busy};
use crate::host::server::refusal::Refusal;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

mod access;
mod body;
mod names;

pub use access::Access;

#[cfg(any(feature = "mcp", test))]
pub(crate) use body::is_json;
pub use body::{BodyProblem, read_body, require_json};
use body::{content_length, refuse, too_large};
use names::{Allowed, fetch_site, host_problem, referer_origin, request_hosts, strip_port};

/// The checks with their state, shared by the middleware.
#[derive(Debug)]
pub struct Guard {
    access: Access,
    allowed: Allowed,
    runs: Arc<Semaphore>,
}

impl Guard {
    /// The guard for `access`.
    pub fn new(access: Access) -> Arc<Self> {
        let allowed = Allowed::new(&access.allowed_hosts, &access.allowed_origins);
        let runs = Arc::new(Semaphore::new(access.max_runs.max(1)));
        Arc::new(Self {
            access,
            allowed,
            runs,
        })
    }

    /// The CORS layer for the allowed foreign origins, if any are allowed.
    pub fn cors(&self) -> Option<tower_http::cors::CorsLayer> {
        self.allowed.cors()
    }
}

/// Whether the request shows it comes from this server's own pages (or
/// is not from a web page at all): `Sec-Fetch-Site: same-origin` or
/// `none`, an allowed `Origin`, or a `Referer` of an allowed origin. Added
/// to every request's extensions by [`check`]; routes that use the
/// server's default connection without the token read it
/// ([`FromOwnPage::required`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FromOwnPage(pub bool);

impl FromOwnPage {
    /// `Ok` when the request came from the server's own page, otherwise the
    /// 403 answer for a read with the default connection.
    #[allow(clippy::result_large_err)]
    pub fn required(request_marker: Option<&FromOwnPage>) -> Result<(), Response> {
        if request_marker.is_some_and(|m| m.0) {
            return Ok(());
        }
        Err(refuse(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "this read uses the server's default connection, so it is answered only to the \
             server's own pages (Sec-Fetch-Site: same-origin, or an Origin or Referer of this \
             server) or with the server's bearer token"
                .to_owned(),
        ))
    }
}

/// The paths whose steps call Thrive (so a step cut short may have sent
/// its request): a run, a dropdown's options, and MCP.
fn calls_thrive(path: &str) -> bool {
    (path.starts_with("/tools/") && (path.ends_with("/run") || path.contains("/options/")))
        || path == "/mcp"
        || path.starts_with("/mcp/")
}

/// The 504 answer for a request past its deadline on `path`.
fn deadline_passed(path: &str, deadline: Duration) -> Response {
    let error = if calls_thrive(path) {
        Error::new(
            ErrorCode::Timeout,
            format!(
                "the step did not finish within the server's deadline of {deadline:?}; it may \
                 have sent its request to Thrive, so check before sending a write again"
            ),
        )
        .with_retry(Delivery::SentNoAnswer, false)
        .with_attempts(1)
    } else {
        Error::new(
            ErrorCode::Timeout,
            format!(
                "the request did not finish within the server's deadline of {deadline:?}; \
                 nothing was sent to Thrive"
            ),
        )
    };
    Refusal::failed_with_status(StatusCode::GATEWAY_TIMEOUT, error).into_response()
}

/// The checks every request passes (see the module docs, points 1 to 5).
pub async fn check(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    if let Some(problem) = host_problem(&request) {
        tracing::debug!(problem, "refused: Host");
        return refuse(
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
            problem.to_owned(),
        );
    }
    let hosts = request_hosts(&request);
    let conn = request.extensions().get::<ConnInfo>().copied();
    if let Some(host) = hosts
        .iter()
        .find(|h| !guard.allowed.host_allowed(h, conn.as_ref()))
    {
        tracing::debug!(host, "refused: foreign Host");
        return refuse(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            format!(
                "this server does not answer to the host name {:?}; its operator can allow it \
                     with --allowed-host",
                strip_port(host)
            ),
        );
    }
    let host = hosts.first().cloned();
    let headers = request.headers();
    let mut own_page = matches!(fetch_site(headers), Some("same-origin" | "none"));
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        if !guard.allowed.origin_allowed(origin, host.as_deref()) {
            tracing::debug!(origin, "refused: cross-origin request");
            return refuse(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                format!(
                    "cross-origin requests from {origin:?} are refused; the server's operator can \
                     allow an origin with --allow-origin"
                ),
            );
        }
        own_page = own_page || guard.allowed.own_or_listed(origin, host.as_deref());
    } else if fetch_site(headers) == Some("cross-site") {
        return refuse(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "cross-site requests are refused".to_owned(),
        );
    }
    if !own_page && fetch_site(headers).is_none() {
        own_page = headers
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .and_then(referer_origin)
            .is_some_and(|origin| guard.allowed.own_or_listed(&origin, host.as_deref()));
    }
    let declared = content_length(headers);
    if guard.access.read_bodies
        && let Some(length) = declared
        && length > guard.access.max_body_bytes as u64
    {
        return too_large(guard.access.max_body_bytes);
    }
    let path = request.uri().path().to_owned();
    let (mut parts, body) = request.into_parts();
    parts.extensions.insert(FromOwnPage(own_page));
    let request = if guard.access.read_bodies && !axum::body::HttpBody::is_end_stream(&body) {
        match read_body(body, declared, &guard.access).await {
            Ok(bytes) => Request::from_parts(parts, axum::body::Body::from(bytes)),
            Err(problem) => return problem.answer(&guard.access),
        }
    } else {
        Request::from_parts(parts, body)
    };
    let stopping = request.extensions().get::<Stopping>().cloned();
    let stopped = async {
        match stopping {
            Some(Stopping(token)) => token.cancelled_owned().await,
            None => std::future::pending().await,
        }
    };
    let deadline = guard.access.request_timeout;
    tokio::select! {
        response = next.run(request) => response,
        () = tokio::time::sleep(deadline) => deadline_passed(&path, deadline),
        () = stopped => Refusal::stopped(calls_thrive(&path)).into_response(),
    }
}

/// Lets at most [`Access::max_runs`] runs execute at once: 503 otherwise.
pub async fn limit_runs(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    match guard.runs.clone().try_acquire_owned() {
        Ok(_permit) => next.run(request).await,
        Err(_) => busy("the server is running as many steps at once as it allows"),
    }
}

#[cfg(test)]
mod tests;
