//! `thrive_list_enrolments`: `GET /rest/v1/assignments/{assignmentId}/enrolments`.

use super::{EnrolmentStatus, EnrolmentsOutput};
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::Required;
use crate::params::check_date_input;
use crate::params::{DateText, Instant};
use crate::register_tool;
use crate::rules::Rule;
use crate::tool::{Hints, Paging, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Inputs of [`ListEnrolments`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListEnrolmentsParams {
    /// The assignment ID.
    #[schemars(extend("x-options" = crate::options::ASSIGNMENT))]
    #[serde(skip_serializing_if = "crate::wire::sent_apart")]
    pub assignment_id: Required,
    /// Start date to filter enrolments from (ISO 8601), e.g.
    /// 2023-09-01T00:00:00Z. Filters on the enrolment's updatedAt.
    pub updated_at_from: Option<DateText<Instant>>,
    /// Date to filter enrolments up to (ISO 8601). Requires updatedAtFrom.
    pub updated_at_to: Option<DateText<Instant>>,
    /// Filter by enrolment status: archived, complete, open, overdue, scheduled, or unassigned.
    /// One value only.
    pub status: Option<EnrolmentStatus>,
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: crate::thrive::paging::PerPage100Bare,
}

/// List enrolments for a compliance assignment in Thrive.
pub struct ListEnrolments;

impl Block for ListEnrolments {
    type Params = ListEnrolmentsParams;
    type Output = EnrolmentsOutput;

    const ID: &'static str = "thrive_list_enrolments";
    const TITLE: &'static str = "List enrolments";
    const DESCRIPTION: &'static str = "List enrolments for a compliance assignment in Thrive.";
    const ENDPOINT: &'static str = "GET /rest/v1/assignments/{assignmentId}/enrolments";
    const HINTS: Hints = Hints::READ;
    const PAGING: Paging = crate::thrive::paging::PerPage100Bare::PAGING;
    const RULES: &'static [Rule] = &[
        Rule::Requires {
            field: "updatedAtTo",
            needs: "updatedAtFrom",
            message: "updatedAtTo requires updatedAtFrom",
        },
        Rule::NotBefore {
            field: "updatedAtTo",
            start: "updatedAtFrom",
        },
    ];

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        check_date_input("updatedAtFrom", p.updated_at_from.as_ref(), out);
        check_date_input("updatedAtTo", p.updated_at_to.as_ref(), out);
    }
}

impl Tool for ListEnrolments {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.assignment_id])?.query_fields(p)
    }
}

register_tool!(ListEnrolments);
