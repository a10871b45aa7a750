//! `thrive_get_assignment`: `GET /rest/v1/assignments/{assignmentId}`.

use super::AssignmentOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::Required;
use crate::register_tool;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`GetAssignment`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetAssignmentParams {
    /// The assignment ID.
    #[schemars(extend("x-options" = crate::options::ASSIGNMENT))]
    pub assignment_id: Required,
}

/// Get a single compliance assignment in Thrive by its ID.
pub struct GetAssignment;

impl Block for GetAssignment {
    type Params = GetAssignmentParams;
    type Output = AssignmentOutput;

    const ID: &'static str = "thrive_get_assignment";
    const TITLE: &'static str = "Get assignment";
    const DESCRIPTION: &'static str = "Get a single compliance assignment in Thrive by its ID.";
    const ENDPOINT: &'static str = "GET /rest/v1/assignments/{assignmentId}";
    const HINTS: Hints = Hints::READ;
}

impl Tool for GetAssignment {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.assignment_id])
    }
}

register_tool!(GetAssignment);
