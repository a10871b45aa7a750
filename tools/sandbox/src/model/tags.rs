//! Tag and skill-level records.
//!
//! Plain data: the rules that change them are in `state` (and the choices
//! for undocumented behaviour are written there).

use serde_json::{Value, json};

use crate::time::Millis;

/// A tag.
#[derive(Clone, Debug)]
pub(crate) struct Tag {
    pub id: String,
    pub name: String,
    pub campaigns: Vec<String>,
    pub updated_at: Millis,
}

/// A configured skill level.
#[derive(Clone, Debug)]
pub(crate) struct SkillLevel {
    pub name: String,
    pub is_enabled: bool,
    pub value: i64,
}

impl SkillLevel {
    /// `{name, isEnabled, value}`.
    pub(crate) fn to_json(&self) -> Value {
        json!({ "name": self.name, "isEnabled": self.is_enabled, "value": self.value })
    }
}

/// The default skill-level configuration, present even in an empty tenant.
pub(crate) fn default_skill_levels() -> Vec<SkillLevel> {
    [
        ("Beginner", true, 1),
        ("Intermediate", true, 2),
        ("Advanced", true, 3),
        ("Expert", false, 4),
    ]
    .into_iter()
    .map(|(name, is_enabled, value)| SkillLevel {
        name: name.to_owned(),
        is_enabled,
        value,
    })
    .collect()
}
