//! `thrive_get_audience`: `GET /rest/v1/audiences/{audienceId}`.

use super::AudienceOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::Required;
use crate::register_tool;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`GetAudience`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetAudienceParams {
    /// The audience id or audience reference (sent as one path segment).
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
}

/// Get a single audience or structure in Thrive by id or reference.
pub struct GetAudience;

impl Block for GetAudience {
    type Params = GetAudienceParams;
    type Output = AudienceOutput;

    const ID: &'static str = "thrive_get_audience";
    const TITLE: &'static str = "Get audience";
    const DESCRIPTION: &'static str =
        "Get a single audience or structure in Thrive by id or reference.";
    const ENDPOINT: &'static str = "GET /rest/v1/audiences/{audienceId}";
    const HINTS: Hints = Hints::READ;
}

impl Tool for GetAudience {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id])
    }
}

register_tool!(GetAudience);
