//! `thrive_get_assignment`: `GET /rest/v1/assignments/{assignmentId}`.

use super::AssignmentOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Get a single compliance assignment in Thrive by its ID.
pub struct GetAssignment;

/// Inputs of [`GetAssignment`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetAssignmentParams {
    /// The assignment ID.
    #[schemars(extend("x-options" = crate::options::ASSIGNMENT))]
    pub assignment_id: String,
}

impl Tool for GetAssignment {
    type Params = GetAssignmentParams;
    type Output = AssignmentOutput;

    const ID: &'static str = "thrive_get_assignment";
    const TITLE: &'static str = "Get assignment";
    const DESCRIPTION: &'static str = "Get a single compliance assignment in Thrive by its ID.";
    const ENDPOINT: &'static str = "GET /rest/v1/assignments/{assignmentId}";
    const HINTS: Hints = Hints::READ;

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.assignment_id])
    }
}

crate::register_tool!(GetAssignment);
