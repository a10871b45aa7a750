//! `thrive_get_completion`: `GET /rest/v1/learning/completions/{id}`.

use super::CompletionOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::Required;
use crate::register_tool;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`GetCompletion`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetCompletionParams {
    /// The completion ID.
    #[schemars(extend("x-options" = crate::options::COMPLETION))]
    pub id: Required,
}

/// Get a single learning completion record in Thrive by its ID.
pub struct GetCompletion;

impl Block for GetCompletion {
    type Params = GetCompletionParams;
    type Output = CompletionOutput;

    const ID: &'static str = "thrive_get_completion";
    const TITLE: &'static str = "Get completion";
    const DESCRIPTION: &'static str =
        "Get a single learning completion record in Thrive by its ID.";
    const ENDPOINT: &'static str = "GET /rest/v1/learning/completions/{id}";
    const HINTS: Hints = Hints::READ;
}

impl Tool for GetCompletion {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.id])
    }
}

register_tool!(GetCompletion);
