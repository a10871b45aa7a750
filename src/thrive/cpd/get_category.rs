//! `thrive_get_cpd_category`: `GET /rest/v1/cpdCategories/{categoryId}`.

use super::CategoryOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::{HexId, Text};
use crate::tool::declare_tool;
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`GetCpdCategory`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetCpdCategoryParams {
    /// The CPD category ID (24 hexadecimal characters).
    #[schemars(extend("x-options" = crate::options::CPD_CATEGORY))]
    pub category_id: Text<HexId>,
}

declare_tool! {
    GetCpdCategory {
        id: "thrive_get_cpd_category",
        title: "Get CPD category",
        description: "Get a single CPD category in Thrive by its ID.",
        endpoint: "GET /rest/v1/cpdCategories/{categoryId}",
        hints: READ,
        params: GetCpdCategoryParams,
        output: CategoryOutput,
    }
    impl {
        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.category_id])
        }
    }
}
