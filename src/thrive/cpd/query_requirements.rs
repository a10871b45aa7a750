//! `thrive_query_cpd_requirements`: `GET /rest/v1/cpdRequirementSummaries`.

use super::CpdRequirement;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::{DateText, Instant};
use crate::register_tool;
use crate::thrive::common::Page;
use crate::thrive::listing::{check_updated_since, list_request};
use crate::thrive::paging::PerPage1000;
use crate::tool::{Hints, Paging, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Inputs of [`QueryCpdRequirements`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueryCpdRequirementsParams {
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: PerPage1000,
    /// Return only items updated on or after this date/time (ISO 8601), e.g.
    /// `2024-01-01T00:00:00Z`. Compared with each summary's `updatedAt`.
    pub updated_since: Option<DateText<Instant>>,
}

/// Query CPD requirement summaries in Thrive and return results with pagination.
pub struct QueryCpdRequirements;

impl Block for QueryCpdRequirements {
    type Params = QueryCpdRequirementsParams;
    type Output = Page<CpdRequirement>;

    const ID: &'static str = "thrive_query_cpd_requirements";
    const TITLE: &'static str = "Query CPD requirements";
    const DESCRIPTION: &'static str =
        "Query CPD requirement summaries in Thrive and return results with pagination.";
    const ENDPOINT: &'static str = "GET /rest/v1/cpdRequirementSummaries";
    const HINTS: Hints = Hints::READ;
    const PAGING: Paging = PerPage1000::PAGING;

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        check_updated_since(p.updated_since.as_ref(), out);
    }
}

impl Tool for QueryCpdRequirements {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        list_request(Self::ENDPOINT, p)
    }
}

register_tool!(QueryCpdRequirements);
