//! `thrive_get_cpd_category`: `GET /rest/v1/cpdCategories/{categoryId}`.

use super::CategoryOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::{HexId, Text};
use crate::register_tool;
use crate::tool::{Hints, Tool};
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

/// Get a single CPD category in Thrive by its ID.
pub struct GetCpdCategory;

impl Block for GetCpdCategory {
    type Params = GetCpdCategoryParams;
    type Output = CategoryOutput;

    const ID: &'static str = "thrive_get_cpd_category";
    const TITLE: &'static str = "Get CPD category";
    const DESCRIPTION: &'static str = "Get a single CPD category in Thrive by its ID.";
    const ENDPOINT: &'static str = "GET /rest/v1/cpdCategories/{categoryId}";
    const HINTS: Hints = Hints::READ;
}

impl Tool for GetCpdCategory {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.category_id])
    }
}

register_tool!(GetCpdCategory);
