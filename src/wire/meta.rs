//! Static facts about a tool that the runtime needs as much as the hosts:
//! its identity, behaviour hints, and how it pages and batches.
//!
//! They live below both [`crate::tool`] (which fills them from a tool's
//! constants) and [`crate::api`] (which follows pages and sends chunks), so
//! neither of those imports the other.

use serde::Serialize;

/// Behaviour hints every host asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hints {
    /// The tool only reads.
    pub read_only: bool,
    /// The tool deletes, replaces or otherwise destroys data.
    pub destructive: bool,
    /// Running the tool twice with the same input has the same effect as once.
    pub idempotent: bool,
}

impl Hints {
    /// A read: read-only, not destructive, idempotent.
    pub const READ: Self = Self {
        read_only: true,
        destructive: false,
        idempotent: true,
    };
    /// A create or add: not idempotent.
    pub const CREATE: Self = Self {
        read_only: false,
        destructive: false,
        idempotent: false,
    };
    /// An update or suspend: idempotent, not destructive.
    pub const UPDATE: Self = Self {
        read_only: false,
        destructive: false,
        idempotent: true,
    };
    /// A delete, remove or replace: destructive and idempotent.
    pub const DESTROY: Self = Self {
        read_only: false,
        destructive: true,
        idempotent: true,
    };
}

/// How a tool's list endpoint pages, so the runtime can follow pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Paging {
    /// Not paginated.
    None,
    /// `{results, pagination}` envelope with `totalPages`.
    #[serde(rename_all = "camelCase")]
    Envelope {
        /// The largest `perPage` the endpoint accepts.
        max_per_page: u32,
    },
    /// A bare JSON array; the last page is the first one shorter than `perPage`.
    #[serde(rename_all = "camelCase")]
    BareArray {
        /// The largest `perPage` the endpoint accepts.
        max_per_page: u32,
        /// The `perPage` the endpoint uses when none is sent.
        default_per_page: u32,
    },
}

impl Paging {
    /// Whether the tool pages at all.
    pub fn is_paginated(self) -> bool {
        !matches!(self, Self::None)
    }
}

/// How a request with a long item list is split into several calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Batching {
    /// One call, whatever the input.
    None,
    /// The array at `pointer` in the body (`""`: the body itself) is sent in
    /// chunks of at most `size` items, in order, and the answers merged.
    #[serde(rename_all = "camelCase")]
    Chunked {
        /// JSON pointer of the array within the body.
        pointer: &'static str,
        /// Items per call.
        size: usize,
    },
}

/// Static, serialisable facts about a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolMeta {
    /// See [`Block::ID`](crate::block::Block::ID).
    pub id: &'static str,
    /// See [`Block::TITLE`](crate::block::Block::TITLE).
    pub title: &'static str,
    /// See [`Block::DESCRIPTION`](crate::block::Block::DESCRIPTION).
    pub description: &'static str,
    /// See [`Block::VERSION`](crate::block::Block::VERSION).
    pub version: &'static str,
    /// See [`Block::ENDPOINT`](crate::block::Block::ENDPOINT).
    pub endpoint: &'static str,
    /// See [`Block::HINTS`](crate::block::Block::HINTS).
    pub hints: Hints,
    /// See [`Block::PAGING`](crate::block::Block::PAGING).
    pub paging: Paging,
    /// See [`Block::BATCHING`](crate::block::Block::BATCHING).
    pub batching: Batching,
    /// See [`Block::RULES`](crate::block::Block::RULES).
    #[serde(skip)]
    pub rules: &'static [crate::rules::Rule],
}
