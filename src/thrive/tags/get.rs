//! `thrive_get_tag`: `GET /rest/v1/tags/{tagId}`.

use super::TagOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::Required;
use crate::tool::declare_tool;
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`GetTag`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetTagParams {
    /// The tag ID (not its name), e.g. `64b6f4a8c2e4a1b9d3f2c4b0`.
    #[schemars(extend("x-options" = crate::options::TAG))]
    pub tag_id: Required,
}

declare_tool! {
    GetTag {
        id: "thrive_get_tag",
        title: "Get tag",
        description: "Get a single tag in Thrive by its ID.",
        endpoint: "GET /rest/v1/tags/{tagId}",
        hints: READ,
        params: GetTagParams,
        output: TagOutput,
    }
    impl {
        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.tag_id])
        }
    }
}
