//! `thrive_get_skill_levels`: `GET /rest/v1/skills/levels`.

use super::SkillLevelsOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::tool::declare_tool;
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`GetSkillLevels`]: none besides the connection.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetSkillLevelsParams {}

declare_tool! {
    GetSkillLevels {
        id: "thrive_get_skill_levels",
        title: "Get skill levels",
        description: "Get the available skill levels configured in Thrive.",
        endpoint: "GET /rest/v1/skills/levels",
        hints: READ,
        params: GetSkillLevelsParams,
        output: SkillLevelsOutput,
    }
    impl {
        fn request(_: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[])
        }
    }
}
