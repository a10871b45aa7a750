//! `thrive_list_assignments`: `GET /rest/v1/assignments`.

use super::AssignmentsOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::check_date_input;
use crate::params::{DateText, Instant};
use crate::register_tool;
use crate::tool::{Hints, Paging, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Inputs of [`ListAssignments`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListAssignmentsParams {
    /// Filter by audience ID or audience reference. Sent as a query filter
    /// (the docs list it under path parameters, but the path has no slot for it).
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Option<String>,
    /// Return only items updated on or after this date/time (ISO 8601),
    /// e.g. 2024-04-02 or 2024-04-02T13:45:00Z.
    pub updated_since: Option<DateText<Instant>>,
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: crate::thrive::paging::PerPage100Bare,
}

/// List compliance assignments in Thrive, optionally filtered by audience.
pub struct ListAssignments;

impl Block for ListAssignments {
    type Params = ListAssignmentsParams;
    type Output = AssignmentsOutput;

    const ID: &'static str = "thrive_list_assignments";
    const TITLE: &'static str = "List assignments";
    const DESCRIPTION: &'static str =
        "List compliance assignments in Thrive, optionally filtered by audience.";
    const ENDPOINT: &'static str = "GET /rest/v1/assignments";
    const HINTS: Hints = Hints::READ;
    const PAGING: Paging = crate::thrive::paging::PerPage100Bare::PAGING;

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        check_date_input("updatedSince", p.updated_since.as_ref(), out);
    }
}

impl Tool for ListAssignments {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[])?.query_fields(p)
    }
}

register_tool!(ListAssignments);
