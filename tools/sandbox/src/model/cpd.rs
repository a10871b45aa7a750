//! CPD category, entry and requirement records.
//!
//! Plain data: the rules that change them are in `state` (and the choices
//! for undocumented behaviour are written there).

use serde_json::{Value, json};

use crate::time::{Millis, format_millis, format_opt};

/// A CPD category.
#[derive(Clone, Debug)]
pub(crate) struct CpdCategory {
    pub id: String,
    pub name: String,
}

impl CpdCategory {
    /// `{categoryId, name}`.
    pub(crate) fn to_json(&self) -> Value {
        json!({ "categoryId": self.id, "name": self.name })
    }
}

/// A CPD log entry.
#[derive(Clone, Debug)]
pub(crate) struct CpdEntry {
    pub id: String,
    pub user_id: String,
    pub activity_type: String,
    pub activity_name: String,
    pub category_id: String,
    pub entry_date: Millis,
    pub duration_minutes: i64,
    pub description: Option<String>,
    pub is_verified: bool,
}

/// A CPD requirement summary.
#[derive(Clone, Debug)]
pub(crate) struct CpdRequirement {
    pub id: String,
    pub audience_id: String,
    pub required_minutes: i64,
    pub created_at: Millis,
    pub updated_at: Option<Millis>,
}

impl CpdRequirement {
    /// The requirement summary object.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "audienceRequirementId": self.id,
            "audienceId": self.audience_id,
            "requiredMinutes": self.required_minutes,
            "createdAt": format_millis(self.created_at),
            "updatedAt": format_opt(self.updated_at),
        })
    }

    /// The instant `updatedSince` compares.
    pub(crate) fn changed_at(&self) -> Millis {
        self.updated_at.unwrap_or(self.created_at)
    }
}
