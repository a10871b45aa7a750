//! The exchange with Thrive: the one place that does I/O. Host checks,
//! auth, timeouts, retries, rate-limit gates ([`send`]), auto-pagination
//! ([`Pager`]) and batching of long item lists (chunked sending with a merge
//! of the answers).

mod chunked;
mod merge;
mod pager;
mod send;

pub use pager::{PageParts, Pager};
pub use send::{send, send_raw};

use crate::api::auth::AuthMethod;
use crate::api::{ApiResponse, CallMeta, Context, Prepared};
use crate::error::{Error, Result};
use crate::wire::RawResponse;
use std::time::Instant;

/// Runs a prepared step: one call, or several when `returnAll` pages or a
/// long item list is sent in chunks.
pub async fn run(ctx: &Context, prepared: &Prepared) -> Result<ApiResponse> {
    run_raw(ctx, prepared).await.map(Answer::parse)
}

/// The answer of a step: one call's unparsed body, or the parsed (and
/// merged) answer of several calls.
#[derive(Debug)]
pub enum Answer {
    /// One call: the tool's output reads the bytes directly.
    Raw(RawResponse),
    /// Pages or chunks, already parsed and merged.
    Parsed(ApiResponse),
}

impl Answer {
    /// The answer as an [`ApiResponse`].
    pub fn parse(self) -> ApiResponse {
        match self {
            Self::Raw(raw) => raw.parse(),
            Self::Parsed(response) => response,
        }
    }
}

/// [`run`], leaving a single call's body unparsed ([`Answer::Raw`]).
pub async fn run_raw(ctx: &Context, prepared: &Prepared) -> Result<Answer> {
    if prepared.returns_all() {
        // The pager resolves (and checks) the host itself.
        return pager::collect_all(ctx, prepared).await.map(Answer::Parsed);
    }
    // Parsed and checked once per host and context, not per call.
    let endpoint = ctx.resolve(
        prepared.connection.host.as_deref(),
        prepared.request.version,
    )?;
    if let Some((pointer, size)) = prepared.chunking() {
        return chunked::send_chunked(ctx, &endpoint.origin, prepared, pointer, size)
            .await
            .map(Answer::Parsed);
    }
    send::send_to(ctx, &endpoint, &prepared.connection, &prepared.request)
        .await
        .map(Answer::Raw)
}

/// The metadata of a step that failed: how often it was tried, for how
/// long, where and as whom. Hosts hand it to a tool's `recover`.
pub fn failure_meta(
    ctx: &Context,
    prepared: &Prepared,
    error: &Error,
    started: Instant,
) -> CallMeta {
    CallMeta {
        attempts: error.attempts(),
        elapsed: started.elapsed(),
        origin: ctx
            .hosts()
            .resolve(prepared.connection.host.as_deref())
            .map(|o| o.base_url())
            .unwrap_or_else(|_| prepared.connection.host.clone().unwrap_or_default()),
        auth: AuthMethod::of(&prepared.connection).as_str(),
    }
}
