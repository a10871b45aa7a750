//! `thrive_get_skill_levels`: `GET /rest/v1/skills/levels`.

use super::SkillLevelsOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::register_tool;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`GetSkillLevels`]: none besides the connection.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetSkillLevelsParams {}

/// Get the available skill levels configured in Thrive.
pub struct GetSkillLevels;

impl Block for GetSkillLevels {
    type Params = GetSkillLevelsParams;
    type Output = SkillLevelsOutput;

    const ID: &'static str = "thrive_get_skill_levels";
    const TITLE: &'static str = "Get skill levels";
    const DESCRIPTION: &'static str = "Get the available skill levels configured in Thrive.";
    const ENDPOINT: &'static str = "GET /rest/v1/skills/levels";
    const HINTS: Hints = Hints::READ;
}

impl Tool for GetSkillLevels {
    fn request(_: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[])
    }
}

register_tool!(GetSkillLevels);
