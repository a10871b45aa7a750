//! `thrive_list_audiences`: `GET /rest/v1/audiences`.

use super::Audience;
use crate::api::ApiRequest;
use crate::error::{Result, Violation};
use crate::params::check_date_input;
use crate::params::{DateText, Instant};
use crate::thrive::common::Page;
use crate::tool::{Paging, declare_tool};
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

declare_tool! {
    ListAudiences {
        id: "thrive_list_audiences",
        title: "List audiences",
        description: "List audiences and structures in Thrive with pagination.",
        endpoint: "GET /rest/v1/audiences",
        hints: READ,
        params: ListAudiencesParams,
        output: Page<Audience>,
    }
    impl {
        const PAGING: Paging = crate::thrive::paging::PerPage1000Whole::PAGING;

        fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
            check_date_input("updatedSince", p.updated_since.as_ref(), out);
        }

        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[])?.query_fields(p)
        }
    }
}
