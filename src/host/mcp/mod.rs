//! The MCP server: the catalogue as [Model Context Protocol] tools, so AI
//! assistants and MCP hosts can list and call every Thrive tool.
//!
//! ```text
//! initialize      serverInfo thrive-blocks, capabilities: tools
//! tools/list      every tool: name = tool id, title, description (with the endpoint),
//!                 inputSchema (without the connection inputs), outputSchema, annotations
//! tools/call      the tool's output as text and structuredContent, or isError with
//!                 {"error": {"code", "message", "details"?, ...}}
//! ```
//!
//! **Credentials never go through the model.** The server is given one
//! connection ([`Connection`](crate::params::Connection): tenant, API key, host and, for OAuth, client id
//! and scope) by its operator. Every tool's `inputSchema` leaves out the
//! inputs marked `x-thrive-credential`; on each call the server adds the
//! operator's connection to the arguments. A call whose arguments name a
//! connection input (`tenantId`, `apiKey`, `host`, `clientId`, `scope`) is
//! refused with an `invalid_input` tool error naming the field, so a model
//! cannot send the key to another host or tenant. Results never contain the
//! API key: besides the crate never putting it in an output or an error, the
//! server replaces any occurrence of a key of 8 or more characters in a
//! result with `***`.
//!
//! **Failures are results, not protocol errors.** A step that fails
//! (invalid input, a refused host, an error from Thrive, a timeout) answers
//! `isError: true` with [`Error::to_json`](crate::Error::to_json) as its text, so the model can read
//! what went wrong and fix its input. Only a call of a tool that does not
//! exist is a JSON-RPC error (invalid params, `-32602`).
//!
//! Every call shares the one [`Context`](crate::Context) (HTTP client, OAuth token cache,
//! per-tenant 429 gates). A call the client cancels (`notifications/cancelled`)
//! is dropped at once, retries and all (a write may or may not have reached
//! Thrive by then), and, as the protocol asks, not answered.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use thrive_blocks::host::mcp::{self, McpServer};
//! use thrive_blocks::params::Connection;
//! use thrive_blocks::{Catalogue, Context};
//!
//! let key = std::env::var("THRIVE_API_KEY").unwrap_or_default();
//! let connection = Connection::basic("eu-west-2_AbcdEfghI", key);
//! let server = McpServer::new(Catalogue::global(), Context::from_env(), connection);
//! mcp::serve_stdio(server).await // until the host closes standard input
//! # }
//! ```
//!
//! `thrive-blocks mcp` serves it over stdio with the connection read by
//! [`connection_from_env`] (or, with `--sandbox`, the embedded sandbox's).
//!
//! [Model Context Protocol]: https://modelcontextprotocol.io

// MCP logging (`logging/setLevel`, `notifications/message`) is deprecated
// by a protocol proposal for a future version, but is part of the protocol
// versions clients speak today, and the server offers it.
#![allow(deprecated)]

pub mod http;
mod server;
pub mod stdio;
mod tools;

pub use crate::params::{API_KEY_ENV, CLIENT_ID_ENV, HOST_ENV, SCOPE_ENV, TENANT_ID_ENV};
pub use server::McpServer;
pub use stdio::{serve, serve_stdio};
pub use tools::{connection_from_env, mcp_tool, object_subschemas};
