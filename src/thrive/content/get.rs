//! `thrive_get_content`: `GET /rest/v1/contents/{id}`.

use super::ContentOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::{HexId, Text};
use crate::tool::declare_tool;
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`GetContent`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetContentParams {
    /// Unique identifier of the content item (24 hexadecimal characters,
    /// e.g. `507f1f77bcf86cd799439011`).
    #[schemars(extend("x-options" = crate::options::CONTENT))]
    pub id: Text<HexId>,
}

declare_tool! {
    GetContent {
        id: "thrive_get_content",
        title: "Get content",
        description: "Get a single content record in Thrive by its ID.",
        endpoint: "GET /rest/v1/contents/{id}",
        hints: READ,
        params: GetContentParams,
        output: ContentOutput,
    }
    impl {
        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.id])
        }
    }
}
