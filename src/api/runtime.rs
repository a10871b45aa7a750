//! The one place that does I/O: host checks, auth, timeouts, retries,
//! rate-limit gates, auto-pagination and batching of long item lists.

use crate::api::auth::{AuthMethod, basic_header};
use crate::api::retry::{Failure, parse_retry_after};
use crate::api::{ApiRequest, ApiResponse, Context, Method, Origin, Prepared, Progress};
use crate::error::{Error, ErrorCode, Result};
use crate::params::{Connection, Secret};
use crate::tool::{Batching, Paging};
use serde_json::{Map, Value, json};
use std::time::{Duration, Instant, SystemTime};

/// Pages beyond this many are never fetched in one step, whatever the
/// server says: a guard against a server that never reports an end.
const MAX_PAGES: u32 = 100_000;

/// Runs a prepared step: one call, or several when `returnAll` pages or a
/// long item list is sent in chunks.
pub async fn run(ctx: &Context, prepared: &Prepared) -> Result<ApiResponse> {
    if prepared.paging.return_all == Some(true) && prepared.tool.paging.is_paginated() {
        // The pager resolves (and checks) the host itself.
        return collect_all(ctx, prepared).await;
    }
    let origin = ctx.hosts().resolve_for(
        prepared.connection.host.as_deref(),
        prepared.request.version,
    )?;
    if let Batching::Chunked { pointer, size } = prepared.tool.batching
        && let Some(items) = prepared
            .request
            .body
            .as_ref()
            .and_then(|b| b.pointer(pointer))
        && items.as_array().is_some_and(|a| a.len() > size)
    {
        return send_chunked(ctx, &origin, prepared, pointer, size).await;
    }
    send(ctx, &origin, &prepared.connection, &prepared.request).await
}

/// Sends one request with auth, timeouts and retries.
pub async fn send(
    ctx: &Context,
    origin: &Origin,
    connection: &Connection,
    request: &ApiRequest,
) -> Result<ApiResponse> {
    let policy = ctx.retry().clone();
    let started = Instant::now();
    let deadline = started + policy.deadline;
    // The query is encoded by `path_and_query` (spaces as %20, as Thrive's
    // docs show them), not by the HTTP client's form encoder.
    let url = format!("{}{}", origin.base_url(), request.path_and_query());
    let method = AuthMethod::of(connection);
    let mut stale_token: Option<Secret> = None;
    let mut renewed = false;
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        // Wait while a 429 for this tenant and host holds every call back.
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
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(Error::new(
                ErrorCode::Timeout,
                format!("no answer within the deadline of {:?}", policy.deadline),
            )
            .with_attempts(attempt - 1));
        }
        let auth = match method {
            AuthMethod::Basic => basic_header(&connection.tenant_id, &connection.api_key),
            AuthMethod::OAuth => {
                ctx.tokens()
                    .bearer(
                        ctx.http(),
                        origin,
                        connection,
                        stale_token.as_ref(),
                        remaining.min(ctx.timeout()),
                    )
                    .await?
            }
        };
        let _permit = match ctx.limiter(&origin.base_url()) {
            Some(sem) => Some(sem.acquire_owned().await.map_err(|_| {
                Error::new(ErrorCode::Transport, "the concurrency limiter was closed")
            })?),
            None => None,
        };
        let attempt_timeout = ctx.timeout().min(remaining);
        let sent = Instant::now();
        let outcome = send_once(ctx, &url, request, &auth, attempt_timeout).await;
        drop(_permit);
        let elapsed = sent.elapsed();
        let (failure, error, retry_after) = match outcome {
            Ok((status, _, bytes)) if (200..300).contains(&status) => {
                tracing::debug!(method = %request.method, path = %request.full_path(), status, attempt, ?elapsed, "thrive call");
                let mut response = ApiResponse::from_bytes(status, &bytes);
                response.meta = crate::api::CallMeta {
                    attempts: attempt,
                    elapsed: started.elapsed(),
                    origin: origin.base_url(),
                    auth: method.as_str(),
                };
                return Ok(response);
            }
            Ok((status, headers, bytes)) => {
                tracing::debug!(method = %request.method, path = %request.full_path(), status, attempt, ?elapsed, "thrive call failed");
                let body = ApiResponse::from_bytes(status, &bytes).body;
                if status == 401 && method == AuthMethod::OAuth && !renewed {
                    // The token may have expired or been revoked: renew once.
                    renewed = true;
                    stale_token = Some(auth);
                    continue;
                }
                let retry_after = headers
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, SystemTime::now()));
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
        let error = error.with_retry(failure.delivery(), retryable);
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

fn finish(error: Error, attempts: u32) -> Error {
    let message = if attempts > 1 {
        format!("{} (after {attempts} attempts)", error.message())
    } else {
        error.message().to_owned()
    };
    error.with_message(message).with_attempts(attempts)
}

type Sent = (u16, reqwest::header::HeaderMap, bytes::Bytes);

async fn send_once(
    ctx: &Context,
    url: &str,
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
        .request(method, url)
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
    let response = builder.send().await.map_err(classify)?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.map_err(classify)?;
    Ok((status, headers, bytes))
}

/// Whether a transport error is a refused TLS certificate (unknown issuer,
/// wrong name, expired, ...): a permanent failure, never retried.
pub(crate) fn is_certificate_error(e: &reqwest::Error) -> bool {
    use std::error::Error as _;
    let is_cert = |err: &(dyn std::error::Error + 'static)| {
        let tls = err.downcast_ref::<rustls::Error>().or_else(|| {
            err.downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        });
        matches!(
            tls,
            Some(
                rustls::Error::InvalidCertificate(_)
                    | rustls::Error::NoCertificatesPresented
                    | rustls::Error::InvalidCertRevocationList(_)
            )
        )
    };
    let mut source = e.source();
    while let Some(s) = source {
        // Connectors may re-wrap rustls's error on the way up, so its
        // words (`invalid peer certificate: ...`) count as well.
        if is_cert(s) || s.to_string().starts_with("invalid peer certificate") {
            return true;
        }
        source = s.source();
    }
    false
}

/// A transport error in words, without the URL (which is harmless, but the
/// chain is more useful) and never with headers.
pub(crate) fn describe(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut parts = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    if parts.is_empty() {
        "connection error".to_owned()
    } else {
        parts.join(": ")
    }
}

/// Follows pages of a paginated tool, yielding one page of items at a time
/// without holding earlier pages. Build one with [`Pager::new`].
pub struct Pager {
    ctx: Context,
    origin: Origin,
    prepared: Prepared,
    page: u32,
    per_page: u32,
    total_pages: Option<u32>,
    total_results: Option<u64>,
    yielded: u64,
    limit: Option<u64>,
    done: bool,
    first_body: Option<Map<String, Value>>,
}

impl Pager {
    /// A pager for a prepared, paginated step. Fails with `host_not_allowed`
    /// before any call if the host is refused.
    pub fn new(ctx: &Context, prepared: Prepared) -> Result<Self> {
        let origin = ctx.hosts().resolve(prepared.connection.host.as_deref())?;
        let max_per_page = match prepared.tool.paging {
            Paging::Envelope { max_per_page } | Paging::BareArray { max_per_page, .. } => {
                max_per_page
            }
            Paging::None => {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!("{} is not paginated", prepared.tool.id),
                ));
            }
        };
        let page = prepared
            .request
            .query_value("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        let per_page = prepared
            .request
            .query_value("perPage")
            .and_then(|p| p.parse().ok())
            .unwrap_or(max_per_page);
        let limit = prepared.paging.max_results;
        Ok(Self {
            ctx: ctx.clone(),
            origin,
            prepared,
            page,
            per_page,
            total_pages: None,
            total_results: None,
            yielded: 0,
            limit,
            done: false,
            first_body: None,
        })
    }

    /// The total number of results the server reported, once known.
    pub fn total_results(&self) -> Option<u64> {
        self.total_results
    }

    /// The next page of items, or `None` after the last one.
    pub async fn next_page(&mut self) -> Option<Result<Vec<Value>>> {
        if self.done {
            return None;
        }
        let mut request = self.prepared.request.clone();
        if request.query_value("page").is_none() {
            // Keep Thrive's documented order: page just before perPage.
            let at = request
                .query
                .iter()
                .position(|(k, _)| k == "perPage")
                .unwrap_or(request.query.len());
            request.query.insert(at, ("page".to_owned(), String::new()));
        }
        request.set_query("page", self.page);
        request.set_query("perPage", self.per_page);
        let response =
            match send(&self.ctx, &self.origin, &self.prepared.connection, &request).await {
                Ok(r) => r,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
        let (mut items, pagination) = match response.body {
            Value::Array(items) => (items, None),
            Value::Object(mut map) => {
                let items = match map.remove("results") {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                };
                let pagination = map.get("pagination").cloned();
                if self.first_body.is_none() {
                    map.remove("pagination");
                    self.first_body = Some(map);
                }
                (items, pagination)
            }
            _ => (Vec::new(), None),
        };
        if let Some(p) = pagination.as_ref() {
            self.total_pages = p
                .get("totalPages")
                .and_then(Value::as_u64)
                .map(|n| n.min(u64::from(MAX_PAGES)) as u32);
            self.total_results = p.get("totalResults").and_then(Value::as_u64);
        }
        let short = items.len() < self.per_page as usize;
        // A bare page larger than perPage means the server does not page
        // (the paging of /tags is disputed): this page is everything.
        let unpaged = pagination.is_none() && items.len() > self.per_page as usize;
        if let Some(limit) = self.limit {
            let room = limit.saturating_sub(self.yielded) as usize;
            if items.len() >= room {
                items.truncate(room);
                self.done = true;
            }
        }
        self.yielded += items.len() as u64;
        let last = match self.total_pages {
            Some(total) => self.page >= total,
            None => short || unpaged,
        };
        if last || items.is_empty() || self.page >= MAX_PAGES {
            self.done = true;
        }
        self.page += 1;
        self.ctx.report(Progress {
            done: self.yielded,
            total: self
                .total_results
                .map(|t| self.limit.map_or(t, |l| l.min(t))),
        });
        Some(Ok(items))
    }
}

async fn collect_all(ctx: &Context, prepared: &Prepared) -> Result<ApiResponse> {
    let mut pager = Pager::new(ctx, prepared.clone())?;
    let mut all = Vec::new();
    while let Some(page) = pager.next_page().await {
        all.extend(page?);
    }
    let count = all.len() as u64;
    let body = match prepared.tool.paging {
        Paging::BareArray { .. } => Value::Array(all),
        _ => {
            let mut map = pager.first_body.take().unwrap_or_default();
            map.insert("results".into(), Value::Array(all));
            map.insert(
                "pagination".into(),
                json!({
                    "totalResults": pager.total_results.unwrap_or(count),
                    "totalPages": 1,
                    "page": 1,
                    "perPage": count,
                }),
            );
            Value::Object(map)
        }
    };
    Ok(ApiResponse::new(200, body))
}

async fn send_chunked(
    ctx: &Context,
    origin: &Origin,
    prepared: &Prepared,
    pointer: &str,
    size: usize,
) -> Result<ApiResponse> {
    let body = prepared.request.body.clone().unwrap_or(Value::Null);
    let items = body
        .pointer(pointer)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let total = items.len() as u64;
    let mut merged = BulkMerge::default();
    let mut sent = 0u64;
    for chunk in items.chunks(size) {
        let mut request = prepared.request.clone();
        let mut chunk_body = body.clone();
        if let Some(slot) = chunk_body.pointer_mut(pointer) {
            *slot = Value::Array(chunk.to_vec());
        }
        request.body = Some(chunk_body);
        let response = send(ctx, origin, &prepared.connection, &request)
            .await
            .map_err(|e| {
                if sent > 0 {
                    let message = format!(
                        "{} (the first {sent} of {total} items were already sent and applied)",
                        e.message()
                    );
                    // Part of the step took effect: sending the same step
                    // again as is would send those items twice.
                    let delivery = e.delivery();
                    e.with_message(message)
                        .with_details(json!({ "itemsApplied": sent, "itemsTotal": total }))
                        .with_retry(delivery, false)
                } else {
                    e
                }
            })?;
        merged.add(response);
        sent += chunk.len() as u64;
        ctx.report(Progress {
            done: sent,
            total: Some(total),
        });
    }
    Ok(merged.finish())
}

/// Merges the answers of several chunked calls into one.
#[derive(Default)]
struct BulkMerge {
    partial: bool,
    success: Vec<Value>,
    failure: Vec<Value>,
    saw_envelope: bool,
    message_count: u64,
    last_message: Option<(Value, String)>,
}

impl BulkMerge {
    fn add(&mut self, response: ApiResponse) {
        self.partial |= response.is_partial();
        let body = response.body;
        if body.get("success").is_some() || body.get("failure").is_some() {
            self.saw_envelope = true;
            for (key, out) in [
                ("success", &mut self.success),
                ("failure", &mut self.failure),
            ] {
                if let Some(entities) = body
                    .pointer(&format!("/{key}/entities"))
                    .and_then(Value::as_array)
                {
                    out.extend(entities.iter().cloned());
                }
            }
        } else if let Some(message) = body.get("message").and_then(Value::as_str) {
            // `{status, message}` where the message starts with a count:
            // "2 tag(s) added successfully to the learner."
            let (count, rest) = split_count(message);
            self.message_count += count;
            self.last_message = Some((
                body.get("status").cloned().unwrap_or(Value::Null),
                rest.to_owned(),
            ));
        }
    }

    fn finish(self) -> ApiResponse {
        if self.saw_envelope {
            let mut body = json!({
                "success": { "count": self.success.len(), "entities": self.success },
            });
            if !self.failure.is_empty() {
                body["failure"] = json!({ "count": self.failure.len(), "entities": self.failure });
            }
            let status = if self.partial || body.get("failure").is_some() {
                207
            } else {
                200
            };
            return ApiResponse::new(status, body);
        }
        match self.last_message {
            Some((status, rest)) => ApiResponse::new(
                200,
                json!({ "status": status, "message": format!("{}{rest}", self.message_count) }),
            ),
            None => ApiResponse::new(200, Value::Null),
        }
    }
}

fn split_count(message: &str) -> (u64, &str) {
    let digits = message.len()
        - message
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    match message[..digits].parse::<u64>() {
        Ok(n) => (n, &message[digits..]),
        Err(_) => (0, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_merge_of_envelopes_and_messages() {
        let mut m = BulkMerge::default();
        m.add(ApiResponse::new(
            200,
            json!({"success": {"count": 2, "entities": [{"reference": "a"}, {"reference": "b"}]}}),
        ));
        m.add(ApiResponse::new(207, json!({"success": {"count": 0, "entities": []},
            "failure": {"count": 1, "entities": [{"reason": "User does not exist.", "reference": "c"}]}})));
        let r = m.finish();
        assert_eq!(r.status, 207);
        assert_eq!(r.body["success"]["count"], 2);
        assert_eq!(r.body["failure"]["entities"][0]["reference"], "c");

        let mut m = BulkMerge::default();
        m.add(ApiResponse::new(
            200,
            json!({"status": 200, "message": "100 tag(s) added successfully to the learner."}),
        ));
        m.add(ApiResponse::new(
            200,
            json!({"status": 200, "message": "5 tag(s) added successfully to the learner."}),
        ));
        assert_eq!(
            m.finish().body,
            json!({"status": 200, "message": "105 tag(s) added successfully to the learner."})
        );
    }
}
