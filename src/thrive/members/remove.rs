//! `thrive_remove_audience_member`: `DELETE /rest/v1/audiences/{audienceId}/members/{userRef}`.

use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::Required;
use crate::thrive::common::SuccessOutput;
use crate::tool::declare_tool;
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

declare_tool! {
    RemoveAudienceMember {
        id: "thrive_remove_audience_member",
        title: "Remove audience member",
        description: "Remove a single member from a Thrive audience.",
        endpoint: "DELETE /rest/v1/audiences/{audienceId}/members/{userRef}",
        hints: DESTROY,
        params: RemoveAudienceMemberParams,
        output: SuccessOutput,
    }
    impl {
        // The response body is not documented: an empty 2xx body (or one without
        // `success`) counts as success, as Sim does.
        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id, &p.user_ref])
        }
    }
}
