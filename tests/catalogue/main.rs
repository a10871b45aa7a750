//! The catalogue as a host sees it: every tool once, its schemas and
//! flavours, its inputs and outputs against seed 004, one verdict from
//! `validate` and `dry_run` over arbitrary input, and the crate's module
//! graph pointing one way.
//!
//! One test binary (one build, one link) with a module per subject; the
//! helpers are shared from `tests/common`.

#[path = "../common/mod.rs"]
mod common;

mod architecture;
mod catalogue;
mod flavours;
mod form_rules;
mod properties;
mod seed_conformance;
