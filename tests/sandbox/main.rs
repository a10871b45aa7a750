//! Every tool against the embedded sandbox with its output checked against
//! the sandbox's state, the member sync, and workflows across tools.
//!
//! One test binary (one build, one link) with a module per subject; the
//! helpers are shared from `tests/support_sandbox`.

#[cfg(feature = "sandbox")]
#[path = "../support_sandbox/mod.rs"]
mod support_sandbox;

mod sandbox_tools;
mod sync;
mod workflows;
