//! `thrive_get_completion`: `GET /rest/v1/learning/completions/{id}`.

use super::CompletionOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::Required;
use crate::tool::declare_tool;
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

declare_tool! {
    GetCompletion {
        id: "thrive_get_completion",
        title: "Get completion",
        description: "Get a single learning completion record in Thrive by its ID.",
        endpoint: "GET /rest/v1/learning/completions/{id}",
        hints: READ,
        params: GetCompletionParams,
        output: CompletionOutput,
    }
    impl {
        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.id])
        }
    }
}
