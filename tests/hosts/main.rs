//! The hosts: the command line (one step, batch mode, the newcomer path,
//! the README's walk-through), the HTTP block server and its playground
//! routes under production conditions, and the MCP server.
//!
//! One test binary (one build, one link) with a module per subject; the
//! helpers are shared from `tests/common` and `tests/support_sandbox`.

#[path = "../common/mod.rs"]
mod common;
#[cfg(feature = "sandbox")]
#[path = "../support_sandbox/mod.rs"]
mod support_sandbox;

mod batch;
mod bounded_input;
mod cli;
mod cli_newcomer;
mod cli_readme;
mod cli_readme_triggers;
mod fair_share;
mod http_playground;
mod http_server;
mod mcp_protocol;
mod mcp_server;
mod server_hardening;
