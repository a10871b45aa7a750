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
pub mod managers;
pub mod members;
pub mod tags;
pub mod users;

use crate::error::Violation;

/// Reports blank strings inside a list input (`["a", " "]`).
pub(crate) fn check_non_blank_items(field: &str, items: &[String], out: &mut Vec<Violation>) {
    for (i, item) in items.iter().enumerate() {
        if item.trim().is_empty() {
            out.push(Violation::new(
                format!("/{field}/{i}"),
                format!("{field}[{i}] must not be empty"),
            ));
        }
    }
}
