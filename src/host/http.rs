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
//! [`Error::to_json`]: `{"error": {"code", "message", "status"?, "details"?,
//! "retryable", "attempts"}}`, with this HTTP status:
//!
//! | error code | HTTP status |
//! |---|---|
//! | body is not JSON | 400 (code `invalid_input`) |
//! | body over 1 MiB | 413 (code `invalid_input`) |
//! | missing or wrong bearer token (also before a 404 or 405) | 401 (code `unauthorized`, no `status`) |
//! | foreign `Host` or cross-origin request | 403 (code `forbidden`, no `status`) |
//! | POST body not declared `Content-Type: application/json` | 415 (code `invalid_input`) |
//! | too many connections or runs at once; the server stopped first | 503 (code `unavailable`) |
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
//! endpoint except `/healthz` requires `Authorization: Bearer <token>`,
//! compared in constant time; `thrive-blocks serve` reads it from
//! [`SERVER_TOKEN_ENV`]. Requests must name the server in `Host`, come
//! from its own origin or an allowed one, and declare JSON bodies
//! ([`crate::host::guard`]); connections are capped and timed out, and a
//! stop lets requests in flight finish within a grace period
//! ([`crate::host::conn`]).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use thrive_blocks::host::http::{self, ServerOptions};
//! use thrive_blocks::{Catalogue, Context};
//!
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8787").await?;
//! let options = ServerOptions::default().with_token("a-long-random-secret");
//! let stop = thrive_blocks::host::shutdown::signal(); // SIGTERM or SIGINT
//! http::serve_with_shutdown(listener, Catalogue::global(), Context::from_env(), options, stop)
//!     .await
//! # }
//! ```

use crate::api::Context;
use crate::catalogue::{Catalogue, CatalogueTool};
use crate::error::{Error, ErrorCode};
use crate::host::openapi::{self, OpenApiOptions};
use crate::host::playground;
use crate::params::Connection;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::host::conn::{self, Limits};
use crate::host::guard::{self, Access, Guard};

/// The largest request body accepted: 1 MiB. Larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The environment variable `thrive-blocks serve` reads the shared secret
/// from. [`router`] and [`serve`] never read the environment themselves.
pub const SERVER_TOKEN_ENV: &str = "THRIVE_BLOCKS_SERVER_TOKEN";

/// The default grace period of a stop: 30 s.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(30);
/// The default time allowed for a request head: 10 s.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time a keep-alive connection may stay silent: 60 s.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The default deadline of one request: 300 s (a `returnAll` of many pages
/// takes a while).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(300);
/// The default cap on open connections: 512.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;
/// The default cap on runs executing at once: 128.
pub const DEFAULT_MAX_RUNS: usize = 128;

/// Options of the server beyond the catalogue and the context: the token,
/// who may call ([`ServerOptions::allowed_hosts`],
/// [`ServerOptions::allowed_origins`]), limits and timeouts. See
/// [`crate::host::guard`] and [`crate::host::conn`] for what each does.
///
/// `Debug` never shows the token.
#[derive(Clone)]
pub struct ServerOptions {
    /// A shared secret: when set, every endpoint except `/healthz` requires
    /// `Authorization: Bearer <token>` and answers 401 otherwise.
    pub token: Option<String>,
    /// Host names accepted in `Host` besides loopback names and addresses
    /// and the address a connection came in on; `*` accepts any.
    pub allowed_hosts: Vec<String>,
    /// Foreign browser origins allowed (`scheme://host[:port]`); `*` allows any.
    pub allowed_origins: Vec<String>,
    /// Time requests in flight get to finish after a stop is asked for.
    pub grace: Duration,
    /// Time allowed for a request head, from its first byte.
    pub header_timeout: Duration,
    /// Time a keep-alive connection may stay silent between requests.
    pub idle_timeout: Duration,
    /// The deadline of one request, from its head to its answer (504 past it).
    pub request_timeout: Duration,
    /// Connections served at once; more are answered 503.
    pub max_connections: usize,
    /// Runs (`POST /tools/{id}/run`) executing at once; more are answered 503.
    pub max_runs: usize,
    /// The connection used by requests that give no connection input at
    /// all (`serve --sandbox`, or the operator's `THRIVE_*` variables). A
    /// request's own connection always wins and is never mixed with it.
    pub default_connection: Option<Connection>,
    /// The webhook receiver: when set, `POST /webhooks/thrive/{subscription}`
    /// and `GET /events` are served (see [`crate::host::webhooks`]).
    pub webhooks: Option<crate::triggers::Receiver>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            token: None,
            allowed_hosts: Vec::new(),
            allowed_origins: Vec::new(),
            grace: DEFAULT_GRACE,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_runs: DEFAULT_MAX_RUNS,
            default_connection: None,
            webhooks: None,
        }
    }
}

impl ServerOptions {
    /// Returns the options with the shared-secret `token` required.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The connection limits and grace period these options set.
    pub fn limits(&self) -> Limits {
        Limits {
            header_timeout: self.header_timeout,
            idle_timeout: self.idle_timeout,
            max_connections: self.max_connections,
            grace: self.grace,
        }
    }

    /// The request checks these options set.
    pub fn access(&self) -> Access {
        Access {
            allowed_hosts: self.allowed_hosts.clone(),
            allowed_origins: self.allowed_origins.clone(),
            request_timeout: self.request_timeout,
            max_runs: self.max_runs,
            max_body_bytes: MAX_BODY_BYTES,
        }
    }

    /// Returns the options with `connection` as the default connection.
    pub fn with_default_connection(mut self, connection: Connection) -> Self {
        self.default_connection = Some(connection);
        self
    }
}

impl fmt::Debug for ServerOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerOptions")
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("allowed_hosts", &self.allowed_hosts)
            .field("allowed_origins", &self.allowed_origins)
            .field("limits", &self.limits())
            .field("request_timeout", &self.request_timeout)
            .field("max_runs", &self.max_runs)
            .field("default_connection", &self.default_connection)
            .field("webhooks", &self.webhooks.is_some())
            .finish()
    }
}

#[derive(Clone)]
struct AppState {
    catalogue: &'static Catalogue,
    ctx: Context,
    token: Option<Arc<str>>,
    default_connection: Option<Arc<Connection>>,
}

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
    let mut protected = Router::new().merge(super::webhooks::trigger_routes());
    if let Some(r) = &receiver {
        protected = protected.merge(super::webhooks::event_routes(r.clone()));
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
        .route("/ui", get(playground::index))
        .route("/ui/", get(playground::index))
        .route("/ui/assets/{file}", get(playground::assets));
    if let Some(r) = receiver {
        open = open.merge(super::webhooks::receiver_routes(r));
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
        crate::host::shutdown::signal(),
    )
    .await
}

/// Serves [`router_with_options`] on `listener` until `shutdown` completes,
/// then stops gracefully: no new connections, idle ones closed, requests in
/// flight answered within [`ServerOptions::grace`] (what still runs at its
/// end is answered 503), then returns. Connections are capped and timed out
/// as `options` say ([`crate::host::conn`]).
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

/// The HTTP status a failed step answers with (see the module docs).
pub fn status_for(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::InvalidInput => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::UnknownTool => StatusCode::NOT_FOUND,
        ErrorCode::HostNotAllowed => StatusCode::FORBIDDEN,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Timeout => StatusCode::GATEWAY_TIMEOUT,
        ErrorCode::BadRequest
        | ErrorCode::Unauthorized
        | ErrorCode::Forbidden
        | ErrorCode::NotFound
        | ErrorCode::Conflict
        | ErrorCode::Unprocessable
        | ErrorCode::Upstream
        | ErrorCode::Transport
        | ErrorCode::InvalidResponse
        | ErrorCode::AuthFailed => StatusCode::BAD_GATEWAY,
    }
}

/// A refused or failed request: the HTTP status and the error, answered as
/// [`Error::to_json`].
struct Reject {
    status: StatusCode,
    error: Box<Error>,
    retry_after: Option<u64>,
}

impl Reject {
    /// `error` with the status of its code.
    fn mapped(error: Error) -> Self {
        Self::with_status(status_for(error.code()), error)
    }

    fn with_status(status: StatusCode, error: Error) -> Self {
        Self {
            status,
            error: Box::new(error),
            retry_after: None,
        }
    }
}

impl IntoResponse for Reject {
    fn into_response(self) -> Response {
        let mut answer = (self.status, axum::Json(self.error.to_json())).into_response();
        if let Some(secs) = self.retry_after {
            answer
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            answer
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        answer
    }
}

async fn healthz(State(state): State<AppState>) -> Response {
    axum::Json(json!({"status": "ok", "tools": state.catalogue.len()})).into_response()
}

async fn list_tools(State(state): State<AppState>) -> Response {
    let tools: Vec<Value> = state
        .catalogue
        .tools()
        .map(|t| {
            let m = t.meta();
            json!({
                "id": m.id,
                "title": m.title,
                "description": m.description,
                "version": m.version,
                "hints": {
                    "readOnly": m.hints.read_only,
                    "destructive": m.hints.destructive,
                    "idempotent": m.hints.idempotent,
                    "paginated": m.paging.is_paginated(),
                },
            })
        })
        .collect();
    axum::Json(Value::Array(tools)).into_response()
}

/// The tool named by the path, or 404 `unknown_tool`.
fn tool_of(
    state: &AppState,
    path: Result<Path<String>, PathRejection>,
) -> Result<&'static CatalogueTool, Reject> {
    let Path(id) = path.map_err(|r| {
        Reject::with_status(
            StatusCode::BAD_REQUEST,
            Error::new(ErrorCode::InvalidInput, r.body_text()),
        )
    })?;
    state.catalogue.get(&id).map_err(|_| {
        Reject::mapped(Error::new(
            ErrorCode::UnknownTool,
            format!("no tool has the id {id:?}; GET /tools lists them all"),
        ))
    })
}

/// The request body as JSON, or 400 (not JSON) or 413 (too large).
fn input_of(body: Result<Bytes, BytesRejection>) -> Result<Value, Reject> {
    let bytes = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Reject::with_status(
                StatusCode::PAYLOAD_TOO_LARGE,
                Error::field(
                    "",
                    format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
                ),
            )
        } else {
            Reject::with_status(
                StatusCode::BAD_REQUEST,
                Error::field("", "the request body could not be read"),
            )
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        // The parser's message names a line and column, never the content.
        Reject::with_status(
            StatusCode::BAD_REQUEST,
            Error::field("", format!("the request body is not valid JSON: {e}")),
        )
    })
}

async fn manifest(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, Reject> {
    Ok(axum::Json(tool_of(&state, path)?.manifest()).into_response())
}

async fn validate(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Reject> {
    let tool = tool_of(&state, path)?;
    let mut input = input_of(body)?;
    state.fill_default_connection(&mut input);
    tool.prepare(input).map_err(Reject::mapped)?;
    Ok(axum::Json(json!({"valid": true})).into_response())
}

async fn dry_run(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Reject> {
    let tool = tool_of(&state, path)?;
    let mut input = input_of(body)?;
    state.fill_default_connection(&mut input);
    let dry = state
        .catalogue
        .dry_run(tool.meta().id, input, &state.ctx)
        .map_err(Reject::mapped)?;
    Ok(axum::Json(dry.to_json()).into_response())
}

async fn run(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Reject> {
    let tool = tool_of(&state, path)?;
    let mut input = input_of(body)?;
    state.fill_default_connection(&mut input);
    let gate = GateKey::of(&input);
    match state
        .catalogue
        .execute(tool.meta().id, input, &state.ctx)
        .await
    {
        Ok(output) => Ok(axum::Json(output).into_response()),
        Err(e) => {
            let retry_after = match e.code() {
                ErrorCode::RateLimited => gate.retry_after_secs(&state.ctx),
                _ => None,
            };
            Err(Reject {
                retry_after,
                ..Reject::mapped(e)
            })
        }
    }
}

/// The tenant and host of a run, kept to read the tenant's 429 gate after a
/// `rate_limited` failure (the key the runtime uses: `tenant|origin`).
struct GateKey {
    tenant_id: Option<String>,
    host: Option<String>,
}

impl GateKey {
    fn of(input: &Value) -> Self {
        let text = |name: &str| {
            input
                .get(name)
                .and_then(Value::as_str)
                .filter(|s| !s.trim().is_empty())
                .map(str::to_owned)
        };
        Self {
            tenant_id: text("tenantId"),
            host: text("host"),
        }
    }

    /// Whole seconds until the gate opens, when it is still closed.
    fn retry_after_secs(&self, ctx: &Context) -> Option<u64> {
        let tenant = self.tenant_id.as_deref()?;
        let origin = ctx.hosts().resolve(self.host.as_deref()).ok()?;
        let until = ctx.gate_until(tenant, &origin)?;
        let wait = until.saturating_duration_since(Instant::now());
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        Some(secs.max(1))
    }
}

impl AppState {
    /// Fills the default connection into an input that gives none.
    fn fill_default_connection(&self, input: &mut Value) {
        playground::apply_default_connection(input, self.default_connection.as_deref());
    }
}

/// `GET /playground/config`: whether there is a default connection.
async fn playground_config(State(state): State<AppState>) -> Response {
    axum::Json(playground::config_json(state.default_connection.as_deref())).into_response()
}

/// `GET /openapi.json`: the server described as OpenAPI 3.1.
async fn openapi_document(State(state): State<AppState>) -> Response {
    let options = OpenApiOptions {
        default_connection: state.default_connection.is_some(),
        token: state.token.is_some(),
    };
    axum::Json(openapi::document(state.catalogue, options)).into_response()
}

/// `GET /tools/{id}/options/{field}`: a dropdown's options with the
/// default connection.
async fn field_options(
    State(state): State<AppState>,
    Path(names): Path<(String, String)>,
    query: Result<Query<playground::OptionsQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    playground::options_get(
        state.catalogue,
        &state.ctx,
        state.default_connection.as_deref(),
        names,
        query.ok(),
    )
    .await
}

/// `POST /tools/{id}/options/{field}`: a dropdown's options with the
/// connection in the body.
async fn field_options_post(
    State(state): State<AppState>,
    Path(names): Path<(String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    playground::options_post(
        state.catalogue,
        &state.ctx,
        state.default_connection.as_deref(),
        names,
        body,
    )
    .await
}

/// Requires `Authorization: Bearer <token>` when a token is configured.
async fn require_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, Reject> {
    match &state.token {
        Some(expected) if !bearer_matches(request.headers(), expected) => Err(Reject::with_status(
            StatusCode::UNAUTHORIZED,
            Error::new(
                ErrorCode::Unauthorized,
                "this server requires Authorization: Bearer <token> with the server's token",
            ),
        )),
        _ => Ok(next.run(request).await),
    }
}

pub(crate) fn bearer_matches(headers: &HeaderMap, expected: &str) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some((scheme, token)) = value.trim().split_once(' ') else {
        return false;
    };
    scheme.eq_ignore_ascii_case("bearer")
        && constant_time_eq(expected.as_bytes(), token.trim().as_bytes())
}

/// Compares `given` with `expected` in time that depends only on the
/// length of `expected`.
fn constant_time_eq(expected: &[u8], given: &[u8]) -> bool {
    let mut diff = u8::from(expected.len() != given.len());
    for (i, e) in expected.iter().enumerate() {
        diff |= e ^ given.get(i).copied().unwrap_or(!e);
    }
    std::hint::black_box(diff) == 0
}

/// 401 when a token is configured and `headers` lack it: a caller without
/// the token learns neither which endpoints exist nor their methods.
fn missing_token(state: &AppState, headers: &HeaderMap) -> Option<Reject> {
    let expected = state.token.as_ref()?;
    (!bearer_matches(headers, expected)).then(|| {
        Reject::with_status(
            StatusCode::UNAUTHORIZED,
            Error::new(
                ErrorCode::Unauthorized,
                "this server requires Authorization: Bearer <token> with the server's token",
            ),
        )
    })
}

async fn no_route(State(state): State<AppState>, headers: HeaderMap) -> Reject {
    if let Some(reject) = missing_token(&state, &headers) {
        return reject;
    }
    Reject::with_status(
        StatusCode::NOT_FOUND,
        Error::new(
            ErrorCode::NotFound,
            "no such endpoint; see GET /tools and /tools/{id}/{validate,dry-run,run}",
        ),
    )
}

async fn wrong_method(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Reject {
    if uri.path() != "/healthz"
        && let Some(reject) = missing_token(&state, &headers)
    {
        return reject;
    }
    Reject::with_status(
        StatusCode::METHOD_NOT_ALLOWED,
        Error::new(
            ErrorCode::BadRequest,
            "method not allowed: GET /healthz, /tools and /tools/{id}; POST /tools/{id}/validate, /dry-run and /run",
        ),
    )
}

/// Logs method, path, status and time; never headers or bodies.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::debug!(%method, %path, status = response.status().as_u16(), elapsed = ?started.elapsed(), "http request");
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_compares_whole_values() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"secret", b"secre"));
        assert!(!constant_time_eq(b"secret", b""));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn debug_hides_the_token() {
        let o = ServerOptions::default().with_token("hunter2");
        let text = format!("{o:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("***"));
    }

    #[test]
    fn every_code_has_the_documented_status() {
        assert_eq!(status_for(ErrorCode::InvalidInput), 422);
        assert_eq!(status_for(ErrorCode::UnknownTool), 404);
        assert_eq!(status_for(ErrorCode::HostNotAllowed), 403);
        assert_eq!(status_for(ErrorCode::RateLimited), 429);
        assert_eq!(status_for(ErrorCode::Timeout), 504);
        for code in [
            ErrorCode::BadRequest,
            ErrorCode::Unauthorized,
            ErrorCode::Forbidden,
            ErrorCode::NotFound,
            ErrorCode::Conflict,
            ErrorCode::Unprocessable,
            ErrorCode::Upstream,
            ErrorCode::Transport,
            ErrorCode::InvalidResponse,
            ErrorCode::AuthFailed,
        ] {
            assert_eq!(status_for(code), 502, "{code}");
        }
    }
}
