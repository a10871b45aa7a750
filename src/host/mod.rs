//! Adapters that expose the catalogue to hosts in other languages.

#[cfg(feature = "cli")]
pub mod batch;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "sandbox")]
pub mod demo;
#[cfg(feature = "server")]
pub mod http;
#[cfg(feature = "mcp")]
pub mod mcp;
