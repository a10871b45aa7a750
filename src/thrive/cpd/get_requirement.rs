//! `thrive_get_cpd_requirement`: `GET /rest/v1/cpdRequirementSummaries/{audienceRequirementId}`.

use super::RequirementOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::{HexId, Text};
use crate::register_tool;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`GetCpdRequirement`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetCpdRequirementParams {
    /// The CPD requirement ID (the summary's `audienceRequirementId`, 24 hexadecimal characters).
    #[schemars(extend("x-options" = crate::options::CPD_REQUIREMENT))]
    pub audience_requirement_id: Text<HexId>,
}

/// Get a single CPD requirement summary in Thrive by its ID.
pub struct GetCpdRequirement;

impl Block for GetCpdRequirement {
    type Params = GetCpdRequirementParams;
    type Output = RequirementOutput;

    const ID: &'static str = "thrive_get_cpd_requirement";
    const TITLE: &'static str = "Get CPD requirement";
    const DESCRIPTION: &'static str = "Get a single CPD requirement summary in Thrive by its ID.";
    const ENDPOINT: &'static str = "GET /rest/v1/cpdRequirementSummaries/{audienceRequirementId}";
    const HINTS: Hints = Hints::READ;
}

impl Tool for GetCpdRequirement {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_requirement_id])
    }
}

register_tool!(GetCpdRequirement);
