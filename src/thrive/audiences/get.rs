//! `thrive_get_audience`: `GET /rest/v1/audiences/{audienceId}`.

use super::AudienceOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Get a single audience or structure in Thrive by id or reference.
pub struct GetAudience;

/// Inputs of [`GetAudience`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetAudienceParams {
    /// The audience id or audience reference (sent as one path segment).
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: String,
}

impl Tool for GetAudience {
    type Params = GetAudienceParams;
    type Output = AudienceOutput;

    const ID: &'static str = "thrive_get_audience";
    const TITLE: &'static str = "Get audience";
    const DESCRIPTION: &'static str =
        "Get a single audience or structure in Thrive by id or reference.";
    const ENDPOINT: &'static str = "GET /rest/v1/audiences/{audienceId}";
    const HINTS: Hints = Hints::READ;

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id])
    }
}

crate::register_tool!(GetAudience);
