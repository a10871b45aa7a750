//! The MCP server over MCP's streamable HTTP transport, at `/mcp`.
//!
//! The same server as over stdio ([`McpServer`]), one session per client,
//! behind the block server's protections: the bearer token
//! ([`ServerOptions::token`], read by `thrive-blocks mcp --http` from
//! [`SERVER_TOKEN_ENV`](crate::host::http::SERVER_TOKEN_ENV) and required
//! there when the address is beyond loopback), the `Host` and `Origin`
//! checks ([`crate::host::server::guard`]), and the connection limits and graceful
//! stop of [`crate::host::server::conn`]. At a stop, calls in flight get half the
//! grace period to finish; then every session is closed (open event
//! streams end) and the connections are drained.
//!
//! Every POSTed message is read (at most [`MAX_MESSAGE_BYTES`], within the
//! body timeout) and checked as the stdio transport checks a line
//! ([`crate::host::mcp::stdio`]) before rmcp sees it. A message that
//! cannot be handled is answered with a JSON-RPC error object carrying its
//! id when one can be read (`-32700`, `-32600`, `-32602`; `null`
//! otherwise), as `application/json` with an HTTP error status: 400, 413
//! for a body over the limit (its id read from its first bytes), 408 for a
//! body that did not arrive in time, 415 for a body not declared
//! `application/json`, 406 for a client that does not accept both JSON and
//! event streams. rmcp's own refusals (an unknown session, a wrong protocol
//! version header) are given the same JSON-RPC shape.

use crate::host::http::ServerOptions;
use crate::host::mcp::McpServer;
use crate::host::mcp::stdio::{INVALID_REQUEST, Sorted, error_message, sort_message, top_level_id};
use crate::host::server::conn;
use crate::host::server::guard::{self, Access, BodyProblem, Guard};
use crate::host::server::refusal::Refusal;
use crate::host::server::token::bearer_matches;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use serde_json::Value;
use std::future::Future;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// The path the MCP endpoint is served at.
pub const MCP_PATH: &str = "/mcp";

/// The largest message accepted: 1 MiB (the block server's body limit).
pub const MAX_MESSAGE_BYTES: usize = crate::host::http::MAX_BODY_BYTES;

/// The routes of the streamable HTTP server: [`MCP_PATH`] with the checks
/// of `options`. `sessions_end` closes every session when cancelled.
pub fn router(
    server: McpServer,
    options: &ServerOptions,
    sessions_end: CancellationToken,
) -> Router {
    // Host and Origin are checked by our guard, with the block server's rules.
    let config = StreamableHttpServerConfig::default()
        .disable_allowed_hosts()
        .with_cancellation_token(sessions_end);
    let service = StreamableHttpService::new(
        move || Ok(server.session()),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    let token: Option<Arc<str>> = options.token.as_deref().map(Arc::from);
    let access = Access {
        max_body_bytes: MAX_MESSAGE_BYTES,
        // Read (and refused) by `messages`, in JSON-RPC's shape.
        read_bodies: false,
        ..options.access()
    };
    let body_rules = Arc::new(access.clone());
    let guard = Guard::new(access);
    Router::new()
        .nest_service(MCP_PATH, service)
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            let rules = body_rules.clone();
            async move { messages(&rules, request, next).await }
        }))
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            let token = token.clone();
            async move { require_token(token.as_deref(), request, next).await }
        }))
        .layer(middleware::from_fn_with_state(guard, guard::check))
}

/// Serves `server` at [`MCP_PATH`] on `listener` until `shutdown`
/// completes, then stops gracefully (see the module docs).
pub async fn serve<F>(
    server: McpServer,
    listener: tokio::net::TcpListener,
    options: ServerOptions,
    shutdown: F,
) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let sessions_end = CancellationToken::new();
    let app = router(server, &options, sessions_end.clone());
    let half_grace = options.grace / 2;
    let stop = async move {
        shutdown.await;
        tokio::spawn(async move {
            tokio::time::sleep(half_grace).await;
            sessions_end.cancel();
        });
    };
    conn::serve_router(listener, app, options.limits(), stop).await
}

async fn require_token(expected: Option<&str>, request: Request, next: Next) -> Response {
    match expected {
        Some(expected) if !bearer_matches(request.headers(), expected) => {
            Refusal::token_required().into_response()
        }
        _ => next.run(request).await,
    }
}

/// A JSON-RPC error answer with an HTTP `status`, as `application/json`.
fn rpc_error(status: StatusCode, id: Option<Value>, code: i64, message: &str) -> Response {
    let mut response = (status, axum::Json(error_message(id, code, message))).into_response();
    if matches!(
        status,
        StatusCode::PAYLOAD_TOO_LARGE | StatusCode::REQUEST_TIMEOUT
    ) {
        // The rest of the body is not read: the connection cannot be reused.
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Reads and checks a POSTed message before rmcp sees it, answering what
/// rmcp cannot handle in JSON-RPC's shape (see the module docs).
async fn messages(rules: &Access, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if request.method() != Method::POST || !(path == MCP_PATH || path.starts_with("/mcp/")) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    let bytes = match guard::read_body(body, declared, rules).await {
        Ok(bytes) => bytes,
        Err(BodyProblem::TooLarge(head)) => {
            return rpc_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                top_level_id(without_bom(&head)),
                INVALID_REQUEST,
                &format!(
                    "Invalid request: the message is larger than {} bytes",
                    rules.max_body_bytes
                ),
            );
        }
        Err(BodyProblem::TooSlow(within)) => {
            return rpc_error(
                StatusCode::REQUEST_TIMEOUT,
                None,
                INVALID_REQUEST,
                &format!(
                    "Invalid request: the message did not arrive whole within {within:?}; \
                     nothing was run"
                ),
            );
        }
        Err(BodyProblem::Broken) => {
            return rpc_error(
                StatusCode::BAD_REQUEST,
                None,
                INVALID_REQUEST,
                "Invalid request: the message could not be read",
            );
        }
    };
    let id = || top_level_id(without_bom(&bytes));
    if !guard::is_json(&parts.headers) {
        return rpc_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            id(),
            INVALID_REQUEST,
            "Invalid request: the message must be sent with Content-Type: application/json",
        );
    }
    if !accepts_json_and_events(&parts.headers) {
        return rpc_error(
            StatusCode::NOT_ACCEPTABLE,
            id(),
            INVALID_REQUEST,
            "Invalid request: the client must accept both application/json and \
             text/event-stream",
        );
    }
    let id = match sort_message(&bytes, true) {
        Sorted::Forward(_) => id(),
        Sorted::Reply { id, code, message } => {
            return rpc_error(StatusCode::BAD_REQUEST, id, code, &message);
        }
        Sorted::Ignore(why) => {
            return rpc_error(
                StatusCode::BAD_REQUEST,
                None,
                INVALID_REQUEST,
                &format!("Invalid request: {why}"),
            );
        }
    };
    let forwarded = axum::body::Bytes::copy_from_slice(without_bom(&bytes));
    parts.headers.remove(header::CONTENT_LENGTH);
    let response = next
        .run(Request::from_parts(
            parts,
            axum::body::Body::from(forwarded),
        ))
        .await;
    in_jsonrpc_shape(response, id).await
}

/// Whether `Accept` names both `application/json` and `text/event-stream`
/// by name, as rmcp's streamable HTTP transport requires.
fn accepts_json_and_events(headers: &axum::http::HeaderMap) -> bool {
    let types: Vec<String> = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    let has = |t: &str| types.iter().any(|x| x == t);
    has("application/json") && has("text/event-stream")
}

/// rmcp's own refusals (plain text) as JSON-RPC errors with `id`.
async fn in_jsonrpc_shape(response: Response, id: Option<Value>) -> Response {
    let status = response.status();
    let is_text = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| t.starts_with("text/plain"));
    if status.is_success() || !is_text {
        return response;
    }
    let text = axum::body::to_bytes(response.into_body(), 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let text = if text.trim().is_empty() {
        status.canonical_reason().unwrap_or("refused").to_owned()
    } else {
        text
    };
    rpc_error(
        status,
        id,
        INVALID_REQUEST,
        &format!("Invalid request: {text}"),
    )
}
