//! `thrive_get_audience`: `GET /rest/v1/audiences/{audienceId}`.

use super::AudienceOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::Required;
use crate::tool::declare_tool;
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

declare_tool! {
    GetAudience {
        id: "thrive_get_audience",
        title: "Get audience",
        description: "Get a single audience or structure in Thrive by id or reference.",
        endpoint: "GET /rest/v1/audiences/{audienceId}",
        hints: READ,
        params: GetAudienceParams,
        output: AudienceOutput,
    }
    impl {
        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.audience_id])
        }
    }
}
