//! `thrive_delete_audience`: `DELETE /rest/v1/audiences/{audienceId}`.

use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::Required;
use crate::thrive::common::SuccessOutput;
use crate::tool::declare_tool;
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

declare_tool! {
    DeleteAudience {
        id: "thrive_delete_audience",
        title: "Delete audience",
        description: "Delete an audience in Thrive (only if it has no child audiences).",
        endpoint: "DELETE /rest/v1/audiences/{audienceId}",
        hints: DESTROY,
        params: DeleteAudienceParams,
        output: SuccessOutput,
    }
    impl {
        // The response is not documented: an empty body, or one without
        // `success`, counts as success.

        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id])
        }
    }
}
