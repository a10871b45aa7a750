//! Completion records and the completion list filter.
//!
//! Plain data: the rules that change them are in `state` (and the choices
//! for undocumented behaviour are written there).

use serde_json::{Value, json};

use crate::time::{Millis, format_millis, format_opt};

/// A completion record.
#[derive(Clone, Debug)]
pub(crate) struct Completion {
    pub id: String,
    pub statement_id: String,
    pub user_id: String,
    pub content_id: String,
    pub content_version: i64,
    pub skills: Vec<String>,
    pub completion_type: &'static str,
    pub had_due_date: bool,
    pub is_rpl: bool,
    pub completed_at: Millis,
    pub active_until: Option<Millis>,
}

impl Completion {
    /// The completion record object.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "userId": self.user_id,
            "contentId": self.content_id,
            "contentVersion": self.content_version,
            "skills": self.skills,
            "completionType": self.completion_type,
            "hadDueDate": self.had_due_date,
            "isRPL": self.is_rpl,
            "completedAt": format_millis(self.completed_at),
            "activeUntil": format_opt(self.active_until),
        })
    }
}

/// Filters of `GET /learning/completions`.
#[derive(Clone, Debug, Default)]
pub(crate) struct CompletionFilter {
    pub content_id: Option<String>,
    pub user_id: Option<String>,
    pub is_rpl: Option<bool>,
    pub from: Option<Millis>,
    pub to: Option<Millis>,
}
