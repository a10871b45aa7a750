//! Sending one request: the 429 gate, authorisation, the per-host permit,
//! one attempt, and the retry loop around them.

use crate::api::auth::{AuthMethod, basic_header};
use crate::api::retry::{Failure, parse_retry_after};
use crate::api::transport::{describe, is_certificate_error};
use crate::api::{ApiRequest, ApiResponse, Context, Endpoint, Method, Origin};
use crate::error::{Error, ErrorCode, Result};
use crate::params::{Connection, Secret};
use crate::wire::RawResponse;
use std::time::{Duration, Instant, SystemTime};

/// Sends one request with auth, timeouts and retries.
pub async fn send(
    ctx: &Context,
    origin: &Origin,
    connection: &Connection,
    request: &ApiRequest,
) -> Result<ApiResponse> {
    send_raw(ctx, origin, connection, request)
        .await
        .map(RawResponse::parse)
}

/// [`send`], with the 2xx answer's body left unparsed for the tool's
/// output to read straight from the bytes.
pub async fn send_raw(
    ctx: &Context,
    origin: &Origin,
    connection: &Connection,
    request: &ApiRequest,
) -> Result<RawResponse> {
    // The origin's base URL is formatted and parsed once per context, not
    // per call.
    let endpoint = ctx.endpoint(origin)?;
    send_to(ctx, &endpoint, connection, request).await
}

/// [`send_raw`] to an origin already resolved by the context.
pub(crate) async fn send_to(
    ctx: &Context,
    endpoint: &Endpoint,
    connection: &Connection,
    request: &ApiRequest,
) -> Result<RawResponse> {
    let policy = ctx.retry();
    let started = Instant::now();
    let deadline = started + policy.deadline;
    let origin = &endpoint.origin;
    // The query is encoded by the request (spaces as %20, as Thrive's docs
    // show them), not by the HTTP client's form encoder.
    let base = endpoint.base.as_str();
    let url = endpoint.url_for(request);
    let method = AuthMethod::of(connection);
    let mut stale_token: Option<Secret> = None;
    let mut renewed = false;
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        wait_for_gate(ctx, connection, origin, deadline, attempt).await?;
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(Error::new(
                ErrorCode::Timeout,
                format!("no answer within the deadline of {:?}", policy.deadline),
            )
            .with_attempts(attempt - 1));
        }
        let auth = authorisation(
            ctx,
            origin,
            connection,
            method,
            stale_token.as_ref(),
            remaining,
        )
        .await?;
        let permit = permit(ctx, base).await?;
        let attempt_timeout = ctx.timeout().min(remaining);
        let sent = Instant::now();
        let outcome = send_once(ctx, &url, request, &auth, attempt_timeout).await;
        drop(permit);
        let elapsed = sent.elapsed();
        let (failure, error, retry_after) = match outcome {
            Ok((status, _, bytes)) if (200..300).contains(&status) => {
                tracing::debug!(method = %request.method, path = %request.full_path(), status, attempt, ?elapsed, "thrive call");
                return Ok(RawResponse {
                    status,
                    bytes,
                    meta: crate::api::CallMeta {
                        attempts: attempt,
                        elapsed: started.elapsed(),
                        origin: base.to_owned(),
                        auth: method.as_str(),
                    },
                });
            }
            Ok((status, retry_after, bytes)) => {
                tracing::debug!(method = %request.method, path = %request.full_path(), status, attempt, ?elapsed, "thrive call failed");
                let body = ApiResponse::from_bytes(status, &bytes).body;
                if status == 401 && method == AuthMethod::OAuth && !renewed {
                    // The token may have expired or been revoked: renew once.
                    renewed = true;
                    stale_token = Some(auth);
                    continue;
                }
                (
                    Failure::Status(status),
                    Error::from_response(status, &body),
                    retry_after,
                )
            }
            Err((failure, error)) => {
                tracing::debug!(method = %request.method, path = %request.full_path(), attempt, ?elapsed, error = %error.message(), "thrive call failed");
                (failure, error, None)
            }
        };
        // One rule for what is retried here and for the `retryable` flag
        // the step's error carries: safe to send again as is.
        let retryable = policy.is_retryable(request.method, failure);
        let error = error
            .with_retry(failure.delivery(), retryable)
            .with_retry_after(retry_after);
        if !(retryable && attempt < policy.max_attempts) {
            return Err(finish(error, attempt));
        }
        // Thrive's Retry-After wins over our own backoff; a wait that would
        // end past the deadline is not started.
        let wait = retry_after.unwrap_or_else(|| policy.backoff(attempt));
        if failure == Failure::Status(429) {
            ctx.close_gate(&connection.tenant_id, origin, Instant::now() + wait);
        }
        if Instant::now() + wait >= deadline {
            return Err(finish(error, attempt));
        }
        tracing::info!(method = %request.method, path = %request.full_path(), attempt, wait_ms = wait.as_millis() as u64, "retrying Thrive call");
        tokio::time::sleep(wait).await;
    }
}

/// Waits while a 429 for this tenant and host holds every call back; fails
/// with `rate_limited` when the wait would outlast the call's deadline.
async fn wait_for_gate(
    ctx: &Context,
    connection: &Connection,
    origin: &Origin,
    deadline: Instant,
    attempt: u32,
) -> Result<()> {
    if let Some(until) = ctx.gate_until(&connection.tenant_id, origin) {
        if until >= deadline {
            return Err(Error::new(
                ErrorCode::RateLimited,
                "Thrive asked to slow down for longer than the call's deadline",
            )
            .with_status(429)
            .with_attempts(attempt - 1));
        }
        tokio::time::sleep_until(until.into()).await;
    }
    Ok(())
}

/// The `Authorization` header value: Basic from the key, or a bearer token
/// from the cache (renewed when `stale` is the token that was refused).
async fn authorisation(
    ctx: &Context,
    origin: &Origin,
    connection: &Connection,
    method: AuthMethod,
    stale: Option<&Secret>,
    remaining: Duration,
) -> Result<Secret> {
    match method {
        AuthMethod::Basic => Ok(basic_header(&connection.tenant_id, &connection.api_key)),
        AuthMethod::OAuth => {
            ctx.tokens()
                .bearer(
                    ctx.http(),
                    origin,
                    connection,
                    stale,
                    remaining.min(ctx.timeout()),
                )
                .await
        }
    }
}

/// A slot under the per-host concurrency cap, when one is set.
async fn permit(
    ctx: &Context,
    base_url: &str,
) -> Result<Option<tokio::sync::OwnedSemaphorePermit>> {
    match ctx.limiter(base_url) {
        Some(sem) => sem
            .acquire_owned()
            .await
            .map(Some)
            .map_err(|_| Error::new(ErrorCode::Transport, "the concurrency limiter was closed")),
        None => Ok(None),
    }
}

/// Thrive's `Retry-After`, as a wait from now.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()))
}

/// The step's error after its last attempt, saying how many there were.
fn finish(error: Error, attempts: u32) -> Error {
    let message = if attempts > 1 {
        format!("{} (after {attempts} attempts)", error.message())
    } else {
        error.message().to_owned()
    };
    error.with_message(message).with_attempts(attempts)
}

/// The status, Thrive's `Retry-After` (read only from a failed answer) and
/// the body.
type Sent = (u16, Option<Duration>, bytes::Bytes);

async fn send_once(
    ctx: &Context,
    url: &reqwest::Url,
    request: &ApiRequest,
    auth: &Secret,
    timeout: Duration,
) -> std::result::Result<Sent, (Failure, Error)> {
    let method = match request.method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
    };
    let mut builder = ctx
        .http()
        .request(method, url.clone())
        .header(reqwest::header::AUTHORIZATION, auth.expose())
        .header(reqwest::header::ACCEPT, "application/json")
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .timeout(timeout);
    if let Some(body) = &request.body {
        builder = builder.body(body.to_string());
    }
    let classify = |e: reqwest::Error| {
        // A refused certificate and a connection that could not be opened
        // come before the timeout check: a connect timeout sent nothing.
        let (failure, code) = if is_certificate_error(&e) {
            (Failure::Certificate, ErrorCode::Transport)
        } else if e.is_connect() && e.is_timeout() {
            (Failure::Connect, ErrorCode::Timeout)
        } else if e.is_connect() {
            (Failure::Connect, ErrorCode::Transport)
        } else if e.is_timeout() {
            (Failure::Timeout, ErrorCode::Timeout)
        } else {
            (Failure::Broken, ErrorCode::Transport)
        };
        let what = match failure {
            Failure::Timeout => format!("Thrive did not answer within {timeout:?}"),
            Failure::Certificate => format!(
                "the host's TLS certificate is not trusted (not retried): {}",
                describe(&e)
            ),
            _ if code == ErrorCode::Timeout => {
                format!(
                    "the connection to Thrive could not be opened within the timeout: {}",
                    describe(&e)
                )
            }
            _ => format!("the connection to Thrive failed: {}", describe(&e)),
        };
        (failure, Error::new(code, what))
    };
    ctx.note_request_started();
    let response = builder.send().await.map_err(classify)?;
    let status = response.status().as_u16();
    let retry_after = if (200..300).contains(&status) {
        None
    } else {
        retry_after(response.headers())
    };
    let bytes = response.bytes().await.map_err(classify)?;
    Ok((status, retry_after, bytes))
}
