//! Tags and skills: list and get tags, add and remove a learner's tags, update a learner's skills, skill levels.
//!
//! Tags and skills are addressed by tag **name** in the learner calls, and
//! the learner by their Thrive `userId` (not their ref).

mod add_user_tags;
mod get;
mod get_skill_levels;
mod list;
mod remove_user_tags;
mod update_user_skills;

pub use add_user_tags::{AddUserTags, AddUserTagsParams};
pub use get::{GetTag, GetTagParams};
pub use get_skill_levels::{GetSkillLevels, GetSkillLevelsParams};
pub use list::{ListTags, ListTagsParams};
pub use remove_user_tags::{RemoveUserTags, RemoveUserTagsParams};
pub use update_user_skills::{UpdateUserSkills, UpdateUserSkillsParams};

use crate::error::Violation;
use crate::params::Required;
use crate::wire::ApiResponse;
use crate::wire::read::{self, FromResponse, RawResponse};
use crate::wire::record::record;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Number;
use serde_json::Value;

record! {
    /// A tag.
    ///
    /// The four id lists are kept as raw JSON items: only the seed's
    /// descriptions ("IDs of …") tell their shape, no example from Thrive does.
    pub struct Tag {
        /// The name of the tag.
        pub tag: Option<String>,
        /// The ID of the tag.
        pub id: Option<String>,
        /// IDs of contents using this tag.
        pub contents: Option<Vec<Value>>,
        /// IDs of campaigns using this tag.
        pub campaigns: Option<Vec<Value>>,
        /// IDs of users interested in this tag.
        pub interests: Option<Vec<Value>>,
        /// IDs of users skilled in this tag.
        pub skills: Option<Vec<Value>>,
    }
}

/// `{tag}` output of the get tool.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TagOutput {
    /// The tag (`null` if Thrive answered with an empty body).
    pub tag: Option<Tag>,
}

impl FromResponse for TagOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::object(response).map(|tag| Self { tag })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::object(raw).map(|tag| Self { tag })
    }
}

record! {
    /// A skill level configured for the tenant.
    pub struct SkillLevel {
        /// The name of the skill level.
        pub name: Option<String>,
        /// Whether the skill level is enabled.
        pub is_enabled: Option<bool>,
        /// The numeric value of the skill level.
        pub value: Option<Number>,
    }
}

/// `{levels}` output of the skill-levels tool.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SkillLevelsOutput {
    /// The available skill levels.
    pub levels: Vec<SkillLevel>,
}

impl FromResponse for SkillLevelsOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::bare_array(response).map(|levels| Self { levels })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::bare_array(raw).map(|levels| Self { levels })
    }
}

/// One item of the `skills` input of the update-skills tool:
/// `{"tagName": "leadership", "level": 1, "targetLevel": 3}`.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SkillInput {
    /// The skill's tag name (required, not blank).
    #[schemars(length(min = 1))]
    pub tag_name: Required,
    /// The learner's current level (a number, at least -1).
    #[serde(default)]
    #[schemars(range(min = -1))]
    pub level: Option<f64>,
    /// The level the learner aims for (a number, at least -1).
    #[serde(default)]
    #[schemars(range(min = -1))]
    pub target_level: Option<f64>,
}

/// The lowest level Thrive accepts for `level` and `targetLevel`.
const MIN_LEVEL: f64 = -1.0;

/// A skill's `tagName` is sent trimmed, so a blank one is refused, and so
/// is a level below -1.
impl crate::params::ListItem for SkillInput {
    fn check(&self, field: &str, i: usize, out: &mut Vec<Violation>) {
        if self.tag_name.trim().is_empty() {
            out.push(Violation::new(
                format!("/{field}/{i}/tagName"),
                format!("{field}[{i}].tagName must not be empty"),
            ));
        }
        for (key, level) in [("level", self.level), ("targetLevel", self.target_level)] {
            if let Some(level) = level.filter(|l| *l < MIN_LEVEL) {
                out.push(Violation::new(
                    format!("/{field}/{i}/{key}"),
                    format!("{field}[{i}].{key} must be at least -1, got {level}"),
                ));
            }
        }
    }
}
