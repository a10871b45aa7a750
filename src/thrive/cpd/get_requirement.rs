//! `thrive_get_cpd_requirement`: `GET /rest/v1/cpdRequirementSummaries/{audienceRequirementId}`.

use super::{CpdRequirement, RequirementOutput};
use crate::api::{ApiRequest, ApiResponse, segment};
use crate::error::Result;
use crate::thrive::common::object;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Get a single CPD requirement summary in Thrive by its ID.
pub struct GetCpdRequirement;

/// Inputs of [`GetCpdRequirement`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetCpdRequirementParams {
    /// The CPD requirement ID (the summary's `audienceRequirementId`, 24 hexadecimal characters).
    #[schemars(extend("x-options" = crate::options::CPD_REQUIREMENT))]
    pub audience_requirement_id: String,
}

impl Tool for GetCpdRequirement {
    type Params = GetCpdRequirementParams;
    type Output = RequirementOutput;

    const ID: &'static str = "thrive_get_cpd_requirement";
    const TITLE: &'static str = "Get CPD requirement";
    const DESCRIPTION: &'static str = "Get a single CPD requirement summary in Thrive by its ID.";
    const ENDPOINT: &'static str = "GET /rest/v1/cpdRequirementSummaries/{audienceRequirementId}";
    const HINTS: Hints = Hints::READ;

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        let id = segment("audienceRequirementId", &p.audience_requirement_id)?;
        Ok(ApiRequest::get(&["cpdRequirementSummaries", &id]))
    }

    fn output(response: ApiResponse) -> Result<Self::Output> {
        Ok(RequirementOutput {
            requirement: object::<CpdRequirement>(response)?,
        })
    }
}

crate::register_tool!(GetCpdRequirement);
