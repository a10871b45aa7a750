//! `thrive_remove_audience_member`: `DELETE /rest/v1/audiences/{audienceId}/members/{userRef}`.

use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::Required;
use crate::register_tool;
use crate::thrive::common::SuccessOutput;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`RemoveAudienceMember`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RemoveAudienceMemberParams {
    /// The audience id or audience reference.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
    /// The user email, ref, or id to remove. Sent percent-encoded as one
    /// path segment.
    #[schemars(extend("x-options" = crate::options::USER_REF))]
    pub user_ref: Required,
}

/// Remove a single member from a Thrive audience.
pub struct RemoveAudienceMember;

impl Block for RemoveAudienceMember {
    type Params = RemoveAudienceMemberParams;
    type Output = SuccessOutput;

    const ID: &'static str = "thrive_remove_audience_member";
    const TITLE: &'static str = "Remove audience member";
    const DESCRIPTION: &'static str = "Remove a single member from a Thrive audience.";
    const ENDPOINT: &'static str = "DELETE /rest/v1/audiences/{audienceId}/members/{userRef}";
    const HINTS: Hints = Hints::DESTROY;
}

impl Tool for RemoveAudienceMember {
    // The response body is not documented: an empty 2xx body (or one without
    // `success`) counts as success, as Sim does.
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id, &p.user_ref])
    }
}

register_tool!(RemoveAudienceMember);
