//! `thrive_get_tag`: `GET /rest/v1/tags/{tagId}`.

use super::TagOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::Required;
use crate::register_tool;
use crate::tool::{Hints, Tool};
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

/// Get a single tag in Thrive by its ID.
pub struct GetTag;

impl Block for GetTag {
    type Params = GetTagParams;
    type Output = TagOutput;

    const ID: &'static str = "thrive_get_tag";
    const TITLE: &'static str = "Get tag";
    const DESCRIPTION: &'static str = "Get a single tag in Thrive by its ID.";
    const ENDPOINT: &'static str = "GET /rest/v1/tags/{tagId}";
    const HINTS: Hints = Hints::READ;
}

impl Tool for GetTag {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.tag_id])
    }
}

register_tool!(GetTag);
