//! `thrive_delete_assignment`: `DELETE /rest/v1/assignments/{assignmentId}`,
//! with a JSON body.

use crate::api::ApiRequest;
use crate::error::Result;
use crate::thrive::common::SuccessOutput;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

/// Delete a compliance assignment in Thrive.
pub struct DeleteAssignment;

/// Inputs of [`DeleteAssignment`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeleteAssignmentParams {
    /// The assignment ID.
    #[schemars(extend("x-options" = crate::options::ASSIGNMENT))]
    pub assignment_id: String,
    /// The audience ID. Sent in the JSON body of the DELETE as
    /// `{"audienceId": ...}`.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: String,
}

impl Tool for DeleteAssignment {
    type Params = DeleteAssignmentParams;
    // The response body is not documented: `success` is read when present,
    // and any 2xx (including an empty 204) counts as success.
    type Output = SuccessOutput;

    const ID: &'static str = "thrive_delete_assignment";
    const TITLE: &'static str = "Delete assignment";
    const DESCRIPTION: &'static str = "Delete a compliance assignment in Thrive.";
    const ENDPOINT: &'static str = "DELETE /rest/v1/assignments/{assignmentId}";
    const HINTS: Hints = Hints::DESTROY;

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        Ok(ApiRequest::endpoint(Self::ENDPOINT, &[&p.assignment_id])?
            .body(json!({ "audienceId": p.audience_id })))
    }
}

crate::register_tool!(DeleteAssignment);
