//! The runtime: retries, Retry-After, timeouts, the 429 gate, OAuth,
//! paging and chunking on loopback servers; honest retry signals; and the
//! sandbox with its fault switches on.
//!
//! One test binary (one build, one link) with a module per subject; the
//! helpers are shared from `tests/common`.

#[path = "../common/mod.rs"]
mod common;

mod resilience;
mod runtime;
mod runtime_delivery;
