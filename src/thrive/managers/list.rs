//! `thrive_list_audience_managers`: `GET /rest/v1/audiences/{audienceId}/managers`.

use super::ManagersOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::Required;
use crate::tool::declare_tool;
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`ListAudienceManagers`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListAudienceManagersParams {
    /// The audience id or audience reference.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
}

declare_tool! {
    ListAudienceManagers {
        id: "thrive_list_audience_managers",
        title: "List audience managers",
        description: "List the managers of a Thrive audience.",
        endpoint: "GET /rest/v1/audiences/{audienceId}/managers",
        hints: READ,
        params: ListAudienceManagersParams,
        output: ManagersOutput,
    }
    impl {
        // Not paginated: Thrive returns every manager in one bare array.
        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id])
        }
    }
}
