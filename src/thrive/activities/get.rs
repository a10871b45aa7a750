//! `thrive_get_activity`: `GET /rest/v1/activity/{id}` (singular `activity`).

use super::ActivityOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::{HexId, Text};
use crate::tool::declare_tool;
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

declare_tool! {
    GetActivity {
        id: "thrive_get_activity",
        title: "Get activity",
        description: "Get a single activity record in Thrive by its ID.",
        endpoint: "GET /rest/v1/activity/{id}",
        hints: READ,
        params: GetActivityParams,
        output: ActivityOutput,
    }
    impl {
        fn request(p: &Self::Params) -> Result<ApiRequest> {
            // One activity is the singular `/activity/{id}`; the query is `/activities`.
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.id])
        }
    }
}
