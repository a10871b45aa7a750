//! `thrive_query_activities`: `GET /rest/v1/activities`.

use super::{ACTIVITY_TYPES, Activity};
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::{CommaList, DateText, HexIds, SpaceDateTime};
use crate::params::{DateFormat, check_date};
use crate::register_tool;
use crate::rules::Rule;
use crate::thrive::common::Page;
use crate::thrive::{check_comma_list, comma_list};
use crate::tool::{Hints, Paging, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`QueryActivities`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueryActivitiesParams {
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: crate::thrive::paging::PerPage1000By20,
    /// Only these kinds of activity, e.g. completed. Leave empty for every kind.
    pub actions: Option<CommaList<super::ActivityTypes>>,
    /// Leave out these kinds of activity, e.g. viewed.
    pub omit_actions: Option<CommaList<super::ActivityTypes>>,
    /// Only activity on these content items, by their Thrive id, e.g.
    /// 5f9d88d6e1b2a34c56d78901. Leave empty for all content.
    pub content_ids: Option<CommaList<HexIds>>,
    /// Filter by content type, e.g. `video` (one value; sent as given, since
    /// the values this filter accepts are not documented).
    pub content_type: Option<String>,
    /// format YYYY-MM-DD hh:mm:ss (space, no zone; e.g. `2020-01-01 00:00:00`;
    /// a bare date is accepted too). The time zone is not documented; assume UTC.
    pub timestamp_from: Option<DateText<SpaceDateTime>>,
    /// format YYYY-MM-DD hh:mm:ss (space, no zone; e.g. `2020-10-01 00:00:00`;
    /// a bare date is accepted too). Must not be before timestampFrom.
    pub timestamp_to: Option<DateText<SpaceDateTime>>,
}

/// Query activity records in Thrive with pagination and filtering options.
pub struct QueryActivities;

impl Block for QueryActivities {
    type Params = QueryActivitiesParams;
    type Output = Page<Activity>;

    const ID: &'static str = "thrive_query_activities";
    const TITLE: &'static str = "Query activities";
    const DESCRIPTION: &'static str =
        "Query activity records in Thrive with pagination and filtering options.";
    const ENDPOINT: &'static str = "GET /rest/v1/activities";
    const HINTS: Hints = Hints::READ;
    const PAGING: Paging = crate::thrive::paging::PerPage1000By20::PAGING;
    const RULES: &'static [Rule] = &[Rule::NotBefore {
        field: "timestampTo",
        start: "timestampFrom",
    }];

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        check_comma_list("actions", p.actions.as_deref(), Some(&ACTIVITY_TYPES), out);
        check_comma_list(
            "omitActions",
            p.omit_actions.as_deref(),
            Some(&ACTIVITY_TYPES),
            out,
        );
        check_comma_list("contentIds", p.content_ids.as_deref(), None, out);
        let (from, to) = (p.timestamp_from.as_deref(), p.timestamp_to.as_deref());
        check_date("timestampFrom", from, DateFormat::SpaceSeparated, out);
        check_date("timestampTo", to, DateFormat::SpaceSeparated, out);
    }
}

impl Tool for QueryActivities {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        Ok(ApiRequest::endpoint(Self::ENDPOINT, &[])?
            .paged(&p.paging)
            .query("actions", comma_list(p.actions.as_deref()))
            .query("omitActions", comma_list(p.omit_actions.as_deref()))
            .query("contentIds", comma_list(p.content_ids.as_deref()))
            .query("contentType", p.content_type.as_deref().map(str::trim))
            .query("timestampFrom", p.timestamp_from.as_deref())
            .query("timestampTo", p.timestamp_to.as_deref()))
    }
}

register_tool!(QueryActivities);
