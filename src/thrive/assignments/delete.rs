//! `thrive_delete_assignment`: `DELETE /rest/v1/assignments/{assignmentId}`,
//! with a JSON body.

use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::Required;
use crate::register_tool;
use crate::thrive::common::SuccessOutput;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

/// Inputs of [`DeleteAssignment`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeleteAssignmentParams {
    /// The assignment ID.
    #[schemars(extend("x-options" = crate::options::ASSIGNMENT))]
    pub assignment_id: Required,
    /// The audience ID. Sent in the JSON body of the DELETE as
    /// `{"audienceId": ...}`.
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Required,
}

/// Delete a compliance assignment in Thrive.
pub struct DeleteAssignment;

impl Block for DeleteAssignment {
    type Params = DeleteAssignmentParams;
    type Output = SuccessOutput;

    const ID: &'static str = "thrive_delete_assignment";
    const TITLE: &'static str = "Delete assignment";
    const DESCRIPTION: &'static str = "Delete a compliance assignment in Thrive.";
    const ENDPOINT: &'static str = "DELETE /rest/v1/assignments/{assignmentId}";
    const HINTS: Hints = Hints::DESTROY;
}

impl Tool for DeleteAssignment {
    // The response body is not documented: `success` is read when present,
    // and any 2xx (including an empty 204) counts as success.

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        Ok(ApiRequest::endpoint(Self::ENDPOINT, &[&p.assignment_id])?
            .body(json!({ "audienceId": p.audience_id })))
    }
}

register_tool!(DeleteAssignment);
