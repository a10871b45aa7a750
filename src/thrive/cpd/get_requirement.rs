//! `thrive_get_cpd_requirement`: `GET /rest/v1/cpdRequirementSummaries/{audienceRequirementId}`.

use super::RequirementOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::{HexId, Text};
use crate::tool::declare_tool;
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

declare_tool! {
    GetCpdRequirement {
        id: "thrive_get_cpd_requirement",
        title: "Get CPD requirement",
        description: "Get a single CPD requirement summary in Thrive by its ID.",
        endpoint: "GET /rest/v1/cpdRequirementSummaries/{audienceRequirementId}",
        hints: READ,
        params: GetCpdRequirementParams,
        output: RequirementOutput,
    }
    impl {
        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_requirement_id])
        }
    }
}
