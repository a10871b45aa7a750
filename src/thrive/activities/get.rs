//! `thrive_get_activity`: `GET /rest/v1/activity/{id}` (singular `activity`).

use super::ActivityOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Get a single activity record in Thrive by its ID.
pub struct GetActivity;

/// Inputs of [`GetActivity`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetActivityParams {
    /// Unique identifier of the activity (24 hexadecimal characters, e.g.
    /// `60d5ec49b60b4b3a2c8f9a10`).
    #[schemars(extend("x-options" = crate::options::ACTIVITY))]
    pub id: String,
}

impl Tool for GetActivity {
    type Params = GetActivityParams;
    type Output = ActivityOutput;

    const ID: &'static str = "thrive_get_activity";
    const TITLE: &'static str = "Get activity";
    const DESCRIPTION: &'static str = "Get a single activity record in Thrive by its ID.";
    const ENDPOINT: &'static str = "GET /rest/v1/activity/{id}";
    const HINTS: Hints = Hints::READ;

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        // One activity is the singular `/activity/{id}`; the query is `/activities`.
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.id])
    }
}

crate::register_tool!(GetActivity);
