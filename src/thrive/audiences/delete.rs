//! `thrive_delete_audience`: `DELETE /rest/v1/audiences/{audienceId}`.

use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::Required;
use crate::register_tool;
use crate::thrive::common::SuccessOutput;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`DeleteAudience`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeleteAudienceParams {
    /// The audience id or audience reference (sent as one path segment).
    /// The sources disagree on structures with child audiences: the delete
    /// may be refused while children exist, or delete the children too.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
}

/// Delete an audience in Thrive (only if it has no child audiences).
pub struct DeleteAudience;

impl Block for DeleteAudience {
    type Params = DeleteAudienceParams;
    type Output = SuccessOutput;

    const ID: &'static str = "thrive_delete_audience";
    const TITLE: &'static str = "Delete audience";
    const DESCRIPTION: &'static str =
        "Delete an audience in Thrive (only if it has no child audiences).";
    const ENDPOINT: &'static str = "DELETE /rest/v1/audiences/{audienceId}";
    const HINTS: Hints = Hints::DESTROY;
}

impl Tool for DeleteAudience {
    // The response is not documented: an empty body, or one without
    // `success`, counts as success.

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id])
    }
}

register_tool!(DeleteAudience);
