//! `thrive_get_content`: `GET /rest/v1/contents/{id}`.

use super::ContentOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::{HexId, Text};
use crate::register_tool;
use crate::tool::{Hints, Tool};
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

/// Get a single content record in Thrive by its ID.
pub struct GetContent;

impl Block for GetContent {
    type Params = GetContentParams;
    type Output = ContentOutput;

    const ID: &'static str = "thrive_get_content";
    const TITLE: &'static str = "Get content";
    const DESCRIPTION: &'static str = "Get a single content record in Thrive by its ID.";
    const ENDPOINT: &'static str = "GET /rest/v1/contents/{id}";
    const HINTS: Hints = Hints::READ;
}

impl Tool for GetContent {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.id])
    }
}

register_tool!(GetContent);
