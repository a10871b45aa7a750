//! The exchange with Thrive: the one place that does I/O. Host checks,
//! auth, timeouts, retries, rate-limit gates ([`send`]), auto-pagination
//! ([`Pager`]) and batching of long item lists (chunked sending with a merge
//! of the answers).

mod chunked;
mod merge;
mod pager;
mod send;

pub use pager::Pager;
pub use send::send;

use crate::api::auth::AuthMethod;
use crate::api::{ApiResponse, CallMeta, Context, Prepared};
use crate::error::{Error, Result};
use crate::wire::Batching;
use std::time::Instant;

/// Runs a prepared step: one call, or several when `returnAll` pages or a
/// long item list is sent in chunks.
pub async fn run(ctx: &Context, prepared: &Prepared) -> Result<ApiResponse> {
    if prepared.paging.return_all == Some(true) && prepared.tool.paging.is_paginated() {
        // The pager resolves (and checks) the host itself.
        return pager::collect_all(ctx, prepared).await;
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
        return chunked::send_chunked(ctx, &origin, prepared, pointer, size).await;
    }
    send(ctx, &origin, &prepared.connection, &prepared.request).await
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
