//! `thrive_list_audiences`: `GET /rest/v1/audiences`.

use super::Audience;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::check_date_input;
use crate::params::{DateText, Instant};
use crate::register_tool;
use crate::thrive::common::Page;
use crate::tool::{Hints, Paging, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Inputs of [`ListAudiences`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListAudiencesParams {
    /// Filter to only return audiences which are / are not API controlled.
    /// Leave blank to return both.
    pub api_controlled: Option<bool>,
    /// Return only audiences updated on or after this date/time (ISO 8601),
    /// e.g. 2024-01-01T00:00:00Z.
    pub updated_since: Option<DateText<Instant>>,
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: crate::thrive::paging::PerPage1000Whole,
}

/// List audiences and structures in Thrive with pagination.
pub struct ListAudiences;

impl Block for ListAudiences {
    type Params = ListAudiencesParams;
    type Output = Page<Audience>;

    const ID: &'static str = "thrive_list_audiences";
    const TITLE: &'static str = "List audiences";
    const DESCRIPTION: &'static str = "List audiences and structures in Thrive with pagination.";
    const ENDPOINT: &'static str = "GET /rest/v1/audiences";
    const HINTS: Hints = Hints::READ;
    const PAGING: Paging = crate::thrive::paging::PerPage1000Whole::PAGING;

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        check_date_input("updatedSince", p.updated_since.as_ref(), out);
    }
}

impl Tool for ListAudiences {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[])?.query_fields(p)
    }
}

register_tool!(ListAudiences);
