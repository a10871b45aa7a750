//! `thrive_list_tags`: `GET /rest/v1/tags`.

use super::Tag;
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

/// Inputs of [`ListTags`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListTagsParams {
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: PerPage1000,
    /// Return only tags updated on or after this date/time (ISO 8601), e.g.
    /// `2024-01-01T00:00:00Z`.
    pub updated_since: Option<DateText<Instant>>,
}

/// List tags in Thrive and return tag information with pagination.
pub struct ListTags;

impl Block for ListTags {
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
    const PAGING: Paging = PerPage1000::PAGING;

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        check_updated_since(p.updated_since.as_ref(), out);
    }
}

impl Tool for ListTags {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        list_request(Self::ENDPOINT, p)
    }
}

register_tool!(ListTags);
