//! `thrive_list_assignments`: `GET /rest/v1/assignments`.

use super::AssignmentsOutput;
use crate::api::ApiRequest;
use crate::error::{Result, Violation};
use crate::params::check_date_input;
use crate::params::{DateText, Instant};
use crate::tool::{Paging, declare_tool};
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

declare_tool! {
    ListAssignments {
        id: "thrive_list_assignments",
        title: "List assignments",
        description: "List compliance assignments in Thrive, optionally filtered by audience.",
        endpoint: "GET /rest/v1/assignments",
        hints: READ,
        params: ListAssignmentsParams,
        output: AssignmentsOutput,
    }
    impl {
        const PAGING: Paging = crate::thrive::paging::PerPage100Bare::PAGING;

        fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
            check_date_input("updatedSince", p.updated_since.as_ref(), out);
        }

        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[])?.query_fields(p)
        }
    }
}
