//! `thrive_remove_audience_manager`: `DELETE /rest/v1/audiences/{audienceId}/managers/{userId}`.

use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::Required;
use crate::thrive::common::SuccessOutput;
use crate::tool::declare_tool;
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

declare_tool! {
    RemoveAudienceManager {
        id: "thrive_remove_audience_manager",
        title: "Remove audience manager",
        description: "Remove a single manager from a Thrive audience.",
        endpoint: "DELETE /rest/v1/audiences/{audienceId}/managers/{userId}",
        hints: DESTROY,
        params: RemoveAudienceManagerParams,
        output: SuccessOutput,
    }
    impl {
        // The response body is not documented: an empty 2xx body (or one without
        // `success`) counts as success, as Sim does.
        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id, &p.user_id])
        }
    }
}
