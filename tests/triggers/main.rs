//! Triggers in process (receiver, durable log, stream, polling, catalogue)
//! and across processes (SIGKILL of the receiver, signed webhooks to
//! `listen`).
//!
//! One test binary (one build, one link) with a module per subject.

mod triggers;
mod triggers_process;
