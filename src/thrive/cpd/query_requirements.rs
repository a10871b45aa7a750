//! `thrive_query_cpd_requirements`: `GET /rest/v1/cpdRequirementSummaries`.

use super::CpdRequirement;
use crate::api::ApiRequest;
use crate::error::{Result, Violation};
use crate::params::check_date_input;
use crate::params::{DateText, Instant};
use crate::thrive::common::Page;
use crate::tool::{Hints, Paging, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Query CPD requirement summaries in Thrive and return results with pagination.
pub struct QueryCpdRequirements;

/// Inputs of [`QueryCpdRequirements`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueryCpdRequirementsParams {
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: crate::thrive::paging::PerPage1000,
    /// Return only items updated on or after this date/time (ISO 8601), e.g.
    /// `2024-01-01T00:00:00Z`. Compared with each summary's `updatedAt`.
    pub updated_since: Option<DateText<Instant>>,
}

impl Tool for QueryCpdRequirements {
    type Params = QueryCpdRequirementsParams;
    type Output = Page<CpdRequirement>;

    const ID: &'static str = "thrive_query_cpd_requirements";
    const TITLE: &'static str = "Query CPD requirements";
    const DESCRIPTION: &'static str =
        "Query CPD requirement summaries in Thrive and return results with pagination.";
    const ENDPOINT: &'static str = "GET /rest/v1/cpdRequirementSummaries";
    const HINTS: Hints = Hints::READ;
    const PAGING: Paging = Paging::Envelope { max_per_page: 1000 };

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        check_date_input("updatedSince", p.updated_since.as_ref(), out);
    }

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[])?.query_fields(p)
    }
}

crate::register_tool!(QueryCpdRequirements);
