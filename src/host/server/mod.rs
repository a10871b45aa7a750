//! What the long-running servers (the HTTP block server and the MCP server
//! over HTTP) share: the connection limits and graceful stop ([`conn`]),
//! the request checks ([`guard`]), the refusals (`refusal`), the stop
//! signal ([`shutdown`]) and the bearer token ([`token`]).

pub mod conn;
pub mod guard;
pub(crate) mod refusal;
pub mod shutdown;
pub mod token;
