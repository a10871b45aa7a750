//! `thrive_query_cpd_entries`: `GET /rest/v1/cpdEntries`.

use super::CpdEntry;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::{DateFormat, check_date};
use crate::params::{DateText, SpaceDateTime};
use crate::register_tool;
use crate::rules::Rule;
use crate::thrive::common::Page;
use crate::tool::{Hints, Paging, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Inputs of [`QueryCpdEntries`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueryCpdEntriesParams {
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: crate::thrive::paging::PerPage1000,
    /// Filter entries after this date (format YYYY-MM-DD hh:mm:ss), e.g.
    /// `2020-09-25 00:00:00`; a bare date such as `2020-09-25` is accepted too.
    /// The time zone is not documented; assume UTC.
    pub entry_date_from: Option<DateText<SpaceDateTime>>,
    /// Filter entries before this date (format YYYY-MM-DD hh:mm:ss), e.g.
    /// `2020-11-01 00:00:00`; a bare date is accepted too. Must not be
    /// before entryDateFrom.
    pub entry_date_to: Option<DateText<SpaceDateTime>>,
}

/// Query CPD log entries in Thrive and return results with pagination.
pub struct QueryCpdEntries;

impl Block for QueryCpdEntries {
    type Params = QueryCpdEntriesParams;
    type Output = Page<CpdEntry>;

    const ID: &'static str = "thrive_query_cpd_entries";
    const TITLE: &'static str = "Query CPD entries";
    const DESCRIPTION: &'static str =
        "Query CPD log entries in Thrive and return results with pagination.";
    const ENDPOINT: &'static str = "GET /rest/v1/cpdEntries";
    const HINTS: Hints = Hints::READ;
    const PAGING: Paging = crate::thrive::paging::PerPage1000::PAGING;
    const RULES: &'static [Rule] = &[Rule::NotBefore {
        field: "entryDateTo",
        start: "entryDateFrom",
    }];

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        let (from, to) = (p.entry_date_from.as_deref(), p.entry_date_to.as_deref());
        check_date("entryDateFrom", from, DateFormat::SpaceSeparated, out);
        check_date("entryDateTo", to, DateFormat::SpaceSeparated, out);
    }
}

impl Tool for QueryCpdEntries {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[])?.query_fields(p)
    }
}

register_tool!(QueryCpdEntries);
