//! `thrive_query_cpd_user_summaries`: `GET /rest/v1/cpdUserLogSummaries`.

use super::CpdUserSummary;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::{CommaList, DateText, HexIds, LocalDateTime};
use crate::params::{DateFormat, check_date};
use crate::register_tool;
use crate::rules::Rule;
use crate::thrive::check_comma_list;
use crate::thrive::common::Page;
use crate::tool::{Hints, Paging, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Inputs of [`QueryCpdUserSummaries`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueryCpdUserSummariesParams {
    /// Filter entries after this date (format YYYY-MM-DDThh:mm:ss), e.g.
    /// `2020-11-17T09:50:00` (with `T`, no zone; unlike the CPD entries query).
    pub entry_date_from: DateText<LocalDateTime>,
    /// Filter entries before this date (format YYYY-MM-DDThh:mm:ss), e.g.
    /// `2021-11-17T09:51:00`. Must not be before entryDateFrom.
    pub entry_date_to: DateText<LocalDateTime>,
    /// Only these users, by their Thrive user id, e.g.
    /// `5c9de5c64a6b1c37a58e393c,5cadda57f4a0f40010af03de`.
    pub user_ids: Option<CommaList<HexIds>>,
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: crate::thrive::paging::PerPage1000,
}

/// Query CPD user log summaries in Thrive and return results with pagination.
pub struct QueryCpdUserSummaries;

impl Block for QueryCpdUserSummaries {
    type Params = QueryCpdUserSummariesParams;
    type Output = Page<CpdUserSummary>;

    const ID: &'static str = "thrive_query_cpd_user_summaries";
    const TITLE: &'static str = "Query CPD user summaries";
    const DESCRIPTION: &'static str =
        "Query CPD user log summaries in Thrive and return results with pagination.";
    const ENDPOINT: &'static str = "GET /rest/v1/cpdUserLogSummaries";
    const HINTS: Hints = Hints::READ;
    const PAGING: Paging = crate::thrive::paging::PerPage1000::PAGING;
    const RULES: &'static [Rule] = &[Rule::NotBefore {
        field: "entryDateTo",
        start: "entryDateFrom",
    }];

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        let (from, to) = (Some(&*p.entry_date_from), Some(&*p.entry_date_to));
        check_date("entryDateFrom", from, DateFormat::LocalDateTime, out);
        check_date("entryDateTo", to, DateFormat::LocalDateTime, out);
        check_comma_list("userIds", p.user_ids.as_deref(), None, out);
    }
}

impl Tool for QueryCpdUserSummaries {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[])?.query_fields(p)
    }
}

register_tool!(QueryCpdUserSummaries);
