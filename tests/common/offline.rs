//! Running a tool's pure halves without a network.
//!
//! A single 2xx call is two pure functions and one send: the request the
//! catalogue builds from the input ([`Catalogue::dry_run`]) and the output
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

use super::{Captured, KEY, TENANT};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::Mutex;
use thrive_blocks::wire::Batching;
use thrive_blocks::wire::{CallMeta, RawResponse};
use thrive_blocks::{Catalogue, Context, Error};

/// Tools whose output reads the call's metadata (time taken, host), which
/// only a real send has.
const READS_CALL_META: &[&str] = &["thrive_test_connection"];

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
        let seen = self.requests();
        assert_eq!(seen.len(), 1, "expected exactly one request, saw {seen:#?}");
        seen.into_iter().next().unwrap()
    }

    /// `params` plus tenantId and apiKey.
    pub fn input(&self, params: Value) -> Value {
        let mut input = json!({"tenantId": TENANT, "apiKey": KEY});
        for (k, v) in params.as_object().expect("params must be an object") {
            input[k] = v.clone();
        }
        input
    }

    /// Runs tool `id` with `params`: validates and builds the request as
    /// `execute` does (a validation error is returned and nothing is
    /// recorded), records it, and reads the next queued answer with the
    /// tool's own output. Nothing here waits, so it is not `async`.
    pub fn run(&self, id: &str, params: Value) -> Result<Value, Error> {
        let catalogue = Catalogue::global();
        let input = self.input(params);
        let tool = catalogue.get(id)?;
        assert!(
            thrive_blocks::catalogue::composite::find(id).is_none(),
            "{id} makes several calls; test it with CaptureServer"
        );
        assert!(
            !READS_CALL_META.contains(&id),
            "{id}'s output reads the call's metadata; test it with CaptureServer"
        );
        let prepared = tool.prepare(input.clone())?;
        assert!(
            !prepared.returns_all(),
            "{id} with returnAll pages through a server; test it with CaptureServer"
        );
        if let Batching::Chunked { pointer, size } = prepared.tool.batching {
            let items = prepared
                .request
                .body
                .as_ref()
                .and_then(|b| b.pointer(pointer));
            assert!(
                items
                    .and_then(Value::as_array)
                    .is_none_or(|a| a.len() <= size),
                "{id} sends more than {size} items in chunks; test it with CaptureServer"
            );
        }
        let dry = catalogue.dry_run(id, input, &Context::default())?;
        self.seen.lock().unwrap().push(captured(&dry.request));
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
/// sent, the body as JSON. Headers are not part of a dry run (its
/// credentials are masked); `tests/tools/wire.rs` checks them on the wire.
fn captured(request: &thrive_blocks::wire::ApiRequest) -> Captured {
    let line = request.path_and_query();
    let (path, query) = match line.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (line, None),
    };
    Captured {
        method: request.method.to_string(),
        path,
        query,
        authorization: None,
        content_type: None,
        accept: None,
        body: request.body.clone().unwrap_or(Value::Null),
    }
}
