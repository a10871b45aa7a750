//! `thrive_query_content`: `GET /rest/v1/contents`.

use super::{CONTENT_TYPES, Content};
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::check_date_input;
use crate::params::{CommaList, DateText, Instant};
use crate::register_tool;
use crate::thrive::check_comma_list;
use crate::thrive::common::Page;
use crate::tool::{Hints, Paging, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Inputs of [`QueryContent`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueryContentParams {
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: crate::thrive::paging::PerPage1000By20,
    /// Only content of these types, e.g. video. Leave empty for every type.
    /// When given, Exclude content types is ignored.
    pub types: Option<CommaList<super::ContentTypes>>,
    /// Leave out content of these types, e.g. event. Ignored when Content
    /// types is given.
    pub omit_types: Option<CommaList<super::ContentTypes>>,
    /// Return only items updated on or after this date/time (ISO 8601), e.g.
    /// `2024-01-01T00:00:00Z`.
    pub updated_since: Option<DateText<Instant>>,
}

/// Query content records in Thrive with pagination and filtering options.
pub struct QueryContent;

impl Block for QueryContent {
    type Params = QueryContentParams;
    type Output = Page<Content>;

    const ID: &'static str = "thrive_query_content";
    const TITLE: &'static str = "Query content";
    const DESCRIPTION: &'static str =
        "Query content records in Thrive with pagination and filtering options.";
    const ENDPOINT: &'static str = "GET /rest/v1/contents";
    const HINTS: Hints = Hints::READ;
    const PAGING: Paging = crate::thrive::paging::PerPage1000By20::PAGING;

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        check_comma_list("types", p.types.as_deref(), Some(&CONTENT_TYPES), out);
        check_comma_list(
            "omitTypes",
            p.omit_types.as_deref(),
            Some(&CONTENT_TYPES),
            out,
        );
        check_date_input("updatedSince", p.updated_since.as_ref(), out);
    }
}

impl Tool for QueryContent {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        // Both filters are sent when both are given; Thrive then ignores
        // `omitTypes`, as documented.
        ApiRequest::endpoint(Self::ENDPOINT, &[])?.query_fields(p)
    }
}

register_tool!(QueryContent);
