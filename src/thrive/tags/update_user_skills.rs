//! `thrive_update_user_skills`: `PATCH /rest/v1/users/{userId}/skills`.

use super::SkillInput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::JsonList;
use crate::params::Required;
use crate::params::together;
use crate::register_tool;
use crate::thrive::common::MessageOutput;
use crate::tool::{Batching, Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// Inputs of [`UpdateUserSkills`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateUserSkillsParams {
    /// The learner ID (their Thrive user id, not their ref), e.g.
    /// `63f57d805d8ecbf46f5b5278`.
    #[schemars(extend("x-options" = crate::options::USER_ID))]
    pub user_id: Required,
    /// JSON array of skill objects (1-100). Each: {"tagName":"leadership","level":1,"targetLevel":3}. level/targetLevel optional (min -1).
    /// Only `tagName` is required; no other keys are accepted. Thrive takes
    /// 1-100 per call; longer lists are sent in chunks of 100 and the counts
    /// merged.
    pub skills: JsonList<SkillInput, 1, 0>,
}

/// A level as JSON: whole numbers stay integers (`3`, not `3.0`).
fn level_value(level: f64) -> Value {
    // Whole numbers within ±2^53 convert to i64 exactly.
    if level.fract() == 0.0 && level.abs() <= 9_007_199_254_740_992.0 {
        Value::from(level as i64)
    } else {
        Value::from(level)
    }
}

/// Update skills and levels for a learner in Thrive.
pub struct UpdateUserSkills;

impl Block for UpdateUserSkills {
    type Params = UpdateUserSkillsParams;
    type Output = MessageOutput;

    const ID: &'static str = "thrive_update_user_skills";
    const TITLE: &'static str = "Update user skills";
    const DESCRIPTION: &'static str = "Update skills and levels for a learner in Thrive.";
    const ENDPOINT: &'static str = "PATCH /rest/v1/users/{userId}/skills";
    const HINTS: Hints = Hints::UPDATE;
    const BATCHING: Batching = crate::thrive::chunked("/value");
}

impl Tool for UpdateUserSkills {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        let (skills, request) = together(
            p.skills.items("skills"),
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.user_id]),
        )?;
        let skills: Vec<Value> = skills
            .iter()
            .map(|s| {
                let mut item = Map::new();
                item.insert("tagName".into(), s.tag_name.trim().into());
                if let Some(level) = s.level {
                    item.insert("level".into(), level_value(level));
                }
                if let Some(target) = s.target_level {
                    item.insert("targetLevel".into(), level_value(target));
                }
                Value::Object(item)
            })
            .collect();
        // A JSON-Patch-like object; `op` and `path` each have one allowed value.
        Ok(request.body(json!({ "op": "update", "path": "skills", "value": skills })))
    }
}

register_tool!(UpdateUserSkills);
