//! `thrive_query_cpd_categories`: `GET /rest/v1/cpdCategories`.

use super::CpdCategory;
use crate::api::ApiRequest;
use crate::error::{Result, Violation};
use crate::params::check_date_input;
use crate::params::{DateText, Instant};
use crate::thrive::common::Page;
use crate::tool::{Hints, Paging, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Query CPD categories in Thrive and return results with pagination.
pub struct QueryCpdCategories;

/// Inputs of [`QueryCpdCategories`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueryCpdCategoriesParams {
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: crate::thrive::paging::PerPage1000,
    /// Return only items updated on or after this date/time (ISO 8601), e.g.
    /// `2024-01-01T00:00:00Z`. Categories carry no update time in any documented schema, so Thrive may ignore this filter.
    pub updated_since: Option<DateText<Instant>>,
}

impl Tool for QueryCpdCategories {
    type Params = QueryCpdCategoriesParams;
    type Output = Page<CpdCategory>;

    const ID: &'static str = "thrive_query_cpd_categories";
    const TITLE: &'static str = "Query CPD categories";
    const DESCRIPTION: &'static str =
        "Query CPD categories in Thrive and return results with pagination.";
    const ENDPOINT: &'static str = "GET /rest/v1/cpdCategories";
    const HINTS: Hints = Hints::READ;
    const PAGING: Paging = Paging::Envelope { max_per_page: 1000 };

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        check_date_input("updatedSince", p.updated_since.as_ref(), out);
    }

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[])?.query_fields(p)
    }
}

crate::register_tool!(QueryCpdCategories);
