//! Adapters that expose the catalogue to hosts in other languages, grouped
//! by what they serve:
//!
//! - [`cli`]: the `thrive-blocks` command line (`run`, `describe`, `serve`, ...);
//! - `server`: what every long-running HTTP server shares (connection
//!   limits, request guard, refusals, graceful stop);
//! - [`http`]: the HTTP block server, its playground and OpenAPI document;
//! - [`mcp`]: the MCP server over stdio and over HTTP;
//! - `events`: trigger events (`listen`, the webhook routes);
//! - `export`: generated packages (Node-RED, AI agent tool lists);
//! - `batch`, `demo`, `sandbox`: the command line's batch mode, guided demo
//!   and embedded sandbox.

#[cfg(feature = "cli")]
pub mod batch;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "sandbox")]
pub mod demo;
pub mod events;
pub mod export;
#[cfg(feature = "server")]
pub mod http;
#[cfg(feature = "mcp")]
pub mod mcp;
#[cfg(all(feature = "cli", feature = "sandbox"))]
pub mod sandbox;
#[cfg(feature = "server")]
pub mod server;
