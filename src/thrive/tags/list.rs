//! `thrive_list_tags`: `GET /rest/v1/tags`.

use super::Tag;
use crate::api::ApiRequest;
use crate::error::{Result, Violation};
use crate::params::check_date_input;
use crate::params::{DateText, Instant};
use crate::thrive::common::Page;
use crate::tool::{Hints, Paging, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// List tags in Thrive and return tag information with pagination.
pub struct ListTags;

/// Inputs of [`ListTags`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListTagsParams {
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: crate::thrive::paging::PerPage1000,
    /// Return only tags updated on or after this date/time (ISO 8601), e.g.
    /// `2024-01-01T00:00:00Z`.
    pub updated_since: Option<DateText<Instant>>,
}

impl Tool for ListTags {
    type Params = ListTagsParams;
    type Output = Page<Tag>;

    const ID: &'static str = "thrive_list_tags";
    const TITLE: &'static str = "List tags";
    const DESCRIPTION: &'static str =
        "List tags in Thrive and return tag information with pagination.";
    const ENDPOINT: &'static str = "GET /rest/v1/tags";
    const HINTS: Hints = Hints::READ;
    // Whether `/tags` pages at all is disputed (a third party reads the spec
    // as returning `results` with no `pagination`). The paging inputs are
    // sent as the seed describes; a missing `pagination` becomes `null`, and
    // the runtime then stops at the first page shorter than `perPage`.
    const PAGING: Paging = Paging::Envelope { max_per_page: 1000 };

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        check_date_input("updatedSince", p.updated_since.as_ref(), out);
    }

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[])?.query_fields(p)
    }
}

crate::register_tool!(ListTags);
