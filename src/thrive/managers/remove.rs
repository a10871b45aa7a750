//! `thrive_remove_audience_manager`: `DELETE /rest/v1/audiences/{audienceId}/managers/{userId}`.

use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::Required;
use crate::register_tool;
use crate::thrive::common::SuccessOutput;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`RemoveAudienceManager`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RemoveAudienceManagerParams {
    /// The audience id or audience reference.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
    /// The user email, ref, or id to remove as a manager. Despite its name
    /// this takes any of the three; sent percent-encoded as one path segment.
    #[schemars(extend("x-options" = crate::options::USER_ID))]
    pub user_id: Required,
}

/// Remove a single manager from a Thrive audience.
pub struct RemoveAudienceManager;

impl Block for RemoveAudienceManager {
    type Params = RemoveAudienceManagerParams;
    type Output = SuccessOutput;

    const ID: &'static str = "thrive_remove_audience_manager";
    const TITLE: &'static str = "Remove audience manager";
    const DESCRIPTION: &'static str = "Remove a single manager from a Thrive audience.";
    const ENDPOINT: &'static str = "DELETE /rest/v1/audiences/{audienceId}/managers/{userId}";
    const HINTS: Hints = Hints::DESTROY;
}

impl Tool for RemoveAudienceManager {
    // The response body is not documented: an empty 2xx body (or one without
    // `success`) counts as success, as Sim does.
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id, &p.user_id])
    }
}

register_tool!(RemoveAudienceManager);
