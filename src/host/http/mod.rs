//! The HTTP block server: the catalogue over HTTP, so hosts in any language
//! can list, describe, validate and run tools with plain JSON requests.
//!
//! ```text
//! GET  /healthz                 {"status": "ok", "tools": 52}             (never needs the token)
//! GET  /tools                   [{"id", "title", "description", "version", "hints"}]
//! GET  /tools/{id}              the tool's manifest (input and output schema, hints, ...)
//! POST /tools/{id}/validate     body: the input → {"valid": true}, or 422 with every violation
//! POST /tools/{id}/dry-run      body: the input → the request that would be sent, credentials masked
//! POST /tools/{id}/run          body: the input → the tool's output JSON
//! ```
//!
//! Request bodies are the tool's input as a JSON object (the same input as
//! [`Catalogue::execute`]), at most 1 MiB. Every failure answers with
//! [`Error::to_json`](crate::Error::to_json): `{"error": {"code", "message", "status"?, "details"?,
//! "retryable", "attempts"}}`, with this HTTP status:
//!
//! | error code | HTTP status |
//! |---|---|
//! | body is not JSON | 400 (code `invalid_input`) |
//! | `Host` missing, empty, not visible ASCII or repeated | 400 (code `bad_request`) |
//! | body over 1 MiB (declared or chunked) | 413 (code `invalid_input`) |
//! | body not arrived whole within the body timeout | 408 (code `timeout`, `delivery` `not_sent`) |
//! | missing or wrong bearer token (also before a 404 or 405) | 401 (code `unauthorized`, no `status`) |
//! | foreign `Host` or cross-origin request | 403 (code `forbidden`, no `status`) |
//! | POST body not declared `Content-Type: application/json` | 415 (code `invalid_input`) |
//! | too many connections (in all, or from one client) or runs at once; the server stopped first | 503 (code `unavailable`) |
//! | the request's deadline passed | 504 (code `timeout`) |
//! | `invalid_input` | 422 |
//! | `unknown_tool` | 404 |
//! | `host_not_allowed` | 403 |
//! | `bad_request`, `unauthorized`, `forbidden`, `not_found`, `conflict`, `unprocessable` | 502: Thrive refused the call; its own status is in `error.status` |
//! | `rate_limited` | 429, with `Retry-After` when the tenant's rate-limit gate is still closed |
//! | `timeout` | 504 |
//! | `transport`, `upstream`, `invalid_response`, `auth_failed` | 502 |
//!
//! A tool that succeeds answers 200 with its output, including partial
//! successes (Thrive's 207 becomes 200 with `"partial": true` in the output).
//!
//! Every run uses the one shared [`Context`]: one HTTP client, one OAuth
//! token cache and the same per-tenant 429 gates for all requests. A run is
//! cancelled when its client disconnects.
//!
//! **Security.** The server never logs request bodies (they hold API keys);
//! it logs method, path, status and time at `debug` level. It listens where
//! it is told ([`serve`] takes a bound listener; `thrive-blocks serve` binds
//! `127.0.0.1:8787` by default). With [`ServerOptions::token`] set, every
//! endpoint requires `Authorization: Bearer <token>`, compared in constant
//! time, except `/healthz`, the playground page `/ui` with its static
//! `/ui/assets/*` (they hold no data; the page sends the token on its API
//! calls) and the HMAC-signed webhook receiver; `thrive-blocks serve` reads it from
//! [`SERVER_TOKEN_ENV`]. Requests must name the server in `Host`, come
//! from its own origin or an allowed one, and declare JSON bodies
//! ([`crate::host::server::guard`]); connections are capped and timed out, and a
//! stop lets requests in flight finish within a grace period
//! ([`crate::host::server::conn`]).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use thrive_blocks::host::http::{self, ServerOptions};
//! use thrive_blocks::{Catalogue, Context};
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8787").await?;
//! let options = ServerOptions::default().with_token("a-long-random-secret");
//! let stop = thrive_blocks::host::server::shutdown::signal(); // SIGTERM or SIGINT
//! http::serve_with_shutdown(listener, Catalogue::global(), Context::from_env(), options, stop)
//!     .await
//! # }
//! ```

use crate::api::Context;
use crate::catalogue::Catalogue;
use crate::host::server::conn::{self};
use crate::host::server::guard::{self, Guard};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{self};
use axum::routing::{get, post};
use std::future::Future;
use std::sync::Arc;

mod edge;
mod handlers;
pub mod openapi;
mod options;
pub mod playground;
mod state;

pub use crate::host::server::refusal::status_for;
use edge::{log_request, no_route, require_token, wrong_method};
use handlers::{
    dry_run, field_options, field_options_post, healthz, list_tools, manifest, openapi_document,
    playground_config, run, validate,
};
pub use options::{
    DEFAULT_BODY_TIMEOUT, DEFAULT_GRACE, DEFAULT_HEADER_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_RUNS, DEFAULT_MIN_BODY_RATE, DEFAULT_REQUEST_TIMEOUT,
    MAX_BODY_BYTES, SERVER_TOKEN_ENV, ServerOptions,
};
use state::AppState;

/// The server's routes, with no token required. See the [module
/// documentation](self) for the endpoints and status codes.
pub fn router(catalogue: &'static Catalogue, ctx: Context) -> Router {
    router_with_options(catalogue, ctx, ServerOptions::default())
}

/// The server's routes with `options` (e.g. a required bearer token).
pub fn router_with_options(
    catalogue: &'static Catalogue,
    ctx: Context,
    options: ServerOptions,
) -> Router {
    let guard = Guard::new(options.access());
    let state = AppState {
        catalogue,
        ctx,
        token: options.token.map(Arc::from),
        default_connection: options.default_connection.map(Arc::new),
    };
    let receiver = options.webhooks.clone();
    let mut protected = Router::new().merge(crate::host::events::webhooks::trigger_routes());
    if let Some(r) = &receiver {
        protected = protected.merge(crate::host::events::webhooks::event_routes(r.clone()));
    }
    let protected = protected
        .route("/tools", get(list_tools))
        .route("/tools/{id}", get(manifest))
        .route("/tools/{id}/validate", post(validate))
        .route("/tools/{id}/dry-run", post(dry_run))
        .route(
            "/tools/{id}/run",
            post(run).layer(middleware::from_fn_with_state(
                guard.clone(),
                guard::limit_runs,
            )),
        )
        .route(
            "/tools/{id}/options/{field}",
            get(field_options).post(field_options_post),
        )
        .route("/playground/config", get(playground_config))
        .route("/openapi.json", get(openapi_document))
        .route_layer(middleware::from_fn(guard::require_json))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_token));
    let mut open = Router::new()
        .route("/healthz", get(healthz))
        .merge(playground::page_routes());
    if let Some(r) = receiver {
        open = open.merge(crate::host::events::webhooks::receiver_routes(r));
    }
    let router = open
        .merge(protected)
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(log_request))
        .with_state(state);
    let router = match guard.cors() {
        Some(cors) => router.layer(cors),
        None => router,
    };
    router.layer(middleware::from_fn_with_state(guard, guard::check))
}

/// Serves [`router`] on `listener` with the default [`ServerOptions`] until
/// the process receives `SIGTERM` or `SIGINT`, then stops gracefully. No
/// token is required; use [`serve_with_shutdown`] for options.
pub async fn serve(
    listener: tokio::net::TcpListener,
    catalogue: &'static Catalogue,
    ctx: Context,
) -> std::io::Result<()> {
    let options = ServerOptions::default();
    serve_with_shutdown(
        listener,
        catalogue,
        ctx,
        options,
        crate::host::server::shutdown::signal(),
    )
    .await
}

/// Serves [`router_with_options`] on `listener` until `shutdown` completes,
/// then stops gracefully: no new connections, idle ones closed, requests in
/// flight answered within [`ServerOptions::grace`] (what still runs at its
/// end is answered 503), then returns. Connections are capped and timed out
/// as `options` say ([`crate::host::server::conn`]).
pub async fn serve_with_shutdown<F>(
    listener: tokio::net::TcpListener,
    catalogue: &'static Catalogue,
    ctx: Context,
    options: ServerOptions,
    shutdown: F,
) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let limits = options.limits();
    let app = router_with_options(catalogue, ctx, options);
    conn::serve_router(listener, app, limits, shutdown).await
}

#[cfg(test)]
mod tests {
    use super::options::ServerOptions;

    #[test]
    fn debug_hides_the_token() {
        let o = ServerOptions::default().with_token("hunter2");
        let text = format!("{o:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("***"));
    }
}
