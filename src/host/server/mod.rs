//! What the long-running servers (the HTTP block server and the MCP server
//! over HTTP) share: the connection limits and graceful stop ([`conn`]),
//! the request checks ([`guard`]), the servers' own refusals ([`refusal`])
//! and the stop signal ([`shutdown`]).

pub mod conn;
pub mod guard;
pub(crate) mod refusal;
pub mod shutdown;
