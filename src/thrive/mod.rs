//! The Thrive operations, one folder per resource and one file per operation.
//! A tool id maps to its file: `thrive_add_audience_members` is
//! `members/add.rs`, `thrive_query_cpd_entries` is `cpd/query_entries.rs`.

pub mod activities;
pub mod assignments;
pub mod audiences;
pub mod common;
pub mod completions;
pub mod connection;
pub mod content;
pub mod cpd;
pub mod enrolments;
pub mod events;
mod listing;
pub mod managers;
pub mod members;
pub mod natural_key;
pub mod paging;
pub mod provisioning;
pub mod tags;
pub mod users;

pub(crate) use crate::params::check_comma_list;

/// The array at `pointer` in the body (`""` for a bare array) sent in calls
/// of at most Thrive's per-call limit of 100 items
/// ([`REPLACE_LIMIT`](crate::params::REPLACE_LIMIT), the same limit that a
/// replace cannot chunk around), the answers merged: the batching of every
/// add, remove and update that carries a list.
pub(crate) const fn chunked(pointer: &'static str) -> crate::tool::Batching {
    crate::tool::Batching::Chunked {
        pointer,
        size: crate::params::REPLACE_LIMIT,
    }
}

/// The comma-separated list as sent: items trimmed and joined with `,`.
pub(crate) fn comma_list(value: Option<&str>) -> Option<String> {
    value.map(|v| v.split(',').map(str::trim).collect::<Vec<_>>().join(","))
}
