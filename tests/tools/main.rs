//! Request, output and error shapes of every operation, one module per
//! resource, in one test binary (one build, one link) with the shared
//! helpers of `tests/common`.
//!
//! Request shapes and outputs of single 2xx calls are checked offline
//! ([`common::Offline`]: the catalogue's dry run and the tool's own reading
//! of an answer); what is really I/O (errors as the send loop builds them,
//! retries, paging, chunking) runs against a loopback [`common::CaptureServer`].

#[path = "../common/mod.rs"]
mod common;

mod assignments;
mod audiences;
mod completions;
mod content;
mod cpd;
mod managers;
mod members;
mod tags;
mod users;
mod wire;
