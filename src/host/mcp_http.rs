//! The MCP server over MCP's streamable HTTP transport, at `/mcp`.
//!
//! The same server as over stdio ([`McpServer`]), one session per client,
//! behind the block server's protections: the bearer token
//! ([`ServerOptions::token`], read by `thrive-blocks mcp --http` from
//! [`SERVER_TOKEN_ENV`](crate::host::http::SERVER_TOKEN_ENV) and required
//! there when the address is beyond loopback), the `Host` and `Origin`
//! checks ([`crate::host::guard`]), and the connection limits and graceful
//! stop of [`crate::host::conn`]. At a stop, calls in flight get half the
//! grace period to finish; then every session is closed (open event
//! streams end) and the connections are drained.

use crate::host::conn;
use crate::host::guard::{self, Guard};
use crate::host::http::{ServerOptions, bearer_matches};
use crate::host::mcp::McpServer;
use crate::host::refusal::Refusal;
use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use std::future::Future;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// The path the MCP endpoint is served at.
pub const MCP_PATH: &str = "/mcp";

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
    let guard = Guard::new(options.access());
    Router::new()
        .nest_service(MCP_PATH, service)
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
