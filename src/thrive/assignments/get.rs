//! `thrive_get_assignment`: `GET /rest/v1/assignments/{assignmentId}`.

use super::AssignmentOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::Required;
use crate::tool::declare_tool;
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

declare_tool! {
    GetAssignment {
        id: "thrive_get_assignment",
        title: "Get assignment",
        description: "Get a single compliance assignment in Thrive by its ID.",
        endpoint: "GET /rest/v1/assignments/{assignmentId}",
        hints: READ,
        params: GetAssignmentParams,
        output: AssignmentOutput,
    }
    impl {
        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.assignment_id])
        }
    }
}
