//! Adapters that expose the catalogue to hosts in other languages.

pub mod cli;
#[cfg(feature = "sandbox")]
pub mod demo;
