//! Adapters that expose the catalogue to hosts in other languages.

#[cfg(feature = "cli")]
pub mod batch;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "server")]
pub mod conn;
#[cfg(feature = "sandbox")]
pub mod demo;
#[cfg(all(feature = "sandbox", feature = "server"))]
mod demo_trigger;
#[cfg(feature = "cli")]
pub mod describe;
pub mod export_agents;
#[cfg(feature = "server")]
pub mod guard;
#[cfg(feature = "server")]
pub mod http;
#[cfg(feature = "cli")]
pub mod listen;
#[cfg(feature = "mcp")]
pub mod mcp;
#[cfg(feature = "mcp")]
pub mod mcp_http;
#[cfg(feature = "mcp")]
pub mod mcp_transport;
#[cfg(feature = "cli")]
pub mod node_red;
#[cfg(feature = "server")]
pub(crate) mod refusal;
#[cfg(feature = "server")]
pub mod shutdown;

#[cfg(feature = "server")]
pub mod openapi;
#[cfg(feature = "server")]
pub mod playground;

#[cfg(all(feature = "cli", feature = "sandbox"))]
pub mod sandbox;

#[cfg(feature = "server")]
pub mod webhooks;
