//! `thrive_list_audiences`: `GET /rest/v1/audiences`.

use super::Audience;
use crate::api::ApiRequest;
use crate::error::{Result, Violation};
use crate::params::{DateFormat, check_date};
use crate::params::{DateText, Instant};
use crate::thrive::common::Page;
use crate::tool::{Hints, Paging, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// List audiences and structures in Thrive with pagination.
pub struct ListAudiences;

/// Inputs of [`ListAudiences`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListAudiencesParams {
    /// Filter to only return audiences which are / are not API controlled.
    /// Leave blank to return both.
    pub api_controlled: Option<bool>,
    /// Return only audiences updated on or after this date/time (ISO 8601),
    /// e.g. 2024-01-01T00:00:00Z.
    pub updated_since: Option<DateText<Instant>>,
    /// Page number for pagination (default 1). A whole number, at least 1.
    #[schemars(range(min = 1))]
    pub page: Option<u32>,
    /// Number of results per page (1-1000, default 100). A whole number.
    #[schemars(range(min = 1, max = 1000))]
    pub per_page: Option<u32>,
}

impl Tool for ListAudiences {
    type Params = ListAudiencesParams;
    type Output = Page<Audience>;

    const ID: &'static str = "thrive_list_audiences";
    const TITLE: &'static str = "List audiences";
    const DESCRIPTION: &'static str = "List audiences and structures in Thrive with pagination.";
    const ENDPOINT: &'static str = "GET /rest/v1/audiences";
    const HINTS: Hints = Hints::READ;
    const PAGING: Paging = Paging::Envelope { max_per_page: 1000 };

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        check_date(
            "updatedSince",
            p.updated_since.as_deref(),
            DateFormat::Iso8601,
            out,
        );
    }

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        Ok(ApiRequest::endpoint(Self::ENDPOINT, &[])?
            .query("apiControlled", p.api_controlled)
            .query("updatedSince", p.updated_since.as_ref())
            .query("page", p.page)
            .query("perPage", p.per_page))
    }
}

crate::register_tool!(ListAudiences);
