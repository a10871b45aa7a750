//! `thrive_get_activity`: `GET /rest/v1/activity/{id}` (singular `activity`).

use super::ActivityOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::{HexId, Text};
use crate::register_tool;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`GetActivity`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetActivityParams {
    /// Unique identifier of the activity (24 hexadecimal characters, e.g.
    /// `60d5ec49b60b4b3a2c8f9a10`).
    #[schemars(extend("x-options" = crate::options::ACTIVITY))]
    pub id: Text<HexId>,
}

/// Get a single activity record in Thrive by its ID.
pub struct GetActivity;

impl Block for GetActivity {
    type Params = GetActivityParams;
    type Output = ActivityOutput;

    const ID: &'static str = "thrive_get_activity";
    const TITLE: &'static str = "Get activity";
    const DESCRIPTION: &'static str = "Get a single activity record in Thrive by its ID.";
    const ENDPOINT: &'static str = "GET /rest/v1/activity/{id}";
    const HINTS: Hints = Hints::READ;
}

impl Tool for GetActivity {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        // One activity is the singular `/activity/{id}`; the query is `/activities`.
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.id])
    }
}

register_tool!(GetActivity);
