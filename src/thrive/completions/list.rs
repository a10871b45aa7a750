//! `thrive_list_completions`: `GET /rest/v1/learning/completions`.

use super::CompletionsOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::check_date_input;
use crate::params::{DateText, Instant};
use crate::register_tool;
use crate::rules::Rule;
use crate::tool::{Hints, Paging, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Inputs of [`ListCompletions`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListCompletionsParams {
    /// Filter by content (a content ID).
    #[schemars(extend("x-options" = crate::options::CONTENT))]
    pub content_id: Option<String>,
    /// Filter by completions imported via Recognition of Prior Learning (RPL).
    #[serde(rename = "isRPL")]
    pub is_rpl: Option<bool>,
    /// Filter by user (a user ID).
    #[schemars(extend("x-options" = crate::options::USER_ID))]
    pub user_id: Option<String>,
    /// Filter by completedDate (completedDate >= this date/date-time).
    /// ISO 8601, e.g. 2024-04-02 or 2024-04-02T00:00:00Z; inclusive.
    pub completed_date_range_start: Option<DateText<Instant>>,
    /// Filter by completedDate (completedDate <= this date/date-time).
    /// ISO 8601, e.g. 2024-04-30 or 2024-04-30T23:59:59Z; inclusive.
    pub completed_date_range_end: Option<DateText<Instant>>,
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: crate::thrive::paging::PerPage1000Bare,
}

/// List learning completion records in Thrive, optionally filtered by user or content.
pub struct ListCompletions;

impl Block for ListCompletions {
    type Params = ListCompletionsParams;
    type Output = CompletionsOutput;

    const ID: &'static str = "thrive_list_completions";
    const TITLE: &'static str = "List completions";
    const DESCRIPTION: &'static str =
        "List learning completion records in Thrive, optionally filtered by user or content.";
    const ENDPOINT: &'static str = "GET /rest/v1/learning/completions";
    const HINTS: Hints = Hints::READ;
    const PAGING: Paging = crate::thrive::paging::PerPage1000Bare::PAGING;
    const RULES: &'static [Rule] = &[Rule::NotBefore {
        field: "completedDateRangeEnd",
        start: "completedDateRangeStart",
    }];

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        check_date_input(
            "completedDateRangeStart",
            p.completed_date_range_start.as_ref(),
            out,
        );
        check_date_input(
            "completedDateRangeEnd",
            p.completed_date_range_end.as_ref(),
            out,
        );
    }
}

impl Tool for ListCompletions {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[])?.query_fields(p)
    }
}

register_tool!(ListCompletions);
