//! Request checks of the block server that protect the tenant from other
//! web pages and from slow or oversized requests.
//!
//! In this order, before a route runs:
//!
//! 1. **`Host`** must name this server: `localhost` (or a `*.localhost`
//!    name), a loopback address, the address the connection was accepted
//!    on, or a name the operator allows ([`Access::allowed_hosts`]; `*`
//!    allows any). A page that rebinds its own DNS name to `127.0.0.1`
//!    sends its own name and is refused (403, code `forbidden`).
//! 2. **`Origin`**, when a browser sends one, must be the server's own
//!    origin (same scheme, host and port as the `Host` it asked for: the
//!    playground is same-origin) or one the operator allows
//!    ([`Access::allowed_origins`]; `*` allows any). A browser request
//!    marked `Sec-Fetch-Site: cross-site` without an `Origin` is refused
//!    too (403, code `forbidden`). Allowed foreign origins get CORS answers.
//! 3. A declared `Content-Length` over the body limit is refused with 413
//!    at once, before any `100 Continue`.
//! 4. Each request has a deadline ([`Access::request_timeout`]): past it,
//!    the answer is 504 (code `timeout`) and the step is dropped.
//!
//! Then, on the routes that take a body, after the bearer token (so a
//! caller without the token learns nothing more): the body must be declared
//! `Content-Type: application/json` (415 otherwise: a web page can send
//! `text/plain` across origins without asking, but not JSON). And at most
//! [`Access::max_runs`] runs execute at once; more are answered 503 (code
//! `unavailable`, `Retry-After: 1`).

use crate::error::{Error, ErrorCode};
use crate::host::conn::{ConnInfo, Stopping, busy};
use crate::host::refusal::{Refusal, error_answer};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Who may call the server and how much it takes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// Host names (without port) accepted in `Host` besides loopback names
    /// and addresses and the address the connection came in on; `*` accepts any.
    pub allowed_hosts: Vec<String>,
    /// Browser origins (`scheme://host[:port]`) allowed besides the server's
    /// own; `*` allows any.
    pub allowed_origins: Vec<String>,
    /// The deadline of one request, from its head to its answer.
    pub request_timeout: Duration,
    /// Runs executing at once; more are answered 503.
    pub max_runs: usize,
    /// The largest body accepted, in bytes.
    pub max_body_bytes: usize,
}

/// The checks with their state, shared by the middleware.
#[derive(Debug)]
pub struct Guard {
    access: Access,
    any_host: bool,
    hosts: Vec<String>,
    any_origin: bool,
    origins: Vec<String>,
    runs: Arc<Semaphore>,
}

impl Guard {
    /// The guard for `access`.
    pub fn new(access: Access) -> Arc<Self> {
        let any_host = access.allowed_hosts.iter().any(|h| h.trim() == "*");
        let hosts = access
            .allowed_hosts
            .iter()
            .map(|h| strip_port(h.trim()).to_ascii_lowercase())
            .filter(|h| !h.is_empty() && h != "*")
            .collect();
        let any_origin = access.allowed_origins.iter().any(|o| o.trim() == "*");
        let origins = access
            .allowed_origins
            .iter()
            .filter_map(|o| normalise_origin(o.trim()))
            .collect();
        let runs = Arc::new(Semaphore::new(access.max_runs.max(1)));
        Arc::new(Self {
            access,
            any_host,
            hosts,
            any_origin,
            origins,
            runs,
        })
    }

    /// The CORS layer for the allowed foreign origins, if any are allowed.
    pub fn cors(&self) -> Option<tower_http::cors::CorsLayer> {
        use tower_http::cors::{AllowOrigin, CorsLayer};
        if !self.any_origin && self.origins.is_empty() {
            return None;
        }
        let allow = if self.any_origin {
            AllowOrigin::any()
        } else {
            AllowOrigin::list(
                self.origins
                    .iter()
                    .filter_map(|o| HeaderValue::from_str(o).ok()),
            )
        };
        Some(
            CorsLayer::new()
                .allow_origin(allow)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
                .max_age(Duration::from_secs(600)),
        )
    }

    fn host_allowed(&self, host: &str, conn: Option<&ConnInfo>) -> bool {
        let name = strip_port(host).to_ascii_lowercase();
        if self.any_host || name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>()
            && (ip.is_loopback() || conn.is_some_and(|c| same_ip(c.local.ip(), ip)))
        {
            return true;
        }
        self.hosts.contains(&name)
    }

    fn origin_allowed(&self, origin: &str, host: Option<&str>) -> bool {
        if self.any_origin {
            return true;
        }
        let Some(origin) = normalise_origin(origin) else {
            return false;
        };
        if let Some(host) = host {
            // Same origin: the browser asked this server by the name in its Host.
            let same = normalise_origin(&format!("http://{host}")).as_deref() == Some(&origin)
                || normalise_origin(&format!("https://{host}")).as_deref() == Some(&origin);
            if same {
                return true;
            }
        }
        self.origins.contains(&origin)
    }
}

fn same_ip(a: IpAddr, b: IpAddr) -> bool {
    let canon = |ip: IpAddr| match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    canon(a) == canon(b)
}

/// `host[:port]` without the port (`[v6]:port` keeps its brackets).
fn strip_port(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority
            .find(']')
            .map_or(authority, |end| &authority[..=end]);
    }
    match authority.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => authority,
    }
}

/// `scheme://host[:port]` in lower case, without a default port; `None`
/// for anything that is not an http(s) origin.
fn normalise_origin(origin: &str) -> Option<String> {
    let uri: Uri = origin.parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if uri
        .path_and_query()
        .is_some_and(|p| p.as_str() != "/" && !p.as_str().is_empty())
    {
        return None;
    }
    let host = uri.host()?.to_ascii_lowercase();
    let default = if scheme == "https" { 443 } else { 80 };
    Some(match uri.port_u16() {
        Some(port) if port != default => format!("{scheme}://{host}:{port}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// The host the request was sent to: the absolute URI's, or `Host`.
fn request_host(request: &Request) -> Option<String> {
    if let Some(authority) = request.uri().authority() {
        return Some(authority.as_str().to_owned());
    }
    request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn refuse(status: StatusCode, code: ErrorCode, message: String) -> Response {
    error_answer(status, Error::new(code, message).to_json(), None, false)
}

/// The checks every request passes (see the module docs, points 1 to 4).
pub async fn check(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    let host = request_host(&request);
    let conn = request.extensions().get::<ConnInfo>().copied();
    if let Some(host) = host.as_deref()
        && !guard.host_allowed(host, conn.as_ref())
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
    let headers = request.headers();
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        if !guard.origin_allowed(origin, host.as_deref()) {
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
    } else if fetch_site(headers) == Some("cross-site") {
        return refuse(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "cross-site requests are refused".to_owned(),
        );
    }
    if let Some(length) = content_length(headers)
        && length > guard.access.max_body_bytes as u64
    {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::InvalidInput,
            format!(
                "the request body is larger than {} bytes",
                guard.access.max_body_bytes
            ),
        );
    }
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
        () = tokio::time::sleep(deadline) => refuse(
            StatusCode::GATEWAY_TIMEOUT,
            ErrorCode::Timeout,
            format!("the request did not finish within the server's deadline of {deadline:?}; \
                     a write may or may not have reached Thrive"),
        ),
        () = stopped => Refusal::stopped().into_response(),
    }
}

fn fetch_site(headers: &HeaderMap) -> Option<&str> {
    headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// Requires `Content-Type: application/json` (or `application/*+json`) on
/// requests that carry a body (POST, PUT, PATCH): 415 otherwise.
pub async fn require_json(request: Request, next: Next) -> Response {
    let has_body = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH
    );
    if has_body && !is_json(request.headers()) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::InvalidInput,
            "the request body must be sent with Content-Type: application/json".to_owned(),
        );
    }
    next.run(request).await
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
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
