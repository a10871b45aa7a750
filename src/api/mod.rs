//! Talking to Thrive: the request description, hosts, the execution
//! context (shared HTTP client, timeouts, retries, auth) and the runtime that
//! does all I/O for every tool.

pub mod auth;
mod context;
pub mod exchange;
pub mod host;
pub mod retry;
pub mod transport;

pub use crate::wire::request::{
    ApiRequest, ApiResponse, ApiVersion, CallMeta, JsonBody, Method, segment,
};
pub(crate) use context::Endpoint;
pub use context::{Context, ContextBuilder};
pub use exchange::{PageParts, Pager};
pub use host::{DEFAULT_HOST, HostPolicy, Origin, REGION_HOSTS};
pub use retry::RetryPolicy;

use crate::params::{Connection, PagingOptions};
use crate::wire::ToolMeta;
use std::sync::Arc;

/// A validated step, ready to send.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The tool's static facts.
    pub tool: ToolMeta,
    /// Where to send it and as whom.
    pub connection: Connection,
    /// `returnAll` / `maxResults`.
    pub paging: PagingOptions,
    /// The request for the first (or only) call.
    pub request: ApiRequest,
}

impl Prepared {
    /// Whether the step fetches every page (`returnAll` on a paginated tool).
    pub fn returns_all(&self) -> bool {
        self.paging.return_all == Some(true) && self.tool.paging.is_paginated()
    }

    /// Where the step's list is and how many items go per call, when the
    /// body holds more than one call takes ([`Batching::Chunked`]): the
    /// step is then sent in chunks. `None` for a single call.
    ///
    /// [`Batching::Chunked`]: crate::wire::Batching::Chunked
    pub fn chunking(&self) -> Option<(&'static str, usize)> {
        let crate::wire::Batching::Chunked { pointer, size } = self.tool.batching else {
            return None;
        };
        let items = self.request.body.as_ref()?.pointer(pointer)?.as_array()?;
        (items.len() > size).then_some((pointer, size))
    }
}

/// Progress of a multi-call step (pages fetched or chunks sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Items fetched (pages) or sent (chunks) so far.
    pub done: u64,
    /// The total, when known.
    pub total: Option<u64>,
}

/// A callback for [`Progress`].
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;
