//! Running a tool's pure halves without a network.
//!
//! A single 2xx call is two pure functions and one send: the request the
//! catalogue prepares from the input (what [`Catalogue::dry_run`] shows)
//! and the output
//! the tool reads from the answer ([`thrive_blocks::CatalogueTool::output_raw`]).
//! [`Offline`] runs those two and replaces the send with a queue of answers,
//! so request and output shapes are checked without a server.
//!
//! What the send itself decides stays on [`super::CaptureServer`]: errors
//! (built, flagged retryable and recovered by the send loop), retries,
//! paging (`returnAll`), chunking, tools made of several calls and the call
//! metadata an output may read.
//! [`Offline`] refuses those loudly instead of imitating them, and
//! `tests/tools/wire.rs` sends every tool through a loopback server and
//! checks the wire carries exactly what [`Offline`] reports.

use super::{Captured, only, with_credentials};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::Mutex;
use thrive_blocks::wire::{ApiRequest, CallMeta, RawResponse};
use thrive_blocks::{Catalogue, Error};

/// Tools whose output reads the call's metadata (time taken, host), which
/// only a real send has.
const READS_CALL_META: &[&str] = &["thrive_test_connection"];

/// Whether tool `id` can run offline at all: one call whose output reads
/// only the answer (not a composite of several calls, not an output made
/// from the call's metadata). Its input may still need a server (see
/// [`Offline::run`]).
pub fn runs_offline(id: &str) -> bool {
    thrive_blocks::Catalogue::global()
        .get(id)
        .is_ok_and(|t| t.dyn_tool().is_some())
        && !READS_CALL_META.contains(&id)
}

/// The pure stand-in for [`super::CaptureServer`] (same methods), for single
/// calls answered 2xx.
#[derive(Default)]
pub struct Offline {
    seen: Mutex<Vec<Captured>>,
    replies: Mutex<VecDeque<(u16, Value)>>,
}

impl Offline {
    /// An exchange with no answers queued (an empty queue answers 200 `{}`,
    /// as the capture server does).
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues a 2xx answer with JSON `body` (`Value::Null`: no body).
    pub fn reply(&self, status: u16, body: Value) -> &Self {
        assert!(
            (200..300).contains(&status),
            "Offline answers 2xx only; errors are built by the send loop, test {status} with CaptureServer"
        );
        self.replies.lock().unwrap().push_back((status, body));
        self
    }

    /// Every request "sent" so far.
    pub fn requests(&self) -> Vec<Captured> {
        self.seen.lock().unwrap().clone()
    }

    /// The only request sent (panics unless exactly one was).
    pub fn single(&self) -> Captured {
        only(self.requests())
    }

    /// Runs tool `id` with `params`: validates and builds the request as
    /// `execute` does (a validation error is returned and nothing is
    /// recorded), records it, and reads the next queued answer with the
    /// tool's own output. Nothing here waits, so it is not `async`.
    pub fn run(&self, id: &str, params: Value) -> Result<Value, Error> {
        let tool = Catalogue::global().get(id)?;
        assert!(
            runs_offline(id),
            "{id} makes several calls or reads the call's metadata; test it with CaptureServer"
        );
        let prepared = tool.prepare(with_credentials(params))?;
        assert!(
            !prepared.returns_all(),
            "{id} with returnAll pages through a server; test it with CaptureServer"
        );
        assert!(
            prepared.chunking().is_none(),
            "{id} sends this list in chunks; test it with CaptureServer"
        );
        self.seen.lock().unwrap().push(captured(&prepared.request));
        let (status, body) = self
            .replies
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or((200, json!({})));
        let bytes = if body.is_null() {
            Vec::new()
        } else {
            body.to_string().into_bytes()
        };
        tool.output_raw(RawResponse {
            status,
            bytes: bytes.into(),
            meta: CallMeta::default(),
        })
    }
}

/// The request as a server would capture it: method, path and query as
/// sent, the body as JSON. Headers are not part of it (they are added by
/// the send); `tests/tools/wire.rs` checks them on the wire.
fn captured(request: &ApiRequest) -> Captured {
    let query = request.encoded_query();
    Captured {
        method: request.method.to_string(),
        path: request.full_path(),
        query: (!query.is_empty()).then_some(query),
        authorization: None,
        content_type: None,
        accept: None,
        body: request.body.clone().unwrap_or(Value::Null),
    }
}
