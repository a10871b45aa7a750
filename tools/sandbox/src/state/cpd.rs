//! Continuing professional development: categories, log entries,
//! requirement summaries and per-user summaries (behaviour.md §17).
//!
//! Choices for undocumented behaviour:
//! - Categories have no `updatedAt` in any schema, so `updatedSince` on the
//!   category query is accepted and ignored (operations.md, CPD notes).
//! - Requirement `updatedSince` compares `updatedAt`, or `createdAt` when
//!   `updatedAt` is null.
//! - Entry and user-summary date filters are inclusive; a bare date as the
//!   upper bound covers the whole day.
//! - User summaries are computed from the entries in the period: one row per
//!   user with at least one entry, in user creation order. With `userIds`,
//!   one row per listed known user, 0 minutes when they logged nothing;
//!   unknown ids are skipped.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::db::Db;
use crate::model::cpd::{CpdCategory, CpdEntry};
use crate::time::{Millis, format_millis};

impl Db {
    /// The log entry object.
    pub(crate) fn cpd_entry_json(&self, e: &CpdEntry) -> Value {
        let category = self
            .cpd_categories
            .iter()
            .find(|c| c.id == e.category_id)
            .map_or(Value::Null, CpdCategory::to_json);
        json!({
            "logEntryId": e.id,
            "userId": e.user_id,
            "activity": { "type": e.activity_type, "name": e.activity_name },
            "category": category,
            "entryDate": format_millis(e.entry_date),
            "durationMinutes": e.duration_minutes,
            "description": e.description,
            "isVerified": e.is_verified,
        })
    }

    /// Entries with `from <= entryDate <= to`, in creation order.
    pub(crate) fn cpd_entries_between(
        &self,
        from: Option<Millis>,
        to: Option<Millis>,
    ) -> Vec<&CpdEntry> {
        self.cpd_entries
            .iter()
            .filter(|e| from.is_none_or(|f| e.entry_date >= f))
            .filter(|e| to.is_none_or(|t| e.entry_date <= t))
            .collect()
    }

    /// `{userId, durationMinutes}` rows for the period (see module docs).
    pub(crate) fn cpd_user_summaries(
        &self,
        from: Millis,
        to: Millis,
        user_ids: Option<&[String]>,
    ) -> Vec<Value> {
        let mut minutes: HashMap<&str, i64> = HashMap::new();
        for e in self.cpd_entries_between(Some(from), Some(to)) {
            *minutes.entry(e.user_id.as_str()).or_default() += e.duration_minutes;
        }
        let row = |id: &str| json!({ "userId": id, "durationMinutes": minutes.get(id).copied().unwrap_or(0) });
        match user_ids {
            Some(ids) => {
                let mut seen = std::collections::HashSet::new();
                ids.iter()
                    .filter(|id| self.users.by_id_any(id).is_some() && seen.insert(id.as_str()))
                    .map(|id| row(id))
                    .collect()
            }
            None => self
                .users
                .list
                .iter()
                .filter(|u| minutes.contains_key(u.id.as_str()))
                .map(|u| row(&u.id))
                .collect(),
        }
    }
}
